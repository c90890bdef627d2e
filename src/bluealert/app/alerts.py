"""Use cases of the alert lifecycle. Each is one transaction: change, audit event, outbox row."""

from __future__ import annotations

from typing import Any

from bluealert.app.context import AppContext, Transaction, transaction
from bluealert.domain import lifecycle
from bluealert.domain.alert import Alert
from bluealert.domain.content import AlertContent
from bluealert.domain.criteria import Evaluation, evaluate
from bluealert.domain.plan import StatePlan
from bluealert.domain.registry import plan_for
from bluealert.domain.vocabulary import AlertState, Claim, Resolution
from bluealert.errors import CriteriaNotMet
from bluealert.geo.areas import area_geometry
from bluealert.store.outbox import OutboxKind


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


def draft_alert(ctx: AppContext, *, actor: str, content: AlertContent) -> Alert:
    area_geometry(content.area)  # an area that is not in the US, or not a shape, is refused
    now = ctx.clock()
    plan = plan_for(content.plan)
    with transaction(ctx) as tx:
        user = tx.users.get(actor)
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


def revise_draft(ctx: AppContext, *, actor: str, key: str, content: AlertContent) -> Alert:
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        after = lifecycle.revise_draft(
            before, content, user=tx.users.get(actor), plan=plan_for(before.plan), now=ctx.clock()
        )
        tx.alerts.save(after)
        _record(tx, "alert.revised", actor, before, after)
    return after


def submit_alert(
    ctx: AppContext, *, actor: str, key: str, attest: list[Claim] | None = None
) -> tuple[Alert, Evaluation]:
    """Submit for approval, first recording the submitter's attestations (who and when)."""
    now = ctx.clock()
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        user, plan = tx.users.get(actor), plan_for(before.plan)
        attested = lifecycle.attest(before, attest, user=user, now=now) if attest else before
        after = lifecycle.submit(attested, user=user, plan=plan, now=now)
        evaluation = _require_criteria(after.content, plan)
        tx.alerts.save(after)
        _record(
            tx, "alert.submitted", actor, before, after, attested=[c.value for c in attest or []]
        )
    return after, evaluation


def approve_alert(ctx: AppContext, *, actor: str, key: str) -> Alert:
    """Activate: in one transaction the alert goes active and its publication is queued."""
    now = ctx.clock()
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        plan = plan_for(before.plan)
        after = lifecycle.approve(before, user=tx.users.get(actor), plan=plan, now=now)
        _require_criteria(after.content, plan)
        tx.alerts.save(after)
        _record(
            tx,
            "alert.approved",
            actor,
            before,
            after,
            expires_at=after.expires_at.isoformat() if after.expires_at else None,
        )
        tx.outbox.add(after.id, after.current.number, OutboxKind.PUBLISH, now)
    return after


def reject_alert(ctx: AppContext, *, actor: str, key: str, reason: str) -> Alert:
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        after = lifecycle.reject(
            before,
            user=tx.users.get(actor),
            plan=plan_for(before.plan),
            reason=reason,
            now=ctx.clock(),
        )
        tx.alerts.save(after)
        _record(tx, "alert.rejected", actor, before, after, reason=after.reason)
    return after


def return_alert(ctx: AppContext, *, actor: str, key: str, reason: str) -> Alert:
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        after = lifecycle.return_to_author(
            before, user=tx.users.get(actor), plan=plan_for(before.plan), reason=reason
        )
        tx.alerts.save(after)
        _record(tx, "alert.returned", actor, before, after, reason=after.reason)
    return after


def update_alert(
    ctx: AppContext, *, actor: str, key: str, content: AlertContent, note: str
) -> Alert:
    area_geometry(content.area)
    now = ctx.clock()
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        if before.state is AlertState.DRAFT:
            after = lifecycle.revise_draft(
                before, content, user=tx.users.get(actor), plan=plan_for(before.plan), now=now
            )
            tx.alerts.save(after)
            _record(tx, "alert.revised", actor, before, after)
            return after
        plan = plan_for(before.plan)
        after = lifecycle.update(
            before, content, user=tx.users.get(actor), plan=plan, note=note, now=now
        )
        _require_criteria(after.content, plan)
        tx.alerts.save(after)
        _record(tx, "alert.updated", actor, before, after, note=note)
        tx.outbox.add(after.id, after.current.number, OutboxKind.UPDATE, now)
    return after


def renew_alert(ctx: AppContext, *, actor: str, key: str) -> Alert:
    now = ctx.clock()
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        after = lifecycle.renew(
            before, user=tx.users.get(actor), plan=plan_for(before.plan), now=now
        )
        tx.alerts.save(after)
        _record(
            tx,
            "alert.renewed",
            actor,
            before,
            after,
            expires_at=after.expires_at.isoformat() if after.expires_at else None,
        )
        tx.outbox.add(after.id, after.current.number, OutboxKind.UPDATE, now)
    return after


def cancel_alert(ctx: AppContext, *, actor: str, key: str, reason: str) -> Alert:
    now = ctx.clock()
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        after = lifecycle.cancel(
            before, user=tx.users.get(actor), plan=plan_for(before.plan), reason=reason, now=now
        )
        tx.alerts.save(after)
        _record(tx, "alert.cancelled", actor, before, after, reason=after.reason)
        tx.outbox.add(after.id, after.current.number, OutboxKind.CANCEL, now)
    return after


def resolve_alert(
    ctx: AppContext, *, actor: str, key: str, resolution: Resolution, note: str = ""
) -> Alert:
    now = ctx.clock()
    with transaction(ctx) as tx:
        before = tx.alerts.get(key, for_update=True)
        after = lifecycle.resolve(
            before,
            user=tx.users.get(actor),
            plan=plan_for(before.plan),
            resolution=resolution,
            note=note,
            now=now,
        )
        tx.alerts.save(after)
        _record(tx, "alert.resolved", actor, before, after, resolution=resolution.value)
        tx.outbox.add(after.id, after.current.number, OutboxKind.RESOLVE, now)
    return after


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
    with transaction(ctx) as tx:
        return tx.alerts.find(states=states, plan=plan)


def check_alert(ctx: AppContext, key: str) -> Evaluation:
    alert = get_alert(ctx, key)
    return evaluate(alert.content, plan_for(alert.plan))
