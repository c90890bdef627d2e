"""Cross-state activation: a coordinator asks another state's coordinator to activate.

The asking coordinator is the first person and the answering one the second, so an
accepted request becomes an active, linked alert under the answering state's own plan.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bluealert.domain.alert import Alert, AlertVersion
from bluealert.domain.lifecycle import may_activate
from bluealert.domain.model import Model, ShortText, StateCode, UtcDatetime
from bluealert.domain.people import User
from bluealert.domain.plan import StatePlan
from bluealert.domain.vocabulary import AlertState, MsgType
from bluealert.errors import InvalidAlert, NotAllowed, TransitionRefused


class RequestState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ActivationRequest(Model):
    id: str
    source_alert_id: str
    source_reference: str
    from_state: StateCode
    to_state: StateCode
    requested_by: ShortText
    requested_at: UtcDatetime
    note: str = ""
    state: RequestState = RequestState.PENDING
    answered_by: str | None = None
    answered_at: UtcDatetime | None = None
    reason: str = ""
    linked_alert_id: str | None = None


def request_activation(
    alert: Alert,
    *,
    user: User,
    plan: StatePlan,
    to_state: str,
    note: str,
    request_id: str,
    now: datetime,
) -> ActivationRequest:
    if alert.state is not AlertState.ACTIVE:
        raise TransitionRefused(
            f"only an active alert can be shared with another state; {alert.reference} is "
            f"{alert.state.value}"
        )
    may_activate(user, plan, alert.plan)
    if to_state == alert.plan:
        raise InvalidAlert("ask another state, not the alert's own", field="to_state")
    return ActivationRequest(
        id=request_id,
        source_alert_id=alert.id,
        source_reference=alert.reference,
        from_state=alert.plan,
        to_state=to_state,
        requested_by=user.username,
        requested_at=now,
        note=note,
    )


def _answerable(request: ActivationRequest, user: User, plan: StatePlan) -> None:
    if request.state is not RequestState.PENDING:
        raise TransitionRefused(f"activation request {request.id} was already {request.state}")
    may_activate(user, plan, request.to_state)
    if user.username == request.requested_by:
        raise NotAllowed("two-person rule: the coordinator who asked may not also answer")


def accept(
    request: ActivationRequest,
    source: Alert,
    *,
    user: User,
    plan: StatePlan,
    alert_id: str,
    reference: str,
    now: datetime,
) -> tuple[ActivationRequest, Alert]:
    """Accept the request: the linked alert, active under the answering state's plan."""
    _answerable(request, user, plan)
    if source.state is not AlertState.ACTIVE:
        raise TransitionRefused(
            f"the requesting alert {source.reference} is {source.state.value}, no longer active"
        )
    content = source.content.model_copy(update={"plan": request.to_state})
    version = AlertVersion(
        number=1,
        msg_type=MsgType.ALERT,
        content=content,
        created_at=now,
        created_by=request.requested_by,
        published_at=now,
        note=f"activated at the request of {request.from_state} ({source.reference})",
        attestations=source.current.attestations_in_force,
    )
    expires = min(now + plan.max_duration, source.expires_at or now + plan.max_duration)
    linked = Alert(
        id=alert_id,
        reference=reference,
        state=AlertState.ACTIVE,
        author=request.requested_by,
        created_at=now,
        versions=(version,),
        submitted_at=request.requested_at,
        approved_by=user.username,
        activated_at=now,
        expires_at=expires,
        linked_alert_id=source.id,
    )
    answered = request.model_copy(
        update={
            "state": RequestState.ACCEPTED,
            "answered_by": user.username,
            "answered_at": now,
            "linked_alert_id": alert_id,
        }
    )
    return answered, linked


def decline(
    request: ActivationRequest, *, user: User, plan: StatePlan, reason: str, now: datetime
) -> ActivationRequest:
    _answerable(request, user, plan)
    if not reason.strip():
        raise InvalidAlert("say why the request is declined", field="reason")
    return request.model_copy(
        update={
            "state": RequestState.DECLINED,
            "answered_by": user.username,
            "answered_at": now,
            "reason": reason.strip(),
        }
    )
