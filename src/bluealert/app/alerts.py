"""Use cases of the alert lifecycle. Each is one transaction: change, audit event, outbox row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from bluealert.app.context import AppContext, Transaction, transaction
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

Step = Callable[[Alert, User, StatePlan, datetime], Alert]


def _record(
    tx: Transaction, action: str, actor: str, before: Alert | None, after: Alert, **data: Any
) -> None:
    tx.audit(
        action,
        actor=actor,
        subject_type="alert",
        subject_id=after.id,
        now=tx.ctx.clock(),
        reference=after.reference,
        version=after.current.number,
        state_from=before.state.value if before else None,
        state_to=after.state.value,
        **data,
    )


def _require_criteria(content: AlertContent, plan: StatePlan) -> Evaluation:
    evaluation = evaluate(content, plan)
    if evaluation.blocking_unmet:
        raise CriteriaNotMet([c.sentence for c in evaluation.blocking_unmet])
    return evaluation


def _expiry(alert: Alert) -> dict[str, Any]:
    return {"expires_at": alert.expires_at.isoformat() if alert.expires_at else None}


def _reason(alert: Alert) -> dict[str, Any]:
    return {"reason": alert.reason}


def _apply(
    ctx: AppContext,
    *,
    actor: str,
    key: str,
    action: str,
    step: Step,
    outbox: OutboxKind | None = None,
    criteria: bool = False,
    details: Callable[[Alert], dict[str, Any]] = lambda _: {},
    prepare: Callable[[Transaction], None] = lambda _: None,
) -> Alert:
    """Load the alert locked, take one lifecycle step, and record it, all in one transaction."""
    now = ctx.clock()
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        prepare(tx)
        plan = plan_for(before.plan)
        after = step(before, tx.users.get(actor), plan, now)
        if criteria:
            _require_criteria(after.content, plan)
        tx.alerts.save(after)
        _record(tx, action, actor, before, after, **details(after))
        if outbox is not None:
            tx.outbox.add(after.id, after.current.number, outbox, now)
    return after


def _photos_step(
    actor: str, content: AlertContent, photos: Sequence[CheckedPhoto]
) -> Callable[[Transaction], None]:
    """Store the photos that came with the content, then check it names only stored ones."""

    def prepare(tx: Transaction) -> None:
        store_photos(tx, actor, photos)
        require_stored_photos(tx, content)

    return prepare


def draft_alert(
    ctx: AppContext, *, actor: str, content: AlertContent, photos: Sequence[CheckedPhoto] = ()
) -> Alert:
    """Create a draft; photos that came with it are stored in the same transaction."""
    area_geometry(content.area)  # an area that is not in the US, or not a shape, is refused
    now = ctx.clock()
    plan = plan_for(content.plan)
    with transaction(ctx) as tx:
        user = tx.users.get(actor)
        _photos_step(actor, content, photos)(tx)
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
            kind=content.kind.value,
            status=content.status.value,
        )
    return alert


def revise_draft(
    ctx: AppContext,
    *,
    actor: str,
    key: str,
    content: AlertContent,
    photos: Sequence[CheckedPhoto] = (),
) -> Alert:
    area_geometry(content.area)
    return _apply(
        ctx,
        actor=actor,
        key=key,
        action="alert.revised",
        prepare=_photos_step(actor, content, photos),
        step=lambda a, u, p, n: lifecycle.revise_draft(a, content, user=u, plan=p, now=n),
    )


def submit_alert(
    ctx: AppContext, *, actor: str, key: str, attest: list[Claim] | None = None
) -> tuple[Alert, Evaluation]:
    """Submit for approval, first recording the submitter's attestations (who and when)."""

    def step(alert: Alert, user: User, plan: StatePlan, now: datetime) -> Alert:
        attested = lifecycle.attest(alert, attest, user=user, now=now) if attest else alert
        return lifecycle.submit(attested, user=user, plan=plan, now=now)

    after = _apply(
        ctx,
        actor=actor,
        key=key,
        action="alert.submitted",
        step=step,
        criteria=True,
        details=lambda _: {"attested": [c.value for c in attest or []]},
    )
    return after, evaluate(after.content, plan_for(after.plan))


