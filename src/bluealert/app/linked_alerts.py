"""A linked alert follows its original, inside the original's own transaction.

Every lifecycle use case calls `follow_original` once it has saved its change (app.alerts). A
published update of the original reaches each active linked alert as a new version under the
linked state's plan (domain.linked), audited and queued to the outbox like any update; the
original's end (cancelled, resolved or expired) ends them the same way, and closes the requests
it made that are still waiting for an answer. Linked alerts of a linked alert follow in turn.
"""

from __future__ import annotations

from datetime import datetime

from bluealert.app.context import Transaction
from bluealert.domain import activation, linked
from bluealert.domain.alert import Alert
from bluealert.domain.criteria import evaluate
from bluealert.domain.lifecycle import is_due_to_expire
from bluealert.domain.registry import plan_for
from bluealert.domain.tiers import released_identities
from bluealert.domain.vocabulary import AlertState, MsgType
from bluealert.logs import get_logger
from bluealert.store.outbox import OutboxKind

log = get_logger("bluealert.app")

_ENDINGS = {
    AlertState.CANCELLED: OutboxKind.CANCEL,
    AlertState.RESOLVED: OutboxKind.RESOLVE,
    AlertState.EXPIRED: OutboxKind.EXPIRE,
}


def follow_original(
    tx: Transaction, before: Alert, after: Alert, *, actor: str, now: datetime
) -> None:
    """Carry the change from `before` to `after` of an alert over to the alerts linked to it."""
    if before.state is AlertState.ACTIVE and after.state in _ENDINGS:
        _close_unanswered_requests(tx, after, actor, now)
        for follower in _active_followers(tx, after):
            _end(tx, follower, after, actor, now)
    elif _published_update(before, after):
        for follower in _active_followers(tx, after):
            if not is_due_to_expire(follower, now):  # the expiry sweep ends it instead
                _update(tx, follower, after, actor, now)


def _published_update(before: Alert, after: Alert) -> bool:
    return (
        after.state is AlertState.ACTIVE
        and after.current.number > before.current.number
        and after.current.msg_type is MsgType.UPDATE
    )


def _active_followers(tx: Transaction, original: Alert) -> list[Alert]:
    found = tx.alerts.linked_to(original.id, for_update=True)
    return [a for a in found if a.state is AlertState.ACTIVE]


def _update(tx: Transaction, follower: Alert, original: Alert, actor: str, now: datetime) -> None:
    plan = plan_for(follower.plan)
    updated = linked.follow_update(follower, original, plan=plan, now=now)
    tx.alerts.save(updated)
    # The update goes out even where the linked plan's criteria are no longer met: the facts
    # it corrects must not stay on air in one state. The coordinator there sees what is unmet.
    evaluation = evaluate(updated.content, plan, attestations=updated.current.attestations)
    unmet = [c.sentence for c in evaluation.blocking_unmet]
    _record(
        tx,
        "alert.updated",
        actor,
        follower,
        updated,
        now,
        follows=original.reference,
        follows_version=original.current.number,
        note=updated.current.note,
        identities_released=released_identities(follower.content, updated.content),
        criteria_unmet=unmet,
        expires_at=updated.expires_at.isoformat() if updated.expires_at else None,
        notices=[n.model_dump(mode="json") for n in updated.current.notices],
    )
    tx.outbox.add(updated.id, updated.current.number, OutboxKind.UPDATE, now)
    if unmet:
        log.warning(
            "linked_alert_criteria_unmet",
            extra={"action": "linked_alert_criteria_unmet", "alert": updated.id, "unmet": unmet},
        )
    follow_original(tx, follower, updated, actor=actor, now=now)


def _end(tx: Transaction, follower: Alert, original: Alert, actor: str, now: datetime) -> None:
    ended = linked.end_with_original(follower, original, by=actor, now=now)
    tx.alerts.save(ended)
    details = {"reason": ended.reason}
    if ended.resolution is not None:
        details["resolution"] = ended.resolution.value
    _record(
        tx,
        f"alert.{ended.state.value}",
        actor,
        follower,
        ended,
        now,
        follows=original.reference,
        **details,
    )
    tx.outbox.add(ended.id, ended.current.number, _ENDINGS[ended.state], now)
    follow_original(tx, follower, ended, actor=actor, now=now)


def _close_unanswered_requests(tx: Transaction, original: Alert, actor: str, now: datetime) -> None:
    for request in tx.requests.for_alert(original.id, for_update=True):
        if request.state is not activation.RequestState.PENDING:
            continue
        closed = activation.close_unanswered(request, original, by=actor, now=now)
        tx.requests.save(closed)
        tx.audit(
            f"activation.{closed.state.value}",
            actor=actor,
            subject_type="activation_request",
            subject_id=closed.id,
            now=now,
            alert=original.reference,
            to_state=closed.to_state,
            reason=closed.reason,
        )


def _record(
    tx: Transaction,
    action: str,
    actor: str,
    before: Alert,
    after: Alert,
    now: datetime,
    **data: object,
) -> None:
    tx.audit(
        action,
        actor=actor,
        subject_type="alert",
        subject_id=after.id,
        now=now,
        reference=after.reference,
        version=after.current.number,
        state_from=before.state.value,
        state_to=after.state.value,
        **data,
    )
