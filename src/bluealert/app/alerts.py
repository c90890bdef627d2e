"""Use cases of the alert lifecycle. Each is one transaction: change, audit event, outbox row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Protocol

from bluealert.app.context import AppContext, Transaction, transaction
from bluealert.app.linked_alerts import follow_original
from bluealert.app.photos import require_stored_photos, store_photos
from bluealert.domain import lifecycle
from bluealert.domain.alert import Alert
from bluealert.domain.content import AlertContent
from bluealert.domain.criteria import Evaluation, evaluate
from bluealert.domain.jurisdictions import jurisdiction
from bluealert.domain.people import User
from bluealert.domain.photos import CheckedPhoto
from bluealert.domain.plan import StatePlan
from bluealert.domain.registry import plan_for
from bluealert.domain.tiers import released_identities
from bluealert.domain.vocabulary import AlertState, Claim, Resolution
from bluealert.errors import CriteriaNotMet
from bluealert.geo.areas import area_geometry
from bluealert.store.outbox import OutboxKind


class Step(Protocol):
    """One lifecycle step, as `domain.lifecycle` writes them: pure, `now` passed in."""

    def __call__(self, alert: Alert, /, *, user: User, plan: StatePlan, now: datetime) -> Alert:
        """The changed alert, or raise the rule it breaks."""


def _record(
    tx: Transaction,
    action: str,
    actor: str,
    before: Alert | None,
    after: Alert,
    now: datetime,
    **data: Any,
) -> None:
    tx.audit(
        action,
        actor=actor,
        subject_type="alert",
        subject_id=after.id,
        now=now,
        reference=after.reference,
        version=after.current.number,
        state_from=before.state.value if before else None,
        state_to=after.state.value,
        **data,
    )


def _require_criteria(evaluation: Evaluation) -> None:
    if evaluation.blocking_unmet:
        raise CriteriaNotMet([c.sentence for c in evaluation.blocking_unmet])


def _notices(alert: Alert) -> dict[str, Any]:
    """What the step did otherwise than asked (an expiry capped), for its audit event."""
    notices = alert.current.notices
    return {"notices": [n.model_dump(mode="json") for n in notices]} if notices else {}


def _expiry(alert: Alert) -> dict[str, Any]:
    expires_at = alert.expires_at.isoformat() if alert.expires_at else None
    return {"expires_at": expires_at, **_notices(alert)}


def _reason(alert: Alert) -> dict[str, Any]:
    return {"reason": alert.reason}


def _no_details(alert: Alert) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Change:
    """What one use case does to a stored alert: the step, how it is recorded, what it sends."""

    action: str
    step: Step
    outbox: OutboxKind | None = None
    criteria: bool = False
    details: Callable[[Alert], dict[str, Any]] = _no_details


@dataclass(frozen=True)
class Applied:
    alert: Alert
    evaluation: Evaluation


def _apply_in(tx: Transaction, before: Alert, actor: str, change: Change, now: datetime) -> Applied:
    """Take one lifecycle step on a locked alert and record it, inside the caller's transaction."""
    plan = plan_for(before.plan)
    after = change.step(before, user=tx.users.get(actor), plan=plan, now=now)
    evaluation = evaluate(after.content, plan, attestations=after.current.attestations_in_force)
    if change.criteria:
        _require_criteria(evaluation)
    tx.alerts.save(after)
    _record(tx, change.action, actor, before, after, now, **change.details(after))
    if change.outbox is not None:
        tx.outbox.add(after.id, after.current.number, change.outbox, now)
    follow_original(tx, before, after, actor=actor, now=now)
    return Applied(after, evaluation)


def _apply(ctx: AppContext, *, actor: str, key: str, change: Change) -> Applied:
    """Load the alert locked, take one lifecycle step, and record it, all in one transaction.

    The clock is read once: the change and its audit event carry the same time.
    """
    now = ctx.clock()
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        return _apply_in(tx, before, actor, change, now)


