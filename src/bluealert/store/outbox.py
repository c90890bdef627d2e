"""The outbox: what the dispatcher must publish, written in the change's own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
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


class Outbox:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, alert_id: str, version: int, kind: OutboxKind, now: datetime) -> None:
        self.session.add(
            OutboxRow(alert_id=alert_id, version=version, kind=kind.value, created_at=now)
        )
        self.session.flush()

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
