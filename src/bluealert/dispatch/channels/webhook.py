"""Webhook: an HTTP POST of the version as JSON, signed per Standard Webhooks.

Headers `webhook-id` (the idempotency key: a receiver drops a repeat), `webhook-timestamp` and
`webhook-signature`: v1, HMAC-SHA256 of id.timestamp.body with the partner's secret; or, for a
subscriber, who holds no secret, v1a, Ed25519 over the same with the node's webhook key, which
anyone checks with the published public key (`app.webhook_key`). aiohttp's
client fans out: one pooled session per worker, a timeout per request so that a receiver that
never answers holds only its own delivery.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import ClassVar

import aiohttp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from standardwebhooks.webhooks import Webhook

from bluealert.app.webhook_key import webhook_private_key
from bluealert.config import Settings
from bluealert.dispatch.channels.base import ChannelLimits, Envelope, Outcome, RetryAfter
from bluealert.dispatch.channels.http_answers import http_outcome
from bluealert.dispatch.channels.payload import body
from bluealert.dispatch.publication import TierMessage


class WebhookChannel:
    name: ClassVar[str] = "webhook"

    def __init__(self, settings: Settings) -> None:
        self.limits = ChannelLimits(
            rate_per_second=settings.webhook_rate_per_second,
            batch_size=500,
            timeout_seconds=settings.webhook_timeout_seconds,
            concurrency=256,
        )
        self.settings = settings
        self._session: aiohttp.ClientSession | None = None
        self._signers: dict[str, Webhook] = {}
        self._node_key: Ed25519PrivateKey | None = None
        # At most `concurrency` requests begun at once, the others wait here: cheaper than
        # aiohttp's own wait for a free connection, and a request's timeout starts only once
        # it has one (batches from several consumers are in flight together).
        self._slots = asyncio.Semaphore(self.limits.concurrency)

    def skip_reason(self, message: TierMessage) -> str | None:
        return None  # every version and every end is announced to webhooks

    async def __aenter__(self) -> WebhookChannel:
        self._node_key = await asyncio.to_thread(webhook_private_key, self.settings)
        connector = aiohttp.TCPConnector(limit=self.limits.concurrency, limit_per_host=0)
        self._session = aiohttp.ClientSession(
            connector=connector,
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

    def _headers(self, envelope: Envelope, text: str, now: datetime) -> dict[str, str]:
        headers = {
            "content-type": "application/json",
            "webhook-id": envelope.key,
            "webhook-timestamp": str(int(now.timestamp())),
        }
        secret = envelope.recipient.secret
        if secret:
            signer = self._signers.get(secret) or self._signers.setdefault(secret, Webhook(secret))
            headers["webhook-signature"] = signer.sign(envelope.key, now, text)
        else:
            assert self._node_key is not None, "open the channel first (async with)"
            signed = f"{envelope.key}.{headers['webhook-timestamp']}.{text}".encode()
            signature = base64.b64encode(self._node_key.sign(signed)).decode()
            headers["webhook-signature"] = f"v1a,{signature}"
        return headers

    async def _post(self, envelope: Envelope) -> Outcome:
        assert self._session is not None, "open the channel first (async with)"
        text = body(envelope.message, envelope.recipient.formats)
        now = datetime.now(UTC)
        try:
            async with (
                self._slots,
                self._session.post(
                    envelope.recipient.address,
                    data=text.encode(),
                    headers=self._headers(envelope, text, now),
                ) as response,
            ):
                await response.read()
                return http_outcome(response.status, response.headers.get("Retry-After"))
        except TimeoutError:
            return RetryAfter(f"no answer within {self.limits.timeout_seconds:g} s")
        except aiohttp.ClientError as error:
            return RetryAfter(f"{type(error).__name__}: {error}")

    async def send(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._post(e) for e in envelopes)))