def approve_alert(ctx: AppContext, *, actor: str, key: str) -> Alert:
    """Activate: in one transaction the alert goes active and its publication is queued."""
    return _apply(
        ctx,
        actor=actor,
        key=key,
        action="alert.approved",
        outbox=OutboxKind.PUBLISH,
        criteria=True,
        details=_expiry,
        step=lambda a, u, p, n: lifecycle.approve(a, user=u, plan=p, now=n),
    )


def reject_alert(ctx: AppContext, *, actor: str, key: str, reason: str) -> Alert:
    return _apply(
        ctx,
        actor=actor,
        key=key,
        action="alert.rejected",
        details=_reason,
        step=lambda a, u, p, n: lifecycle.reject(a, user=u, plan=p, reason=reason, now=n),
    )


def return_alert(ctx: AppContext, *, actor: str, key: str, reason: str) -> Alert:
    return _apply(
        ctx,
        actor=actor,
        key=key,
        action="alert.returned",
        details=_reason,
        step=lambda a, u, p, n: lifecycle.return_to_author(a, user=u, plan=p, reason=reason),
    )


def update_alert(
    ctx: AppContext,
    *,
    actor: str,
    key: str,
    content: AlertContent,
    note: str,
    photos: Sequence[CheckedPhoto] = (),
) -> Alert:
    """Revise a draft in place, or publish a new version of an active alert."""
    area_geometry(content.area)
    with transaction(ctx) as tx:
        is_draft = tx.alerts.get(key).state is AlertState.DRAFT
    if is_draft:
        return revise_draft(ctx, actor=actor, key=key, content=content, photos=photos)
    return _apply(
        ctx,
        actor=actor,
        key=key,
        action="alert.updated",
        outbox=OutboxKind.UPDATE,
        criteria=True,
        prepare=_photos_step(actor, content, photos),
        details=_update_details(note),
        step=lambda a, u, p, n: lifecycle.update(a, content, user=u, plan=p, note=note, now=n),
    )


def _update_details(note: str) -> Callable[[Alert], dict[str, Any]]:
    """The update's note and, for the next-of-kin gate, whose identity it releases."""

    def details(after: Alert) -> dict[str, Any]:
        earlier = after.versions[-2].content
        return {"note": note, "identities_released": released_identities(earlier, after.content)}

    return details


def renew_alert(ctx: AppContext, *, actor: str, key: str) -> Alert:
    return _apply(
        ctx,
        actor=actor,
        key=key,
        action="alert.renewed",
        outbox=OutboxKind.UPDATE,
        details=_expiry,
        step=lambda a, u, p, n: lifecycle.renew(a, user=u, plan=p, now=n),
    )


def cancel_alert(ctx: AppContext, *, actor: str, key: str, reason: str) -> Alert:
    return _apply(
        ctx,
        actor=actor,
        key=key,
        action="alert.cancelled",
        outbox=OutboxKind.CANCEL,
        details=_reason,
        step=lambda a, u, p, n: lifecycle.cancel(a, user=u, plan=p, reason=reason, now=n),
    )


def resolve_alert(
    ctx: AppContext, *, actor: str, key: str, resolution: Resolution, note: str = ""
) -> Alert:
    return _apply(
        ctx,
        actor=actor,
        key=key,
        action="alert.resolved",
        outbox=OutboxKind.RESOLVE,
        details=lambda _: {"resolution": resolution.value},
        step=lambda a, u, p, n: lifecycle.resolve(
            a, user=u, plan=p, resolution=resolution, note=note, now=n
        ),
    )


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
        _record(tx, "alert.expired", "system", before, after)
        tx.outbox.add(after.id, after.current.number, OutboxKind.EXPIRE, now)
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
    return evaluate(alert.content, plan_for(alert.plan))
