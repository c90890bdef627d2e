"""Every route × every role, of the alert's own agency or state and of another: exactly the
expected allow or deny. Generated from the app's route table, so a new route without both an
access rule (web/rules.py) and a row here fails.

The expectations are written out by hand from the issue's role list, not read from the rules
they check. "Allowed" means the rule let the request through (any answer but 401 or 403);
"denied" means 401 for someone not signed in and 403 for anyone else.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Route

from bluealert.config import Settings
from bluealert.web import create_app
from bluealert.web.rules import RULES
from tests.conftest import Clock
from tests.integration.web.access_world import LABELS, World, build_world, client_on_copy

EVERYONE = frozenset(LABELS)
SIGNED_IN = EVERYONE - {"anonymous"}
PEOPLE = frozenset(
    {
        "originator",
        "originator_other_agency",
        "supervisor",
        "supervisor_other_agency",
        "state_coordinator",
        "state_coordinator_other_state",
        "national_coordinator",
        "admin",
    }
)
ADMIN = frozenset({"admin"})
ADMIN_OR_NATIONAL = frozenset({"admin", "national_coordinator"})
BOTH_AGENCIES = frozenset(
    {"originator", "originator_other_agency", "supervisor", "supervisor_other_agency"}
)
BOTH_STATES = frozenset({"state_coordinator", "state_coordinator_other_state"})
REQUESTERS = BOTH_AGENCIES | BOTH_STATES
# of the Texas alert of agency TX0579900
ITS_PEOPLE = frozenset({"originator", "supervisor", "state_coordinator"})
ITS_READERS = ITS_PEOPLE | {"national_coordinator"}
ITS_COORDINATOR = frozenset({"state_coordinator"})

EXPECTED: dict[str, frozenset[str]] = {
    # operations, docs and everything public
    "healthz": EVERYONE,
    "readyz": EVERYONE,
    "metrics": EVERYONE,
    "docs_page": EVERYONE,
    "docs_asset": EVERYONE,
    "openapi": EVERYONE,
    "list_public_alerts": EVERYONE,
    "list_active_alerts": EVERYONE,
    "get_public_alert": EVERYONE,
    "get_public_cap": EVERYONE,
    "get_cap_by_identifier": EVERYONE,
    "get_public_same_audio": EVERYONE,
    "get_public_photo": EVERYONE,
    "get_feed": EVERYONE,
    # signing in: anyone may try; the rest is a person's own
    "log_in": EVERYONE,
    "get_session": SIGNED_IN,
    "log_out": PEOPLE,
    "log_out_everywhere": PEOPLE,
    "change_password": PEOPLE,
    "start_totp_enrolment": PEOPLE,
    "confirm_totp": PEOPLE,
    # people and keys: the admin's
    "list_users": ADMIN,
    "create_user": ADMIN,
    "get_user": ADMIN,
    "unlock_user": ADMIN,
    "end_user_sessions": ADMIN,
    "list_api_keys": ADMIN,
    "create_api_key": ADMIN,
    "revoke_api_key": ADMIN,
    # the alert lifecycle, on a Texas alert of agency TX0579900
    "draft_alert": REQUESTERS,  # the domain checks the draft's agency against the person's
    "list_restricted_alerts": REQUESTERS | {"national_coordinator"},
    "get_restricted_alert": ITS_READERS | {"partner_law_enforcement"},
    "render_alert_version": ITS_READERS | {"partner_law_enforcement"},
    "check_alert": ITS_READERS,
    "update_alert": ITS_PEOPLE,
    "submit_alert": ITS_PEOPLE,
    "approve_alert": ITS_COORDINATOR,
    "reject_alert": ITS_COORDINATOR,
    "return_alert": ITS_COORDINATOR,
    "renew_alert": ITS_COORDINATOR,
    "cancel_alert": frozenset({"supervisor", "state_coordinator"}),
    "resolve_alert": frozenset({"supervisor", "state_coordinator"}),
    "add_photo": REQUESTERS,
    "get_photo": REQUESTERS | {"national_coordinator"},
    # cross-state: Oklahoma asked Texas
    "suggest_states": frozenset({"state_coordinator", "national_coordinator"}),
    "request_activation": ITS_COORDINATOR,
    "list_activation_requests": frozenset({"state_coordinator", "national_coordinator"}),
    "accept_activation": ITS_COORDINATOR,
    "decline_activation": ITS_COORDINATOR,
    # plans, agencies, audit
    "list_plans": SIGNED_IN,
    "get_plan": SIGNED_IN,
    "get_agencies": BOTH_STATES | ADMIN_OR_NATIONAL,
    "export_audit_events": ADMIN_OR_NATIONAL,
    "verify_audit_log": ADMIN_OR_NATIONAL,
    # partners and subscriptions
    "list_partners": ADMIN_OR_NATIONAL,
    "get_partner": ADMIN_OR_NATIONAL,
    "add_partner": ADMIN,
    "disable_partner": ADMIN,
    "subscribe": EVERYONE,
    "web_push_key": EVERYONE,
    "webhook_key": EVERYONE,
    "unsubscribe_by_token": EVERYONE,
    "list_subscriptions": ADMIN,
    "confirm_subscription": ADMIN,
    "remove_subscription": ADMIN,
    # tips: anyone may give one; law enforcement of its agency or state, and national, read
    "submit_tip": EVERYONE,
    "list_tips": ITS_READERS,
    "review_tip": ITS_READERS,
    # deliveries
    "alert_deliveries": frozenset({"supervisor", "state_coordinator"}) | ADMIN_OR_NATIONAL,
    "list_dead_letters": ADMIN_OR_NATIONAL,
    "replay_dead_letters": ADMIN,
    "my_deliveries": frozenset({"partner_public", "partner_law_enforcement"}),
}
QUERIES = {  # required query parameters
    "list_activation_requests": "?state=TX",
    "unsubscribe_by_token": "?token=" + "t" * 20,
}

ASSETS = {"name": "docs.js"}  # a value for the docs' {name}, not the feeds'


def _walk(routes: list[Any]) -> Iterator[tuple[str, str, str]]:
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI's included routers
        if included is not None:
            yield from _walk(included.routes)
        elif isinstance(route, APIRoute | Route):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield route.name, method, route.path


def _routes() -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as where:
        app = create_app(Settings(data_dir=Path(where)), background=False)
        found = sorted(set(_walk(app.routes)))
        app.state.web.ctx.engine.dispose()
    return found


ROUTES = _routes()


def test_every_route_has_a_rule_and_an_expectation() -> None:
    names = {name for name, _, _ in ROUTES}
    assert names - set(RULES) == set(), "routes without an access rule"
    assert names - set(EXPECTED) == set(), "routes the matrix does not cover"
    assert set(RULES) - names == set(), "rules for routes that do not exist"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:

    return build_world(tmp_path_factory.mktemp("world") / "data", _clock())


def _clock() -> Clock:

    return Clock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))


def _url(path: str, world: World, name: str) -> str:
    values = world.values | (ASSETS if name == "docs_asset" else {})
    url = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values[m.group(1)], path)
    return url + QUERIES.get(name, "")


@pytest.mark.parametrize(("name", "method", "path"), ROUTES, ids=[f"{m} {p}" for _, m, p in ROUTES])
def test_route_allows_exactly_the_expected_roles(
    name: str, method: str, path: str, world: World, tmp_path: Path
) -> None:
    url, clock = _url(path, world, name), _clock()
    copies = iter(range(len(LABELS) + 1))
    client = client_on_copy(world, tmp_path / f"copy{next(copies)}", clock)
    wrong: list[str] = []
    for label in LABELS:
        kwargs: dict[str, Any] = {"headers": world.headers[label]}
        if method in ("POST", "PUT", "PATCH"):
            kwargs["json"] = {}
        status = client.request(method, url, **kwargs).status_code
        allowed = status not in (401, 403)
        expected = label in EXPECTED[name]
        if allowed != expected:
            wrong.append(f"{label}: {status}, expected {'allowed' if expected else 'denied'}")
        elif not allowed and status != (401 if label == "anonymous" else 403):
            wrong.append(f"{label}: denied with {status}")
        if allowed and method != "GET":  # it may have changed something: use a fresh copy
            client = client_on_copy(world, tmp_path / f"copy{next(copies)}", clock)
    assert wrong == []
