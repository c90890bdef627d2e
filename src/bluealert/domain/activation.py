"""Cross-state activation: a coordinator asks another state's coordinator to activate.

The asking coordinator is the first person and the answering one the second, so an
accepted request becomes an active, linked alert under the answering state's own plan; it then
follows its original (domain.linked). One incident runs at most once per state: a state that
already runs the alert, or was asked and has not answered, is not asked again. A request still
unanswered when its alert ends is closed: withdrawn, or expired, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from bluealert.domain import expiry
from bluealert.domain.alert import Alert, AlertVersion
from bluealert.domain.content import AreaRequest
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
    WITHDRAWN = "withdrawn"  # its alert was cancelled or resolved before an answer
    EXPIRED = "expired"  # its alert expired before an answer


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
    family: Sequence[Alert],
    earlier: Sequence[ActivationRequest],
) -> ActivationRequest:
    """Ask `to_state` to run the alert too.

    `family` is the original with every alert linked to it, `earlier` their requests: a state
    already running the alert, or asked and not answering yet, is not asked again.
    """
    _require_live(alert, now, "shared with another state")
    may_activate(user, plan, alert.plan)
    if to_state == alert.plan:
        raise InvalidAlert("ask another state, not the alert's own", field="to_state")
    refuse_running_in(to_state, family)
    for request in earlier:
        if request.to_state == to_state and request.state is RequestState.PENDING:
            raise TransitionRefused(
                f"{to_state} was already asked about {request.source_reference} (request "
                f"{request.id}, by {request.requested_by}) and has not answered yet"
            )
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


def refuse_running_in(state: str, family: Sequence[Alert]) -> None:
    """One incident, one alert per state: refuse a second while one of the family is active."""
    for member in family:
        if member.plan == state and member.state is AlertState.ACTIVE:
            raise TransitionRefused(f"{state} already runs this alert as {member.reference}")


def _require_live(alert: Alert, now: datetime, step: str) -> None:
    if alert.state is not AlertState.ACTIVE:
        raise TransitionRefused(
            f"only an active alert can be {step}; {alert.reference} is {alert.state.value}"
        )
    if alert.expires_at is not None and alert.expires_at <= now:
        raise TransitionRefused(
            f"only an active alert can be {step}; {alert.reference} expired at "
            f"{alert.expires_at.isoformat()}"
        )


def close_unanswered(
    request: ActivationRequest, alert: Alert, *, by: str, now: datetime
) -> ActivationRequest:
    """Close a request whose alert ended before an answer: withdrawn, or expired."""
    if request.state is not RequestState.PENDING:
        raise TransitionRefused(f"activation request {request.id} was already {request.state}")
    if alert.state is AlertState.EXPIRED:
        ended = alert.ended_at or alert.expires_at or now
        state = RequestState.EXPIRED
        reason = f"{alert.reference} expired at {ended.isoformat()} before an answer"
    elif alert.state in {AlertState.CANCELLED, AlertState.RESOLVED}:
        state = RequestState.WITHDRAWN
        reason = f"{alert.reference} was {alert.state.value} before an answer: {alert.reason}"
    else:
        raise TransitionRefused(f"{alert.reference} is {alert.state.value}, not ended")
    return request.model_copy(
        update={"state": state, "answered_by": by, "answered_at": now, "reason": reason}
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
    family: Sequence[Alert],
    area: AreaRequest,
) -> tuple[ActivationRequest, Alert]:
    """Accept the request: the linked alert, active under the answering state's plan, in
    `area` (the answering state's part of the alert's area)."""
    _answerable(request, user, plan)
    if source.state is not AlertState.ACTIVE:
        raise TransitionRefused(
            f"the requesting alert {source.reference} is {source.state.value}, no longer active"
        )
    _require_live(source, now, "activated in another state")
    refuse_running_in(request.to_state, family)
    applies = expiry.for_linked(None, source.expires_at, plan, now)
    content = expiry.stored(
        source.content.model_copy(update={"plan": request.to_state, "area": area}), applies
    )
    version = AlertVersion(
        number=1,
        msg_type=MsgType.ALERT,
        content=content,
        created_at=now,
        created_by=request.requested_by,
        published_at=now,
        note=f"activated at the request of {request.from_state} ({source.reference})",
        attestations=source.current.attestations_in_force,
        notices=applies.notices(),
    )
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
        expires_at=applies.at,
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
