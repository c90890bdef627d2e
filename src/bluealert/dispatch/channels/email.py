"""Email through SMTP with aiosmtplib: a pool of open connections, one message per recipient.

Subscribers' messages carry List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) so that a mail
client can unsubscribe in one click. An expiry is not mailed (the feeds drop the alert by
themselves): that delivery is recorded as skipped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from types import TracebackType
from typing import ClassVar
from urllib.parse import urlsplit

import aiosmtplib

from bluealert.config import Settings
from bluealert.dispatch.channels.base import (
    ChannelLimits,
    Delivered,
    Envelope,
    Failed,
    Outcome,
    RetryAfter,
)
from bluealert.dispatch.channels.email_message import addressed, email_body
from bluealert.dispatch.publication import TierMessage
from bluealert.domain.delivery import Event


class EmailChannel:
    name: ClassVar[str] = "email"

    def __init__(self, settings: Settings) -> None:
        self.limits = ChannelLimits(
            rate_per_second=settings.email_rate_per_second,
            batch_size=200,
            timeout_seconds=30.0,
            concurrency=8,  # connections in the pool
        )
        url = urlsplit(settings.smtp_url)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 25
        self.use_tls = url.scheme == "smtps"
        self.username, self.password = url.username, url.password
        self.sender = settings.mail_from
        self.envelope_from = self.sender.rsplit("<", 1)[-1].rstrip(">")
        self._pool: asyncio.Queue[aiosmtplib.SMTP] = asyncio.Queue()
        self._open: list[aiosmtplib.SMTP] = []

    def skip_reason(self, message: TierMessage) -> str | None:
        if message.event is Event.EXPIRE:
            return "email does not announce an expiry; the feeds drop the alert"
        return None

    async def __aenter__(self) -> EmailChannel:
        for _ in range(self.limits.concurrency):
            client = aiosmtplib.SMTP(
                hostname=self.host,
                port=self.port,
                timeout=self.limits.timeout_seconds,
                use_tls=self.use_tls,
                username=self.username,
                password=self.password,
            )
            self._open.append(client)
            self._pool.put_nowait(client)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for client in self._open:
            if client.is_connected:
                try:
                    await client.quit()
                except aiosmtplib.SMTPException:
                    client.close()

    async def _send_one(self, envelope: Envelope) -> Outcome:
        recipient = envelope.recipient
        body = email_body(envelope.message, recipient.language, self.sender)
        unsubscribe = recipient.unsubscribe_url if recipient.is_subscriber else None
        data = addressed(body, recipient.address, envelope.key, unsubscribe, None)
        client = await self._pool.get()
        try:
            if not client.is_connected:
                await client.connect()
            await client.sendmail(self.envelope_from, [recipient.address], data)
            return Delivered("250 accepted")
        except aiosmtplib.SMTPRecipientsRefused as error:
            return _refused(error)
        except aiosmtplib.SMTPResponseException as error:
            client.close()
            if 500 <= error.code < 600:
                return Failed(f"SMTP {error.code} {error.message}")
            return RetryAfter(f"SMTP {error.code} {error.message}")
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            client.close()
            return RetryAfter(f"{type(error).__name__}: {error}")
        finally:
            self._pool.put_nowait(client)

    async def send(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._send_one(e) for e in envelopes)))


def _refused(error: aiosmtplib.SMTPRecipientsRefused) -> Outcome:
    """RFC 5321 §4.2.1: 5yz is permanent, 4yz transient."""
    first = error.recipients[0] if error.recipients else None
    code = first.code if first is not None else 550
    text = f"SMTP {code} {first.message if first is not None else 'refused'}"
    return Failed(text) if code >= 500 else RetryAfter(text)
