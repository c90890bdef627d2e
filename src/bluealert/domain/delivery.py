"""Deliveries: one receipt per (alert version, event, recipient, channel), and how they retry."""

from __future__ import annotations

import random
from enum import StrEnum


class DeliveryState(StrEnum):
    PLANNED = "planned"  # waiting for a worker
    SENDING = "sending"  # a worker holds it (until its lease runs out)
    SENT = "sent"  # the channel said delivered
    RETRYING = "retrying"  # the channel said try again; next_attempt_at says when
    DEAD = "dead"  # failed permanently, or out of attempts: a dead letter to replay
    SKIPPED = "skipped"  # this channel does not carry this version (recorded, not an error)
    SUPERSEDED = "superseded"  # a later version reached the queue first; this one is not sent


FINAL = frozenset({DeliveryState.SENT, DeliveryState.DEAD, DeliveryState.SKIPPED})
OPEN = frozenset({DeliveryState.PLANNED, DeliveryState.RETRYING})


class Event(StrEnum):
    """What a delivery announces. An expiry sends no new CAP version, so it is its own event."""

    PUBLISH = "publish"
    UPDATE = "update"
    CANCEL = "cancel"
    RESOLVE = "resolve"
    EXPIRE = "expire"

    @property
    def ends_alert(self) -> bool:
        return self in (Event.CANCEL, Event.RESOLVE, Event.EXPIRE)


def idempotency_key(alert_id: str, version: int, event: Event, recipient: str, channel: str) -> str:
    """The receipt's unique key, also sent as `webhook-id` so a receiver can drop repeats."""
    return f"{key_prefix(alert_id, version, event)}{recipient}.{channel}"


def key_prefix(alert_id: str, version: int, event: Event) -> str:
    """What every key of one version's event starts with (the database completes the keys of
    the subscribers it plans itself)."""
    return f"{alert_id}.{version}.{event.value}."


def backoff_seconds(
    attempt: int, rng: random.Random, *, base: float = 2.0, cap: float = 300.0
) -> float:
    """Exponential backoff with jitter: uniform in [w/10, w], w = min(cap, base·2^(attempt-1)).

    Jitter (AWS Architecture Blog, "Exponential Backoff And Jitter") keeps many workers that
    failed together from retrying together; the tenth at the bottom keeps a retry from being
    immediate. `rng` is passed in: the domain draws no randomness of its own.
    """
    window = min(cap, base * 2.0 ** max(attempt - 1, 0))
    return window * rng.uniform(0.1, 1.0)
