"""Tips from the public, stored per alert; rows become `domain.tips.Tip` only here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bluealert.domain.tips import Tip, TipSubmission
from bluealert.errors import NotFound
from bluealert.store.tables import TipRow


def _tip(row: TipRow, reference: str) -> Tip:
    submission = TipSubmission(
        seen=row.seen,
        location=row.location,
        seen_at=row.seen_at,
        contact=row.contact,
        lat=row.lat,
        lon=row.lon,
    )
    return Tip(
        id=row.id,
        alert_id=row.alert_id,
        reference=reference,
        submission=submission,
        received_at=row.received_at,
        reviewed_at=row.reviewed_at,
        reviewed_by=row.reviewed_by,
        review_note=row.review_note,
    )


class TipRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, tip: Tip) -> None:
        given = tip.submission
        self.session.add(
            TipRow(
                id=tip.id,
                alert_id=tip.alert_id,
                seen=given.seen,
                location=given.location,
                seen_at=given.seen_at,
                contact=given.contact,
                lat=given.lat,
                lon=given.lon,
                received_at=tip.received_at,
                review_note="",
            )
        )

    def of_alert(self, alert_id: str, reference: str, *, reviewed: bool | None) -> list[Tip]:
        """The alert's tips, oldest first; only reviewed or unreviewed ones when asked."""
        query = select(TipRow).where(TipRow.alert_id == alert_id)
        if reviewed is not None:
            column = TipRow.reviewed_at
            query = query.where(column.is_not(None) if reviewed else column.is_(None))
        rows = self.session.scalars(query.order_by(TipRow.received_at, TipRow.id))
        return [_tip(row, reference) for row in rows]

    def unreviewed_counts(self, alert_ids: list[str]) -> dict[str, int]:
        """How many tips of each alert nobody has reviewed yet (alerts with none are left out)."""
        query = (
            select(TipRow.alert_id, func.count())
            .where(TipRow.alert_id.in_(alert_ids), TipRow.reviewed_at.is_(None))
            .group_by(TipRow.alert_id)
        )
        return {alert_id: int(count) for alert_id, count in self.session.execute(query)}

    def mark_reviewed(
        self, alert_id: str, reference: str, tip_id: str, *, by: str, at: datetime, note: str
    ) -> Tip:
        row = self.session.get(TipRow, tip_id, with_for_update=True)
        if row is None or row.alert_id != alert_id:
            raise NotFound(f"no tip {tip_id!r} about {reference}", field="tip")
        row.reviewed_at, row.reviewed_by, row.review_note = at, by, note
        return _tip(row, reference)
