"""People and API keys: the administrator's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from bluealert.app import accounts
from bluealert.app.partners import get_partner
from bluealert.app.users import get_user, list_users
from bluealert.domain.people import User
from bluealert.web.auth import CurrentPrincipal
from bluealert.web.schemas.accounts import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    SessionsEnded,
    TotpEnrolmentPublic,
    UserCreate,
    UserCreated,
    UserPublic,
)
from bluealert.web.state import StateDep

router = APIRouter(prefix="/api/v1", tags=["people and keys"])

UsernamePath = Annotated[str, Path(max_length=64)]


@router.get(
    "/users", response_model=list[UserPublic], name="list_users", summary="Everyone who may sign in"
)
def list_users_route(web: StateDep) -> list[UserPublic]:
    return [UserPublic.of(u) for u in list_users(web.ctx)]


@router.post("/users", response_model=UserCreated, status_code=201, summary="Add a person")
def create_user(body: UserCreate, principal: CurrentPrincipal, web: StateDep) -> UserCreated:
    """Coordinators and admins get a TOTP secret, shown here once."""
    user = User(
        username=body.username,
        display_name=body.display_name,
        roles=frozenset(body.roles),
        agency_ori=body.agency_ori,
        states=frozenset(s.upper() for s in body.states),
        email=body.email,
    )
    enrolment = accounts.add_person(
        web.ctx, actor=principal.username, user=user, password=body.password
    )
    return UserCreated(
        user=UserPublic.of(user),
        totp=TotpEnrolmentPublic.of(enrolment) if enrolment else None,
    )


@router.get("/users/{username}", response_model=UserPublic, name="get_user", summary="One person")
def get_user_route(username: UsernamePath, web: StateDep) -> UserPublic:
    return UserPublic.of(get_user(web.ctx, username))


@router.post("/users/{username}/unlock", status_code=204, summary="Lift a lockout")
def unlock_user(username: UsernamePath, principal: CurrentPrincipal, web: StateDep) -> None:
    get_user(web.ctx, username)
    accounts.unlock_account(web.ctx, actor=principal.name, username=username)


@router.delete(
    "/users/{username}/sessions", response_model=SessionsEnded, summary="End a person's sessions"
)
def end_user_sessions(
    username: UsernamePath, principal: CurrentPrincipal, web: StateDep
) -> SessionsEnded:
    get_user(web.ctx, username)
    ended = accounts.log_out_everywhere(web.ctx, actor=principal.name, username=username)
    return SessionsEnded(ended=ended)


@router.get("/api-keys", response_model=list[ApiKeyPublic], summary="Every API key")
def list_api_keys(web: StateDep) -> list[ApiKeyPublic]:
    return [ApiKeyPublic.of(k) for k in accounts.list_api_keys(web.ctx)]


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201, summary="Make an API key")
def create_api_key(body: ApiKeyCreate, principal: CurrentPrincipal, web: StateDep) -> ApiKeyCreated:
    """The key is shown once, here; only its hash is kept."""
    if body.owner_kind == "partner":
        get_partner(web.ctx, body.owner)
    made = accounts.create_api_key(
        web.ctx,
        actor=principal.name,
        name=body.name,
        owner_kind=body.owner_kind,
        owner=body.owner,
        scopes=body.scopes,
    )
    return ApiKeyCreated(key=ApiKeyPublic.of(made.key), secret=made.secret)


@router.delete("/api-keys/{key_id}", response_model=ApiKeyPublic, summary="Revoke an API key")
def revoke_api_key(
    key_id: Annotated[str, Path(max_length=16)], principal: CurrentPrincipal, web: StateDep
) -> ApiKeyPublic:
    return ApiKeyPublic.of(accounts.revoke_api_key(web.ctx, actor=principal.name, key_id=key_id))
