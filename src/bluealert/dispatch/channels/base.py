"""The channel interface: send a batch, answer per recipient. Limits are data.

    Outcome
    ├── Delivered      the receiver took it (detail: what it answered)
    ├── RetryAfter     try again later (after `seconds`, or the engine's backoff when None)
    ├── Failed         permanently: a dead letter an operator can replay
    │   └── Gone       the address no longer exists (a push subscription the push service
    │                  reports gone): a dead letter, and the engine removes the subscription
    └── Skipped        this channel does not carry this version (recorded, not an error)

A channel never raises for an expected failure (a 500, a refused connection, a timeout): it
answers one outcome per envelope, in order. The engine enforces the limits it declares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import ClassVar, Protocol

from bluealert.config import Settings
from bluealert.dispatch.publication import TierMessage
from bluealert.domain.partner import SignSetup
from bluealert.domain.subscription import PushKeys


@dataclass(frozen=True, slots=True)
class ChannelLimits:
    rate_per_second: float  # per worker process
    batch_size: int  # deliveries the engine hands over at once
    timeout_seconds: float  # one send, connect to answer
    concurrency: int  # sends in flight at once within a batch
    max_attempts: int = 6  # then a dead letter


@dataclass(frozen=True, slots=True)
class Delivered:
    detail: str = ""


@dataclass(frozen=True, slots=True)
class RetryAfter:
    reason: str
    seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Failed:
    reason: str


@dataclass(frozen=True, slots=True)
class Gone(Failed):
    pass


@dataclass(frozen=True, slots=True)
class Skipped:
    reason: str


Outcome = Delivered | RetryAfter | Failed | Skipped


@dataclass(frozen=True, slots=True)
class Recipient:
    id: str  # p<partner id> or s<subscription id>
    address: str
    language: str
    formats: tuple[str, ...] = ("cap",)
    secret: str | None = None  # a partner's webhook signing secret
    unsubscribe_url: str | None = None  # a subscriber's one-click link (RFC 8058)
    push_keys: PushKeys | None = None  # a web push subscriber's browser keys
    sign: SignSetup | None = None  # an ntcip sign's profile and slots

    @property
    def is_subscriber(self) -> bool:
        return self.id.startswith("s")


@dataclass(frozen=True, slots=True)
class Envelope:
    key: str  # the idempotency key: webhook-id, Message-ID, MQTT correlation
    recipient: Recipient
    message: TierMessage


class Channel(Protocol):
    """One way of delivering. Opened once per worker (pools live inside), closed at the end."""

    name: ClassVar[str]
    limits: ChannelLimits

    def skip_reason(self, message: TierMessage) -> str | None:
        """Why this channel does not carry `message`, or None when it does."""
        ...

    async def send(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        """One outcome per envelope, in order; never raises for an expected failure."""
        ...

    async def __aenter__(self) -> Channel: ...

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...


class ChannelFactory(Protocol):
    def __call__(self, settings: Settings) -> Channel: ...
