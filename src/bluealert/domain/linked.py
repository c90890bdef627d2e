"""How a linked alert follows its original: the alert of the state that asked for it.

The facts follow the original. Each published update of the original becomes a new version
of the linked alert under the linked state's own plan: its state (plan) and area stay its own,
its expiry stays within that plan's maximum and never passes the original's. When the original
ends, the linked alert ends the same way: cancelled, resolved with the same resolution, or
expired. Every function is pure, like domain.lifecycle.
"""

from __future__ import annotations

from datetime import datetime

from bluealert.domain import expiry
from bluealert.domain.alert import Alert, AlertVersion
from bluealert.domain.plan import StatePlan
from bluealert.domain.vocabulary import AlertState, MsgType
from bluealert.errors import TransitionRefused


def follow_update(linked: Alert, original: Alert, *, plan: StatePlan, now: datetime) -> Alert:
    """The linked alert's next version, carrying the original's newest published one."""
    _require_follower(linked, original)
    source = original.current
    applies = _expiry(linked, original, plan, now)
    expires_at = applies.at if applies else None
    content = source.content.model_copy(
        update={"plan": linked.plan, "area": linked.content.area, "expires_at": expires_at}
    )
    note = f"follows {original.reference} version {source.number}"
    version = AlertVersion(
        number=linked.current.number + 1,
        msg_type=MsgType.UPDATE,
        content=content,
        created_at=now,
        created_by=source.created_by,
        published_at=now,
        note=f"{note}: {source.note}" if source.note else note,
        attestations=source.attestations_in_force,
        notices=applies.notices() if applies else (),
    )
    return linked.model_copy(
        update={"versions": (*linked.versions, version), "expires_at": expires_at}
    )


def _expiry(linked: Alert, original: Alert, plan: StatePlan, now: datetime) -> expiry.Expiry | None:
    """As an update of the linked alert's own would set it, and no later than the original's."""
    requested = original.content.expires_at
    if requested is not None:
        return expiry.for_linked(requested, original.expires_at, plan, now)
    found = [t for t in (linked.expires_at, original.expires_at) if t is not None]
    return expiry.Expiry(min(found)) if found else None


def end_with_original(linked: Alert, original: Alert, *, by: str, now: datetime) -> Alert:
    """End the linked alert as its original ended: cancelled, resolved or expired."""
    _require_follower(linked, original)
    if original.state is AlertState.EXPIRED:
        ended = min(t for t in (linked.expires_at, original.ended_at, now) if t is not None)
        return linked.model_copy(
            update={"state": AlertState.EXPIRED, "expires_at": ended, "ended_at": ended}
        )
    if original.state not in {AlertState.CANCELLED, AlertState.RESOLVED}:
        raise TransitionRefused(
            f"{original.reference} is {original.state.value}: a linked alert ends only when "
            "its original is cancelled, resolved or expires"
        )
    reason = f"{original.reference} was {original.state.value}: {original.reason}"
    version = AlertVersion(
        number=linked.current.number + 1,
        msg_type=MsgType.CANCEL,
        content=linked.content,
        created_at=now,
        created_by=by,
        published_at=now,
        note=reason,
        attestations=linked.current.attestations_in_force,
    )
    return linked.model_copy(
        update={
            "state": original.state,
            "resolution": original.resolution,
            "reason": reason,
            "ended_at": now,
            "versions": (*linked.versions, version),
        }
    )


def _require_follower(linked: Alert, original: Alert) -> None:
    if linked.linked_alert_id != original.id:
        raise TransitionRefused(f"{linked.reference} is not linked to {original.reference}")
    if linked.state is not AlertState.ACTIVE:
        raise TransitionRefused(
            f"{linked.reference} is {linked.state.value}: only an active linked alert follows"
        )
