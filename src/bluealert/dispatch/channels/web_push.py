"""Web push (RFC 8030) with pywebpush: encrypted to each browser (RFC 8291), signed (RFC 8292).

A subscriber's address is the push service endpoint its browser gave, with the browser's keys
(`p256dh`, `auth`) beside it. Each message is encrypted as `aes128gcm` to those keys, so the
push service carries what it cannot read, and carries a VAPID token signed with the node's key
(the one the browser subscribed with) for the endpoint's origin.

Headers: `TTL` until the alert expires (at most 28 days) or a day for an end; `Urgency: high`
for an alert in force (RFC 8030 §5.3); `Topic` the alert's reference, so a later version waiting
in the push service replaces an earlier one (§5.4). A push service answering 404 or 410 says the
subscription is gone: the delivery is a dead letter and the subscription is removed (audited).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, ClassVar
from urllib.parse import urlsplit

import aiohttp
from py_vapid import Vapid02
from pywebpush import WebPusher

from bluealert.app.web_push import vapid_private_key
from bluealert.config import Settings
from bluealert.dispatch.channels.base import (
    ChannelLimits,
    Envelope,
    Failed,
    Gone,
    Outcome,
    RetryAfter,
)
from bluealert.dispatch.channels.http_answers import answer_text, http_outcome
from bluealert.dispatch.channels.payload import EVENT_TYPES
from bluealert.dispatch.publication import TierMessage

# RFC 8030 §7.2: a push service takes at least 4096 bytes of payload. aes128gcm as one record
# adds a 86-byte header (salt, record size, key id length, the 65-byte key), the 16-byte tag
# and the 1-byte delimiter (RFC 8188 §2, RFC 8291 §4): 3993 bytes of plain text at most.
MAX_PLAINTEXT = 4096 - 86 - 16 - 1
MAX_TTL = 28 * 24 * 3600  # push services keep a message four weeks at most (FCM's limit)
END_TTL = 24 * 3600  # a phone off for a day still learns that the alert is over
TOKEN_LIFETIME = 12 * 3600  # RFC 8292 §2: `exp` no more than 24 hours ahead
GONE = frozenset({404, 410})  # RFC 8030 §6.2: the subscription expired or was removed


def ttl_seconds(message: TierMessage, now: datetime) -> int:
    if not message.live or message.expires_at is None:
        return END_TTL
    left = int((message.expires_at - now).total_seconds())
    return max(60, min(MAX_TTL, left))


def topic(message: TierMessage) -> str:
    """RFC 8030 §5.4: at most 32 characters of the URL-safe base64 alphabet."""
    return re.sub(r"[^A-Za-z0-9_-]", "", message.reference)[:32]


def notification(message: TierMessage, language: str, url: str) -> bytes:
    """What the browser's service worker shows: the public texts in the subscriber's language,
    cut so that the encrypted message fits a push service's 4096 bytes."""
    texts = message.texts.get(language) or message.texts["en"]
    data: dict[str, Any] = {
        "type": EVENT_TYPES[message.event.value],
        "reference": message.reference,
        "version": message.version,
        "status": message.status.value,
        "title": texts["headline"],
        "body": texts["description"],
        "instruction": texts["instruction"],
        "sent": message.document["sent"],
        "expires": message.document["expires"],
        "url": url,
        "tag": message.reference,
    }
    encoded = _encode(data)
    for field in ("instruction", "body"):
        excess = len(encoded) - MAX_PLAINTEXT
        if excess <= 0:
            break
        data[field] = _cut(data[field], excess)
        encoded = _encode(data)
    return encoded


def _encode(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _cut(text: str, excess_bytes: int) -> str:
    raw = text.encode()
    keep = max(0, len(raw) - excess_bytes - 8)  # room for the ellipsis and JSON escapes
    return raw[:keep].decode(errors="ignore").rstrip() + "…" if keep else ""


def push_outcome(status: int, retry_after: str | None, body: bytes) -> Outcome:
    """RFC 8030 §5: 201 is accepted; 404 and 410 say the subscription is gone; other 4xx
    (bad VAPID token, payload too large) will not succeed on a retry."""
    if status in GONE:
        said = answer_text(body)
        return Gone(f"HTTP {status}: {said}" if said else f"HTTP {status}")
    return http_outcome(status, retry_after, body)


class WebPushChannel:
    name: ClassVar[str] = "web_push"

    def __init__(self, settings: Settings) -> None:
        self.limits = ChannelLimits(
            rate_per_second=settings.web_push_rate_per_second,
            batch_size=500,
            timeout_seconds=settings.web_push_timeout_seconds,
            concurrency=128,
        )
        self.settings = settings
        self.subject = settings.vapid_subject
        self._vapid: Vapid02 | None = None
        self._tokens: dict[str, tuple[dict[str, str], float]] = {}
        self._session: aiohttp.ClientSession | None = None

    def skip_reason(self, message: TierMessage) -> str | None:
        return None  # every version and every end replaces what the browser shows

    async def __aenter__(self) -> WebPushChannel:
        self._vapid = Vapid02(await asyncio.to_thread(vapid_private_key, self.settings))
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self.limits.concurrency),
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

    def _authorization(self, endpoint: str) -> dict[str, str]:
        """The VAPID header for the endpoint's origin, signed once and reused until an hour
        before it expires (one signature per push service, not per message)."""
        assert self._vapid is not None
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        now = time.time()
        cached = self._tokens.get(audience)
        if cached is None or cached[1] - now < 3600:
            expires = int(now) + TOKEN_LIFETIME
            claims = {"aud": audience, "exp": expires, "sub": self.subject}
            cached = (self._vapid.sign(claims), float(expires))
            self._tokens[audience] = cached
        return dict(cached[0])

    async def _push(self, envelope: Envelope) -> Outcome:
        assert self._session is not None, "open the channel first (async with)"
        recipient, message = envelope.recipient, envelope.message
        if recipient.push_keys is None:
            return Failed("the subscription holds no push keys")
        url = f"{self.settings.base_url}/alerts/{message.reference}"
        subscription = {
            "endpoint": recipient.address,
            "keys": {"p256dh": recipient.push_keys.p256dh, "auth": recipient.push_keys.auth},
        }
        headers = self._authorization(recipient.address)
        headers |= {"Urgency": "high" if message.live else "normal", "Topic": topic(message)}
        try:
            response = await WebPusher(subscription, aiohttp_session=self._session).send_async(
                data=notification(message, recipient.language, url),
                headers=headers,
                ttl=ttl_seconds(message, datetime.now(UTC)),
                timeout=aiohttp.ClientTimeout(total=self.limits.timeout_seconds),
            )
            assert isinstance(response, aiohttp.ClientResponse)
            answer = await response.read()
            return push_outcome(response.status, response.headers.get("Retry-After"), answer)
        except TimeoutError:
            return RetryAfter(f"no answer within {self.limits.timeout_seconds:g} s")
        except aiohttp.ClientError as error:
            return RetryAfter(f"{type(error).__name__}: {error}")

    async def send(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._push(e) for e in envelopes)))
