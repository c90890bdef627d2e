"""Use cases for tips: the public submits one about an active alert; law enforcement of the
alert's agency or state (and national coordinators) read them and mark them reviewed."""

from __future__ import annotations

from bluealert.app.context import AppContext, transaction
from bluealert.app.public import public_alert
from bluealert.domain.tips import (
    Tip,
    TipSubmission,
    check_review_note,
    check_tip_for,
    require_tip_reader,
)
from bluealert.store.tips import TipRepository

PUBLIC = "public"  # who the audit log names for a tip: the public, never an address


def submit_tip(ctx: AppContext, *, alert_key: str, tip: TipSubmission) -> Tip:
    """Store a tip about a public, active alert (refused for any other: unknown, not public
    and ended alike), and audit it without its words or contact."""
    alert = public_alert(ctx, alert_key)  # anything not public is "not found", not "refused"
    now = ctx.clock()
    check_tip_for(alert, tip, now)
    stored = Tip(
        id=ctx.make_id(),
        alert_id=alert.id,
        reference=alert.reference,
        submission=tip,
        received_at=now,
    )
    with transaction(ctx) as tx:
        TipRepository(tx.session).add(stored)
        tx.audit(
            "tip.received",
            actor=PUBLIC,
            subject_type="tip",
            subject_id=stored.id,
            now=now,
            alert=alert.reference,
            with_contact=tip.contact is not None,
            with_point=tip.lat is not None,
        )
    return stored


def list_tips(ctx: AppContext, *, alert_key: str, reviewed: bool | None = None) -> list[Tip]:
    """An alert's tips, oldest first (any alert: tips outlive the alert they are about)."""
    with transaction(ctx) as tx:
        alert = tx.alerts.get(alert_key)
        return TipRepository(tx.session).of_alert(alert.id, alert.reference, reviewed=reviewed)


def review_tip(ctx: AppContext, *, actor: str, alert_key: str, tip_id: str, note: str = "") -> Tip:
    """Mark a tip reviewed, by someone who may read the alert's tips; audited."""
    check_review_note(note)
    now = ctx.clock()
    with transaction(ctx) as tx:
        alert = tx.alerts.get(alert_key)
        require_tip_reader(tx.users.get(actor), alert)
        reviewed = TipRepository(tx.session).mark_reviewed(
            alert.id, alert.reference, tip_id, by=actor, at=now, note=note
        )
        tx.audit(
            "tip.reviewed",
            actor=actor,
            subject_type="tip",
            subject_id=tip_id,
            now=now,
            alert=alert.reference,
        )
    return reviewed
