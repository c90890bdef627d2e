"""What an HTTP answer means for a delivery, shared by the channels that POST (RFC 9110 §15).

2xx is delivered; 408, 425, 429 and 5xx say "not now" (a `Retry-After` in seconds is honoured);
any other answer says "never like this" and is a dead letter an operator can replay.
"""

from __future__ import annotations

from bluealert.dispatch.channels.base import Delivered, Failed, Outcome, RetryAfter

RETRYABLE = frozenset({408, 425, 429})
DETAIL_CHARS = 300  # of a receiver's answer kept on the receipt


def retry_after_seconds(header: str | None) -> float | None:
    """Retry-After in seconds (RFC 9110 §10.2.3); an HTTP date is left to our backoff."""
    if header and header.strip().isdigit():
        return float(header.strip())
    return None


def answer_text(body: bytes) -> str:
    """A receiver's answer as one printable line, cut to what a receipt keeps."""
    text = " ".join(body.decode("utf-8", errors="replace").split())
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"


def http_outcome(status: int, retry_after: str | None, body: bytes = b"") -> Outcome:
    said = answer_text(body)
    detail = f"HTTP {status}: {said}" if said else f"HTTP {status}"
    if 200 <= status < 300:
        return Delivered(detail)
    if status in RETRYABLE or status >= 500:
        return RetryAfter(detail, retry_after_seconds(retry_after))
    return Failed(detail)
