"""CAP push: an HTTP POST of the signed CAP message to a peer node or another alerting system.

The body is the CAP 1.2 document exactly as rendered and signed (enveloped XML signature when
`BLUEALERT_CAP_SIGNING_KEY` and `…_CERT` are set), as `application/cap+xml` (the media type
OASIS registered for CAP). A law-enforcement partner that asked for `cap-restricted` gets the
Restricted message; everyone else the Public one. `Idempotency-Key` carries the delivery's key,
so a receiver drops the rare repeat after a crash (the CAP identifier names the message too).

The receiver's answer (status and the start of its body) is kept on the receipt. 2xx is
delivered; a refusal (4xx: a peer that does not take this message) is a dead letter; 5xx,
408, 425, 429, refused connections and timeouts are retried. An expiry is not pushed: a CAP
message carries its own `<expires>`, and the receiver drops it then.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from types import TracebackType
from typing import ClassVar

import aiohttp

from bluealert.config import Settings
from bluealert.dispatch.channels.base import ChannelLimits, Envelope, Outcome, RetryAfter, Skipped
from bluealert.dispatch.channels.http_answers import http_outcome
from bluealert.dispatch.publication import TierMessage
from bluealert.domain.delivery import Event

MEDIA_TYPE = "application/cap+xml"


def cap_for(envelope: Envelope) -> tuple[str, bytes] | None:
    """The CAP format this recipient gets and its bytes, or None when it was not rendered."""
    formats = envelope.message.formats
    name = "cap-restricted" if "cap-restricted" in envelope.recipient.formats else "cap"
    if name not in formats:  # the public tier never holds the restricted message
        name = "cap"
    document = formats.get(name)
    return (name, document) if document is not None else None


class CapPushChannel:
    name: ClassVar[str] = "cap_push"

    def __init__(self, settings: Settings) -> None:
        self.limits = ChannelLimits(
            rate_per_second=settings.cap_push_rate_per_second,
            batch_size=100,
            timeout_seconds=settings.cap_push_timeout_seconds,
            concurrency=32,
        )
        self._session: aiohttp.ClientSession | None = None

    def skip_reason(self, message: TierMessage) -> str | None:
        if message.event is Event.EXPIRE:
            return "a CAP message carries its own expiry; the receiver drops it then"
        return None

    async def __aenter__(self) -> CapPushChannel:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self.limits.concurrency),
            timeout=aiohttp.ClientTimeout(total=self.limits.timeout_seconds),
            headers={"User-Agent": "bluealert-dispatch"},
        )
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()

    async def _post(self, envelope: Envelope) -> Outcome:
        assert self._session is not None, "open the channel first (async with)"
        found = cap_for(envelope)
        if found is None:
            refusal = envelope.message.refused.get("cap", "no CAP was rendered")
            return Skipped(f"no CAP to push: {refusal}")
        headers = {"Content-Type": MEDIA_TYPE, "Idempotency-Key": envelope.key}
        try:
            async with self._session.post(
                envelope.recipient.address, data=found[1], headers=headers
            ) as response:
                answer = await response.content.read(4096)
                return http_outcome(response.status, response.headers.get("Retry-After"), answer)
        except TimeoutError:
            return RetryAfter(f"no answer within {self.limits.timeout_seconds:g} s")
        except aiohttp.ClientError as error:
            return RetryAfter(f"{type(error).__name__}: {error}")

    async def send(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._post(e) for e in envelopes)))
