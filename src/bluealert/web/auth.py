"""Authentication and the route rules, applied to every request by one dependency.

Nothing is allowed by default: a route without a rule in `rules.RULES` answers 403.
Cookie sessions must send their CSRF token (`X-CSRF-Token`) with every change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, cast

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from bluealert.app.accounts import active_session, record_refusal, use_api_key
from bluealert.app.alerts import get_alert
from bluealert.app.cross_state import get_request
from bluealert.app.partners import get_partner
from bluealert.app.users import get_user
from bluealert.errors import NotAllowed, NotAuthenticated
from bluealert.web.principal import Principal
from bluealert.web.rules import RULES, Reach, Rule, Target
from bluealert.web.state import WebState, web_state

SESSION_COOKIE = "bluealert_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Scope:
    """The agency and states of what a route is about."""

    agency: str | None
    states: frozenset[str]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _route_name(request: Request) -> tuple[str, str]:
    route = request.scope.get("route")
    return getattr(route, "name", "unknown"), getattr(route, "path", request.url.path)


def authenticate(web: WebState, request: Request) -> Principal | None:
    """The principal of a bearer API key or a session cookie; None when neither is sent."""
    _, path = _route_name(request)
    presented = _bearer(request)
    if presented is not None:
        key = use_api_key(web.ctx, presented, route=f"{request.method} {path}")
        if key.owner_kind == "partner":
            stored = get_partner(web.ctx, key.owner)
            if not stored.enabled:
                raise NotAuthenticated("the partner of this key is disabled")
            return Principal.of_partner(key.owner, stored.partner.tier.value, key)
        return Principal.of_user(get_user(web.ctx, key.owner), key=key)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        session = active_session(web.ctx, token)
        return Principal.of_user(session.user, session=session)
    return None


def _scope(web: WebState, request: Request, target: Target) -> Scope:
    params = request.path_params
    if target is Target.ALERT:
        alert = get_alert(web.ctx, str(params["reference"]))
        return Scope(alert.content.requesting_agency.ori, frozenset({alert.plan}))
    asked = get_request(web.ctx, str(params["request_id"]))
    return Scope(None, frozenset({asked.to_state}))


def _reaches(principal: Principal, reach: Reach, scope: Scope | None) -> bool:
    if reach is Reach.ANYWHERE:
        return True
    if reach is Reach.LAW_ENFORCEMENT_TIER:
        return principal.partner_tier == "law_enforcement"
    if scope is None:
        return False
    if reach is Reach.OWN_AGENCY:
        return scope.agency is not None and scope.agency == principal.agency_ori
    return bool(scope.states & principal.states)


def permitted(principal: Principal, rule: Rule, scope_of: Callable[[], Scope | None]) -> str | None:
    """Why the principal may not follow the rule, or None when it may."""
    if rule.people_only and principal.key is not None:
        return "this needs a person signed in, not an API key"
    if rule.signed_in:
        return None
    held = [g for g in rule.grants if g.role in principal.roles]
    if not held:
        roles = ", ".join(sorted({g.role for g in rule.grants})) or "nobody"
        return f"this needs the role {roles}"
    needs_scope = any(g.reach in (Reach.OWN_AGENCY, Reach.OWN_STATE) for g in held)
    scope = scope_of() if needs_scope else None
    if any(_reaches(principal, g.reach, scope) for g in held):
        return None
    reaches = " or ".join(f"{g.role} of the {g.reach}" for g in held)
    return f"this needs {reaches}"


async def authorise(request: Request, web: Annotated[WebState, Depends(web_state)]) -> None:
    """Apply the route's rule; afterwards `request.state.principal` holds who is asking.

    A public route costs a dictionary look-up here; the rest (which reads sessions and keys
    from the store) runs in the thread pool."""
    name, _ = _route_name(request)
    rule = RULES.get(name)
    request.state.principal = None
    if rule is None:
        raise NotAllowed(f"route {name} has no access rule: nothing is allowed by default")
    if rule.rate is not None:
        limit = {
            "login": web.settings.login_rate_per_minute,
            "public_write": web.settings.public_write_rate_per_minute,
        }[rule.rate]
        # counted in the data directory's file, shared by the server's processes: off the loop
        await run_in_threadpool(web.limiter.check, rule.rate, _client(request), limit)
    if rule.public:
        return
    await run_in_threadpool(_authorise_signed_in, request, web, rule)


def _authorise_signed_in(request: Request, web: WebState, rule: Rule) -> None:
    _, path = _route_name(request)
    principal = authenticate(web, request)
    if principal is None:
        raise NotAuthenticated("sign in (a session cookie) or send an API key (Bearer)")
    request.state.principal = principal
    request.scope.setdefault("state", {})["principal_name"] = principal.name
    why = _refusal(principal, rule, request, web)
    if why is not None:
        web.metrics.refusals.labels("permission").inc()
        record_refusal(web.ctx, actor=principal.name, method=request.method, route=path, why=why)
        raise NotAllowed(why)


def _refusal(principal: Principal, rule: Rule, request: Request, web: WebState) -> str | None:
    unsafe = request.method not in SAFE_METHODS
    if unsafe and not principal.may_write():
        return "this API key has only the read scope"
    if unsafe and principal.session is not None:
        presented = request.headers.get(CSRF_HEADER, "")
        if not presented or not principal.session.csrf_matches(presented):
            return f"a change made with a session cookie needs its {CSRF_HEADER} header"
    target = rule.target
    return permitted(principal, rule, lambda: _scope(web, request, target) if target else None)


def current_principal(request: Request) -> Principal:
    principal = cast(Principal | None, request.state.principal)
    if principal is None:
        raise NotAuthenticated("sign in first")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