def draft_alert(
    ctx: AppContext, *, actor: str, content: AlertContent, photos: Sequence[CheckedPhoto] = ()
) -> Alert:
    """Create a draft; photos that came with it are stored in the same transaction."""
    area_geometry(content.area)  # an area that is not in the US, or not a shape, is refused
    now = ctx.clock()
    plan = plan_for(content.plan)
    with transaction(ctx) as tx:
        user = tx.users.get(actor)
        _store_photos(tx, actor, content, photos)
        reference = tx.alerts.next_reference(content.plan, now.year)
        alert = lifecycle.draft(
            content, user=user, plan=plan, alert_id=ctx.make_id(), reference=reference, now=now
        )
        tx.alerts.save(alert)
        _record(
            tx,
            "alert.drafted",
            actor,
            None,
            alert,
            now,
            kind=content.kind.value,
            status=content.status.value,
        )
    return alert


def _store_photos(
    tx: Transaction, actor: str, content: AlertContent, photos: Sequence[CheckedPhoto]
) -> None:
    """Store the photos that came with the content, then check it names only stored ones."""
    store_photos(tx, actor, photos)
    require_stored_photos(tx, content)


def _revision(content: AlertContent) -> Change:
    return Change("alert.revised", partial(lifecycle.revise_draft, content=content))


def revise_draft(
    ctx: AppContext,
    *,
    actor: str,
    key: str,
    content: AlertContent,
    photos: Sequence[CheckedPhoto] = (),
) -> Alert:
    area_geometry(content.area)
    now = ctx.clock()
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        _store_photos(tx, actor, content, photos)
        return _apply_in(tx, before, actor, _revision(content), now).alert


def submit_alert(
    ctx: AppContext, *, actor: str, key: str, attest: list[Claim] | None = None
) -> tuple[Alert, Evaluation]:
    """Submit for approval, first recording the submitter's attestations (who and when)."""
    claims = attest or []

    def attest_and_submit(alert: Alert, *, user: User, plan: StatePlan, now: datetime) -> Alert:
        attested = lifecycle.attest(alert, claims, user=user, now=now) if claims else alert
        return lifecycle.submit(attested, user=user, plan=plan, now=now)

    def attested(_: Alert) -> dict[str, Any]:
        return {"attested": [c.value for c in claims]}

    change = Change("alert.submitted", attest_and_submit, criteria=True, details=attested)
    applied = _apply(ctx, actor=actor, key=key, change=change)
    return applied.alert, applied.evaluation


def approve_alert(ctx: AppContext, *, actor: str, key: str) -> Alert:
    """Activate: in one transaction the alert goes active and its publication is queued."""
    change = Change(
        "alert.approved",
        lifecycle.approve,
        outbox=OutboxKind.PUBLISH,
        criteria=True,
        details=_expiry,
    )
    return _apply(ctx, actor=actor, key=key, change=change).alert


def reject_alert(ctx: AppContext, *, actor: str, key: str, reason: str) -> Alert:
    change = Change("alert.rejected", partial(lifecycle.reject, reason=reason), details=_reason)
    return _apply(ctx, actor=actor, key=key, change=change).alert


def return_alert(ctx: AppContext, *, actor: str, key: str, reason: str) -> Alert:
    step = partial(lifecycle.return_to_author, reason=reason)
    return _apply(
        ctx, actor=actor, key=key, change=Change("alert.returned", step, details=_reason)
    ).alert


