"""Cross-state activation: suggestions, requests to other states, and their answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from bluealert.app import cross_state
from bluealert.domain.model import check_state
from bluealert.domain.vocabulary import Role
from bluealert.errors import InvalidInput, NotAllowed
from bluealert.web.alert_routes import REFUSALS, ReferencePath
from bluealert.web.auth import CurrentPrincipal
from bluealert.web.schemas.alerts import (
    ActivationAccepted,
    ActivationAsk,
    ActivationRequestPublic,
    AlertRestricted,
    ReasonGiven,
    StateSuggestion,
    StateSuggestions,
)
from bluealert.web.state import StateDep

router = APIRouter(prefix="/api/v1", tags=["cross-state activation"])

RequestPath = Annotated[str, Path(max_length=36)]


def _state(value: str, field: str) -> str:
    try:
        return check_state(value)
    except ValueError as error:
        raise InvalidInput(str(error), field=field) from None


@router.get(
    "/alerts/{reference}/activation-suggestions",
    response_model=StateSuggestions,
    responses=REFUSALS,
    summary="Other states the alert's plan says to ask, and why",
)
def suggest_states(reference: ReferencePath, web: StateDep) -> StateSuggestions:
    found = cross_state.suggest_states(web.ctx, reference)
    return StateSuggestions(
        states=[
            StateSuggestion(state=s.state, reason=s.reason, asked=s.asked) for s in found.states
        ],
        note=found.note,
    )


@router.post(
    "/alerts/{reference}/activation-requests",
    response_model=ActivationRequestPublic,
    status_code=201,
    responses=REFUSALS,
    summary="Ask another state to activate this alert",
)
def request_activation(
    reference: ReferencePath, body: ActivationAsk, principal: CurrentPrincipal, web: StateDep
) -> ActivationRequestPublic:
    asked = cross_state.request_activation(
        web.ctx,
        actor=principal.username,
        key=reference,
        to_state=_state(body.to_state, "to_state"),
        note=body.note,
    )
    return ActivationRequestPublic.of(asked)


@router.get(
    "/activation-requests",
    response_model=list[ActivationRequestPublic],
    responses=REFUSALS,
    summary="Requests asking a state to activate",
)
def list_activation_requests(
    principal: CurrentPrincipal,
    web: StateDep,
    state: Annotated[str, Query(max_length=2, description="The state asked.")],
) -> list[ActivationRequestPublic]:
    asked = _state(state, "state")
    national = Role.NATIONAL_COORDINATOR.value in principal.roles
    if not national and asked not in principal.states:
        raise NotAllowed(f"{principal.name} does not coordinate {asked}", field="state")
    return [ActivationRequestPublic.of(r) for r in cross_state.requests_for_state(web.ctx, asked)]


@router.post(
    "/activation-requests/{request_id}/accept",
    response_model=ActivationAccepted,
    responses=REFUSALS,
    summary="Accept: a linked alert goes active under this state's plan",
)
def accept_activation(
    request_id: RequestPath, principal: CurrentPrincipal, web: StateDep
) -> ActivationAccepted:
    answered, linked = cross_state.accept_activation(
        web.ctx, actor=principal.username, request_id=request_id
    )
    return ActivationAccepted(
        request=ActivationRequestPublic.of(answered),
        linked_alert=AlertRestricted.of(linked, 0),  # just made: no tips yet
    )


@router.post(
    "/activation-requests/{request_id}/decline",
    response_model=ActivationRequestPublic,
    responses=REFUSALS,
    summary="Decline, saying why",
)
def decline_activation(
    request_id: RequestPath, body: ReasonGiven, principal: CurrentPrincipal, web: StateDep
) -> ActivationRequestPublic:
    answered = cross_state.decline_activation(
        web.ctx, actor=principal.username, request_id=request_id, reason=body.reason
    )
    return ActivationRequestPublic.of(answered)
