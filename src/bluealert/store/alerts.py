"""Alerts and their versions, converted to and from rows. Repositories never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bluealert.domain.alert import Alert, AlertVersion, Contribution, Notice
from bluealert.domain.attestation import Attestation
from bluealert.domain.content import AlertContent
from bluealert.domain.vocabulary import AlertState, MsgType, Resolution
from bluealert.errors import NotFound
from bluealert.store.rows import insert_if_missing, locked
from bluealert.store.tables import AlertRow, AlertVersionRow, ReferenceCounterRow

_ALERT_FIELDS = (
    "reference",
    "state",
    "author",
    "created_at",
    "submitted_at",
    "approved_by",
    "activated_at",
    "expires_at",
    "ended_at",
    "reason",
    "linked_alert_id",
)


def _version(row: AlertVersionRow) -> AlertVersion:
    return AlertVersion(
        number=row.number,
        msg_type=MsgType(row.msg_type),
        content=AlertContent.model_validate(row.content),
        created_at=row.created_at,
        created_by=row.created_by,
        published_at=row.published_at,
        note=row.note,
        attestations=tuple(Attestation.model_validate(a) for a in row.attestations),
        contributions=tuple(Contribution.model_validate(c) for c in row.contributions),
        notices=tuple(Notice.model_validate(n) for n in row.notices),
    )


def _alert(row: AlertRow, versions: Sequence[AlertVersionRow]) -> Alert:
    return Alert(
        id=row.id,
        versions=tuple(_version(v) for v in versions),
        resolution=Resolution(row.resolution) if row.resolution else None,
        **{name: getattr(row, name) for name in _ALERT_FIELDS},
    )


class AlertRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str, *, for_update: bool = False) -> Alert:
        """An alert by its id or its reference (case-insensitive)."""
        query = select(AlertRow).where(or_(AlertRow.id == key, AlertRow.reference == key.upper()))
        if for_update:  # read afresh: what the lock protects, not what this session saw before
            query = query.with_for_update().execution_options(populate_existing=True)
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(f"no alert {key!r}")
        return _alert(row, self._versions(row.id))

    def linked_to(self, alert_id: str, *, for_update: bool = False) -> list[Alert]:
        """The alerts other states run at the request of this one, oldest first."""
        query = (
            select(AlertRow)
            .where(AlertRow.linked_alert_id == alert_id)
            .order_by(AlertRow.created_at, AlertRow.id)
        )
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return [_alert(row, self._versions(row.id)) for row in self.session.scalars(query)]

    def _versions(self, alert_id: str) -> Sequence[AlertVersionRow]:
        return self.session.scalars(
            select(AlertVersionRow)
            .where(AlertVersionRow.alert_id == alert_id)
            .order_by(AlertVersionRow.number)
        ).all()

    def save(self, alert: Alert) -> None:
        """Insert or update the alert and write versions that are new or still drafts."""
        row = self.session.get(AlertRow, alert.id) or AlertRow(id=alert.id)
        for name in _ALERT_FIELDS:
            setattr(row, name, getattr(alert, name))
        row.plan_state, row.status = alert.plan, alert.status.value
        row.resolution = alert.resolution.value if alert.resolution else None
        self.session.add(row)
        self.session.flush()
        for version in alert.versions:
            self._save_version(alert.id, version)

    def _save_version(self, alert_id: str, version: AlertVersion) -> None:
        row = self.session.get(AlertVersionRow, (alert_id, version.number))
        if row is not None and row.published_at is not None:
            return  # published versions are immutable
        row = row or AlertVersionRow(alert_id=alert_id, number=version.number)
        row.msg_type, row.note = version.msg_type.value, version.note
        row.content = version.content.model_dump(mode="json")
        row.created_at, row.created_by = version.created_at, version.created_by
        row.published_at = version.published_at
        row.attestations = [a.model_dump(mode="json") for a in version.attestations]
        row.contributions = [c.model_dump(mode="json") for c in version.contributions]
        row.notices = [n.model_dump(mode="json") for n in version.notices]
        self.session.add(row)

    def find(
        self, *, states: Sequence[AlertState] = (), plan: str | None = None, limit: int = 200
    ) -> list[Alert]:
        query = select(AlertRow).order_by(AlertRow.created_at.desc()).limit(limit)
        if states:
            query = query.where(AlertRow.state.in_([s.value for s in states]))
        if plan:
            query = query.where(AlertRow.plan_state == plan.upper())
        return [_alert(row, self._versions(row.id)) for row in self.session.scalars(query)]

    def published(self, *, states: Sequence[AlertState], status: str) -> list[Alert]:
        """Alerts that went out (activated) in these states and of this CAP status, newest first."""
        query = (
            select(AlertRow)
            .where(
                AlertRow.state.in_([s.value for s in states]),
                AlertRow.status == status,
                AlertRow.activated_at.is_not(None),
            )
            .order_by(AlertRow.activated_at.desc(), AlertRow.id)
        )
        return [_alert(row, self._versions(row.id)) for row in self.session.scalars(query)]

    def count_by_state(self) -> dict[str, int]:
        query = select(AlertRow.state, func.count()).group_by(AlertRow.state)
        return {str(state): int(count) for state, count in self.session.execute(query)}

    def due_to_expire(self, now: datetime) -> list[str]:
        query = select(AlertRow.id).where(
            AlertRow.state == AlertState.ACTIVE.value, AlertRow.expires_at <= now
        )
        return list(self.session.scalars(query))

    def next_reference(self, state: str, year: int) -> str:
        """The next short reference a coordinator can read over the phone: TX-2026-0007."""
        insert_if_missing(self.session, ReferenceCounterRow, state=state, year=year, last=0)
        counter = locked(self.session, ReferenceCounterRow, (state, year))
        counter.last += 1
        self.session.flush()
        return f"{state}-{year}-{counter.last:04d}"