def update_alert(
    ctx: AppContext,
    *,
    actor: str,
    key: str,
    content: AlertContent,
    note: str,
    base: int | None,
    photos: Sequence[CheckedPhoto] = (),
    precondition: Callable[[Alert], None] | None = None,
) -> Alert:
    """Revise a draft in place, or publish a new version of an active alert.

    `base` is the version the change was based on; it is refused (StaleVersion) unless that is
    still the current one. The check, and which of the two changes this is, are decided on the
    alert locked in the transaction that writes the change (SELECT … FOR UPDATE on PostgreSQL,
    BEGIN IMMEDIATE on SQLite), so two updates from the same base never both publish: the
    second waits for the first, then reads the version it made. None is only for a caller that
    checks its own `precondition` on the locked alert instead (the API's If-Match).
    """
    area_geometry(content.area)
    now = ctx.clock()
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        if base is not None:
            lifecycle.require_base(before, base)
        if precondition is not None:
            precondition(before)
        _store_photos(tx, actor, content, photos)
        if before.state is AlertState.DRAFT:
            change = _revision(content)
        else:
            change = Change(
                "alert.updated",
                partial(lifecycle.update, content=content, note=note),
                outbox=OutboxKind.UPDATE,
                criteria=True,
                details=_update_details(note),
            )
        return _apply_in(tx, before, actor, change, now).alert


def _update_details(note: str) -> Callable[[Alert], dict[str, Any]]:
    """The update's note and, for the next-of-kin gate, whose identity it releases."""

    def details(after: Alert) -> dict[str, Any]:
        earlier = after.versions[-2].content
        released = released_identities(earlier, after.content)
        return {"note": note, "identities_released": released, **_expiry(after)}

    return details


def renew_alert(ctx: AppContext, *, actor: str, key: str) -> Alert:
    change = Change("alert.renewed", lifecycle.renew, outbox=OutboxKind.UPDATE, details=_expiry)
    return _apply(ctx, actor=actor, key=key, change=change).alert


def cancel_alert(ctx: AppContext, *, actor: str, key: str, reason: str) -> Alert:
    change = Change(
        "alert.cancelled",
        partial(lifecycle.cancel, reason=reason),
        outbox=OutboxKind.CANCEL,
        details=_reason,
    )
    return _apply(ctx, actor=actor, key=key, change=change).alert


def resolve_alert(
    ctx: AppContext, *, actor: str, key: str, resolution: Resolution, note: str = ""
) -> Alert:
    def resolved(_: Alert) -> dict[str, Any]:
        return {"resolution": resolution.value}

    change = Change(
        "alert.resolved",
        partial(lifecycle.resolve, resolution=resolution, note=note),
        outbox=OutboxKind.RESOLVE,
        details=resolved,
    )
    return _apply(ctx, actor=actor, key=key, change=change).alert


def expire_due_alerts(ctx: AppContext) -> list[Alert]:
    """Expire every active alert past its expiry time; each in its own transaction."""
    now = ctx.clock()
    with transaction(ctx) as tx:
        due = tx.alerts.due_to_expire(now)
    return [_expire_one(ctx, alert_id) for alert_id in due]


def _expire_one(ctx: AppContext, alert_id: str) -> Alert:
    now = ctx.clock()
    with transaction(ctx) as tx:
        before = tx.alerts.get(alert_id, for_update=True)
        if not lifecycle.is_due_to_expire(before, now):
            return before
        after = lifecycle.expire(before, now=now)
        tx.alerts.save(after)
        _record(tx, "alert.expired", "system", before, after, now)
        tx.outbox.add(after.id, after.current.number, OutboxKind.EXPIRE, now)
        follow_original(tx, before, after, actor="system", now=now)
    return after


def get_alert(ctx: AppContext, key: str) -> Alert:
    with transaction(ctx) as tx:
        return tx.alerts.get(key)


def list_alerts(ctx: AppContext, *, states: list[AlertState], plan: str | None) -> list[Alert]:
    usps = jurisdiction(plan).usps if plan else None  # an unknown state is an error, not "none"
    with transaction(ctx) as tx:
        return tx.alerts.find(states=states, plan=usps)


def check_alert(ctx: AppContext, key: str) -> Evaluation:
    alert = get_alert(ctx, key)
    return evaluate(
        alert.content, plan_for(alert.plan), attestations=alert.current.attestations_in_force
    )
