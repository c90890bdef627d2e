"""Use cases for tips: the public submits one about an active alert; law enforcement of the
alert's agency or state (and national coordinators) read them and mark them reviewed."""

from __future__ import annotations

from dataclasses import dataclass

from bluealert.app.context import AppContext, transaction
from bluealert.app.public import public_alert
from bluealert.domain.alert import Alert
from bluealert.domain.people import AGENCY_ROLES, User
from bluealert.domain.tips import (
    Tip,
    TipSubmission,
    check_review_note,
    check_tip_for,
    require_tip_reader,
)
from bluealert.domain.vocabulary import Role
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


def unreviewed_tips(ctx: AppContext, alert_ids: list[str]) -> dict[str, int]:
    """Each alert's count of tips not reviewed yet (0 for an alert with none)."""
    with transaction(ctx) as tx:
        counts = TipRepository(tx.session).unreviewed_counts(alert_ids)
    return {alert_id: counts.get(alert_id, 0) for alert_id in alert_ids}


@dataclass(frozen=True)
class TipNotice:
    """What law enforcement is told of a new tip: that it came and how many wait, never what
    it says (email is no place for law-enforcement data)."""

    alert: str  # reference
    tip_id: str
    to: dict[str, tuple[str, ...]]  # each address (one message each) and the people it reaches
    subject: str
    text: str


@dataclass(frozen=True)
class NoticeOutcome:
    """What the mail server did with a notice: the addresses it took and those it refused,
    or why it took none at all."""

    accepted: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    failed: str | None = None


def tells_of_tips(user: User, alert: Alert) -> bool:
    """Who hears of a new tip: the alert's own agency (originators, supervisors), the state
    coordinators of its plan and national coordinators — with an email to hear it at."""
    if user.email is None:
        return False
    agency = bool(user.roles & AGENCY_ROLES) and user.acts_for_agency(
        alert.content.requesting_agency.ori
    )
    state = Role.STATE_COORDINATOR in user.roles and alert.plan in user.states
    return agency or state or Role.NATIONAL_COORDINATOR in user.roles


def _addressed(people: list[User]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for user in people:
        if user.email:
            found.setdefault(user.email, []).append(user.username)
    return {email: tuple(sorted(found[email])) for email in sorted(found)}


def tip_notice(ctx: AppContext, *, tip: Tip) -> TipNotice | None:
    """The notice of a tip just stored; None when nobody has an email to hear it at."""
    with transaction(ctx) as tx:
        alert = tx.alerts.get(tip.reference)
        people = [u for u in tx.users.everyone() if tells_of_tips(u, alert)]
        waiting = TipRepository(tx.session).unreviewed_counts([alert.id]).get(alert.id, 0)
    if not people:
        return None
    text = (
        f"A member of the public sent a tip about Blue Alert {alert.reference} at "
        f"{tip.received_at.isoformat(timespec='seconds')}. {waiting} tip(s) about it are not "
        f"reviewed yet.\n\nRead and review them in bluealert:\n"
        f"  bluealert tips list {alert.reference} --unreviewed\n"
        f"  GET /api/v1/alerts/{alert.reference}/tips?reviewed=false\n\n"
        "This notice does not carry what the tip says: tips are law-enforcement data, read "
        "only in bluealert.\n"
    )
    return TipNotice(
        alert=alert.reference,
        tip_id=tip.id,
        to=_addressed(people),
        subject=f"New tip on Blue Alert {alert.reference} ({waiting} unreviewed)",
        text=text,
    )


def record_tip_notice(ctx: AppContext, notice: TipNotice, outcome: NoticeOutcome) -> None:
    """Audit what became of a tip's notice (`tip.notified`, by `system`): the people it reached,
    those whose address was refused, and why none went — usernames, never an address."""

    def people(addresses: tuple[str, ...]) -> list[str]:
        return sorted(name for address in addresses for name in notice.to.get(address, ()))

    with transaction(ctx) as tx:
        tx.audit(
            "tip.notified",
            actor="system",
            subject_type="tip",
            subject_id=notice.tip_id,
            now=ctx.clock(),
            alert=notice.alert,
            to=people(tuple(notice.to)),
            told=people(outcome.accepted),
            refused=people(outcome.refused),
            failed=outcome.failed,
        )


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
