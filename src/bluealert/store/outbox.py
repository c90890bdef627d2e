"""The outbox: what the dispatcher must publish, written in the change's own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bluealert.store.tables import OutboxRow


class OutboxKind(StrEnum):
    PUBLISH = "publish"
    UPDATE = "update"
    CANCEL = "cancel"
    RESOLVE = "resolve"
    EXPIRE = "expire"


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    alert_id: str
    version: int
    kind: OutboxKind
    created_at: datetime
    planned_through: int = 0  # the last subscription planned so far


NOTIFY_CHANNEL = "bluealert_outbox"


class Outbox:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.written = 0

    def add(self, alert_id: str, version: int, kind: OutboxKind, now: datetime) -> None:
        self.session.add(
            OutboxRow(alert_id=alert_id, version=version, kind=kind.value, created_at=now)
        )
        self.session.flush()
        self.nudge()

    def nudge(self) -> None:
        """Wake the dispatchers once this transaction commits (new work, or replayed work)."""
        self.written += 1
        if self.session.get_bind().dialect.name == "postgresql":
            # Delivered to the LISTENing dispatchers when (and only if) this transaction commits.
            self.session.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))

    def take(self, item_id: int) -> OutboxItem | None:
        """The item, locked for this transaction, if no one has dispatched or locked it.

        On PostgreSQL a second dispatcher skips a locked item (SKIP LOCKED) instead of waiting;
        SQLite has one writer at a time anyway."""
        row = self.session.scalar(
            select(OutboxRow)
            .where(OutboxRow.id == item_id, OutboxRow.dispatched_at.is_(None))
            .with_for_update(skip_locked=True)
        )
        if row is None:
            return None
        return OutboxItem(
            row.id,
            row.alert_id,
            row.version,
            OutboxKind(row.kind),
            row.created_at,
            row.planned_through or 0,
        )

    def planned_through(self, item_id: int, subscription_id: int) -> None:
        row = self.session.get(OutboxRow, item_id)
        if row is not None:
            row.planned_through = subscription_id

    def pending(self, limit: int = 100) -> list[OutboxItem]:
        rows = self.session.scalars(
            select(OutboxRow)
            .where(OutboxRow.dispatched_at.is_(None))
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return [
            OutboxItem(r.id, r.alert_id, r.version, OutboxKind(r.kind), r.created_at) for r in rows
        ]

    def mark_dispatched(self, item_id: int, now: datetime) -> None:
        row = self.session.get(OutboxRow, item_id)
        if row is not None:
            row.dispatched_at = now
