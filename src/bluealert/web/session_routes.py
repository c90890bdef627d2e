"""Signing in and out, and a person's own password and second factor."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from bluealert.app import accounts
from bluealert.web.auth import SESSION_COOKIE, CurrentPrincipal
from bluealert.web.principal import Principal
from bluealert.web.problems import Problem
from bluealert.web.schemas.accounts import (
    LoginRequest,
    PasswordChange,
    SessionPublic,
    SessionsEnded,
    TotpConfirm,
    TotpEnrolmentPublic,
)
from bluealert.web.state import StateDep

router = APIRouter(prefix="/api/v1", tags=["sign-in"])

REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Wrong username, password or code"},
    423: {"model": Problem, "description": "Locked after repeated failures (Retry-After)"},
    429: {"model": Problem, "description": "Too many attempts from this address (Retry-After)"},
}


def _session_public(principal: Principal, csrf_token: str | None = None) -> SessionPublic:
    assert principal.user is not None
    user = principal.user
    return SessionPublic(
        username=user.username,
        display_name=user.display_name,
        roles=sorted(user.roles),
        agency_ori=user.agency_ori,
        states=sorted(user.states),
        via="api_key" if principal.key else "session",
        csrf_token=csrf_token,
    )


@router.post("/session", response_model=SessionPublic, responses=REFUSED, summary="Sign in")
def log_in(
    body: LoginRequest, request: Request, response: Response, web: StateDep
) -> SessionPublic:
    """Password, and for coordinators and admins the TOTP code. Sets the session cookie
    (Secure, HttpOnly, SameSite=Strict) and returns the CSRF token to send with changes."""
    client = request.client.host if request.client else "unknown"
    opened = accounts.log_in(
        web.ctx, username=body.username, password=body.password, code=body.code, client=client
    )
    response.set_cookie(
        SESSION_COOKIE, opened.token, secure=True, httponly=True, samesite="strict", path="/"
    )
    return _session_public(Principal.of_user(opened.user), opened.csrf_token)


@router.get("/session", response_model=SessionPublic, summary="Who is signed in")
def get_session(principal: CurrentPrincipal) -> SessionPublic:
    if principal.user is None:  # a partner's key
        return SessionPublic(
            username=principal.name,
            display_name=principal.name,
            roles=[],
            agency_ori=None,
            states=[],
            via="api_key",
        )
    return _session_public(principal)


def _forget_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, secure=True, httponly=True, samesite="strict", path="/")


@router.delete("/session", status_code=204, summary="Sign out")
def log_out(principal: CurrentPrincipal, response: Response, web: StateDep) -> None:
    assert principal.session is not None
    accounts.log_out(web.ctx, principal.session)
    _forget_cookie(response)


@router.delete(
    "/sessions", response_model=SessionsEnded, summary="Sign out everywhere (every session)"
)
def log_out_everywhere(
    principal: CurrentPrincipal, response: Response, web: StateDep
) -> SessionsEnded:
    ended = accounts.log_out_everywhere(
        web.ctx, actor=principal.username, username=principal.username
    )
    _forget_cookie(response)
    return SessionsEnded(ended=ended)


@router.put("/me/password", status_code=204, responses=REFUSED, summary="Change my password")
def change_password(
    body: PasswordChange, principal: CurrentPrincipal, response: Response, web: StateDep
) -> None:
    """Every session ends, this one too: sign in again with the new password."""
    accounts.change_password(
        web.ctx,
        username=principal.username,
        current=body.current_password,
        new=body.new_password,
    )
    _forget_cookie(response)


@router.post(
    "/me/totp", response_model=TotpEnrolmentPublic, summary="Enrol a new authenticator (TOTP)"
)
def start_totp_enrolment(principal: CurrentPrincipal, web: StateDep) -> TotpEnrolmentPublic:
    """A new secret with its QR code; sign-ins need a code from it once it is confirmed."""
    enrolment = accounts.start_totp_enrolment(web.ctx, username=principal.username)
    return TotpEnrolmentPublic.of(enrolment)


@router.post("/me/totp/confirm", status_code=204, summary="Confirm the new authenticator")
def confirm_totp(body: TotpConfirm, principal: CurrentPrincipal, web: StateDep) -> None:
    accounts.confirm_totp(web.ctx, username=principal.username, code=body.code)
