"""Apprise: one channel to the many services Apprise speaks (SMS gateways, chat, pagers, mail).

A recipient's address is an Apprise URL (`tgram://bot-token/chat-id`, `twilio://…`,
`json://host/path`, …). Apprise is synchronous, so each notification runs in this channel's own
small thread pool, never on the event loop and never in the pool the engine's database work
uses. Each service has its limits as data (`SERVICES`): a rate, enforced here per service with
the engine's token bucket, and for the SMS-sized ones the longest WEA text that fits one
message; the channel's own rate (`BLUEALERT_APPRISE_RATE_PER_SECOND`) bounds them all.

Apprise answers only "sent" or "not sent": a service that did not take the notification is
retried (with what Apprise logged as the reason), then a dead letter; a URL Apprise does not
understand fails at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar
from urllib.parse import urlsplit

from bluealert.config import Settings
from bluealert.dispatch.channels.base import (
    ChannelLimits,
    Delivered,
    Envelope,
    Failed,
    Outcome,
    RetryAfter,
)
from bluealert.dispatch.publication import TierMessage
from bluealert.dispatch.ratelimit import TokenBucket


@dataclass(frozen=True, slots=True)
class ServiceLimits:
    rate_per_second: float  # per worker process, like every channel's rate
    max_chars: int | None = None  # None: the full texts; else the WEA text that fits


# Keyed by the Apprise URL's scheme. Rates are the services' published limits where they
# publish one, else a cautious guess; anything not listed gets DEFAULT.
GENERIC_HTTP = ServiceLimits(50.0)  # a receiver the operator runs (json://, xml://, form://)
SMS = ServiceLimits(1.0, max_chars=160)  # one GSM-7 message; a US long code sends 1 a second
SERVICES: dict[str, ServiceLimits] = {
    **dict.fromkeys(("json", "jsons", "xml", "xmls", "form", "forms"), GENERIC_HTTP),
    **dict.fromkeys(("twilio", "clickatell", "d7sms", "sinch", "vonage", "nexmo"), SMS),
    "tgram": ServiceLimits(30.0),  # Telegram bots: about 30 messages a second in bulk
    "slack": ServiceLimits(1.0),  # Slack incoming webhooks: 1 a second
    "discord": ServiceLimits(2.5),  # Discord webhooks: 5 requests per 2 seconds
    **dict.fromkeys(("mailto", "mailtos"), ServiceLimits(5.0)),
}
DEFAULT = ServiceLimits(1.0)


def service_of(url: str) -> str:
    return urlsplit(url).scheme.lower()


def limits_of(url: str) -> ServiceLimits:
    return SERVICES.get(service_of(url), DEFAULT)


def texts_for(
    message: TierMessage, language: str, max_chars: int | None, url: str
) -> tuple[str, str]:
    """(title, body) in the subscriber's language: the public texts, or for an SMS-sized
    service the longest WEA text that fits (WEA texts are written to stand alone)."""
    texts = message.texts.get(language) or message.texts["en"]
    wea = message.formats.get("wea")
    if max_chars is not None and wea is not None:
        rendered: dict[str, Any] = json.loads(wea)
        size = 360 if max_chars >= 360 else 90
        found = rendered.get(f"{language}.{size}") or rendered.get(f"en.{size}")
        if found:
            return "", str(found["text"])
    parts = [texts["description"], texts["instruction"], url]
    return texts["headline"], "\n\n".join(p for p in parts if p)


class _ReasonsByThread(logging.Handler):
    """Apprise says why a notification failed only in its log: keep each thread's last word."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.last: dict[int, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        self.last[record.thread or 0] = record.getMessage()

    def take(self) -> str:
        return self.last.pop(threading.get_ident(), "")


class AppriseChannel:
    name: ClassVar[str] = "apprise"

    def __init__(self, settings: Settings) -> None:
        self.limits = ChannelLimits(
            rate_per_second=settings.apprise_rate_per_second,
            batch_size=100,
            timeout_seconds=30.0,  # Apprise's own connect and read timeouts, and its retries
            concurrency=8,  # threads
        )
        self.base_url = settings.base_url
        self._buckets: dict[str, TokenBucket] = {}
        self._notifiers: OrderedDict[str, tuple[Any, threading.Lock]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._reasons = _ReasonsByThread()
        self._pool: ThreadPoolExecutor | None = None
        self._apprise: Any = None  # the module, imported on opening (it loads many plugins)

    def skip_reason(self, message: TierMessage) -> str | None:
        return None

    async def __aenter__(self) -> AppriseChannel:
        import apprise

        self._apprise = apprise
        self._pool = ThreadPoolExecutor(self.limits.concurrency, thread_name_prefix="apprise")
        logging.getLogger("apprise").addHandler(self._reasons)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        logging.getLogger("apprise").removeHandler(self._reasons)
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def _notifier(self, url: str) -> tuple[Any, threading.Lock] | None:
        """One Apprise service object per URL (it keeps its connection), kept for reuse."""
        with self._cache_lock:
            if url in self._notifiers:
                self._notifiers.move_to_end(url)
                return self._notifiers[url]
        notifier = self._apprise.Apprise.instantiate(url)
        if notifier is None:
            return None
        with self._cache_lock:
            found = self._notifiers.setdefault(url, (notifier, threading.Lock()))
            if len(self._notifiers) > 4096:
                self._notifiers.popitem(last=False)
        return found

    def _notify(self, url: str, title: str, body: str) -> Outcome:
        """In a pool thread: one notification, Apprise's answer made an outcome."""
        found = self._notifier(url)
        service = service_of(url)
        if found is None:
            return Failed(f"Apprise does not understand the URL scheme {service}://")
        notifier, lock = found
        with lock:  # a service object sends one notification at a time
            sent = notifier.notify(body=body, title=title)
        why = self._reasons.take()
        if sent:
            return Delivered(f"{service}: sent")
        return RetryAfter(f"{service}: {why or 'not sent'}")

    def _bucket(self, url: str) -> TokenBucket:
        service = service_of(url)
        if service not in self._buckets:
            rate = limits_of(url).rate_per_second
            self._buckets[service] = TokenBucket(rate, max(rate, 1.0))
        return self._buckets[service]

    async def _send_one(self, envelope: Envelope) -> Outcome:
        assert self._pool is not None, "open the channel first (async with)"
        recipient, message = envelope.recipient, envelope.message
        url = recipient.address
        page = f"{self.base_url}/alerts/{message.reference}"
        title, body = texts_for(message, recipient.language, limits_of(url).max_chars, page)
        await self._bucket(url).acquire(1)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._notify, url, title, body)

    async def send(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._send_one(e) for e in envelopes)))
