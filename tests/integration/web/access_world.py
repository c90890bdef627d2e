"""A small network with one person (or partner key) of every role, each signed in, for the
authorisation matrix: built once, copied for every request so that no request's effects
reach another's."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pyotp
from fastapi.testclient import TestClient

from bluealert.app import accounts, cross_state
from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext
from bluealert.app.database import upgrade_database
from bluealert.app.demo_data import seed_demo_people
from bluealert.app.partners import add_partner
from bluealert.app.users import add_user
from bluealert.config import Settings
from bluealert.domain.accounts import ApiScope
from bluealert.domain.partner import Partner
from bluealert.domain.vocabulary import Role
from bluealert.web import create_app
from bluealert.web.auth import SESSION_COOKIE
from tests.conftest import Clock
from tests.factories import alert_content, user
from tests.integration.web.conftest import CLAIMS, FAST_HASHING, PASSWORD

OTHER_ORI = "TX0570000"
# label → username (people) or partner name (partner keys)
PEOPLE = {
    "originator": "dep.odell",  # agency TX0579900, that of the alert
    "originator_other_agency": "dep.other",
    "supervisor": "sgt.reyes",
    "supervisor_other_agency": "sgt.other",
    "state_coordinator": "tx.kim",  # Texas, the alert's state
    "state_coordinator_other_state": "ok.lee",
    "national_coordinator": "natl.brooks",
    "admin": "admin",
}
PARTNERS = {"partner_public": "KXAS-TV", "partner_law_enforcement": "DPS-TX"}
LABELS = ("anonymous", *PEOPLE, *PARTNERS)


@dataclass
class World:
    data_dir: Path
    headers: dict[str, dict[str, str]]  # label → the headers that sign it in
    values: dict[str, str]  # path parameter → a value that names something real


def _partner(name: str, tier: str) -> Partner:
    return Partner.model_validate(
        {
            "name": name,
            "kind": "media" if tier == "public" else "law_enforcement",
            "area": {"states": ["TX"]},
            "formats": ["cap"],
            "tier": tier,
            "channel": "webhook",
            "address": "https://partner.example/hook",
        }
    )


def _people(ctx: AppContext) -> None:
    seed_demo_people(ctx)
    add_user(ctx, actor="admin", user=user("dep.other", Role.ORIGINATOR, ori=OTHER_ORI))
    add_user(ctx, actor="admin", user=user("sgt.other", Role.SUPERVISOR, ori=OTHER_ORI))


def _alerts(ctx: AppContext, clock: Clock) -> dict[str, str]:
    """An active Texas alert of agency TX0579900, and Oklahoma's request to Texas."""
    content = alert_content(clock.now - timedelta(minutes=1))
    alert = use_cases.draft_alert(ctx, actor="dep.odell", content=content)
    use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=CLAIMS)
    alert = use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)
    ok_content = content.model_copy(update={"plan": "OK"})
    ok_alert = use_cases.draft_alert(ctx, actor="ok.lee", content=ok_content)
    use_cases.submit_alert(ctx, actor="sgt.reyes", key=ok_alert.reference, attest=CLAIMS)
    add_user(ctx, actor="admin", user=user("ok.two", Role.STATE_COORDINATOR, states=("OK",)))
    use_cases.approve_alert(ctx, actor="ok.two", key=ok_alert.reference)
    asked = cross_state.request_activation(
        ctx, actor="ok.lee", key=ok_alert.reference, to_state="TX"
    )
    return {"reference": alert.reference, "request_id": asked.id}


def build_world(root: Path, clock: Clock) -> World:
    settings = Settings(data_dir=root, **FAST_HASHING)
    ctx = create_app(settings, clock=clock, background=False).state.web.ctx
    upgrade_database(ctx)
    _people(ctx)
    values = _alerts(ctx, clock)
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for label, username in PEOPLE.items():
        enrolment = accounts.set_password(ctx, actor="test", username=username, password=PASSWORD)
        code = pyotp.TOTP(enrolment.secret).at(clock.now) if enrolment else ""
        opened = accounts.log_in(
            ctx, username=username, password=PASSWORD, code=code, client="test"
        )
        headers[label] = {
            "cookie": f"{SESSION_COOKIE}={opened.token}",
            "x-csrf-token": opened.csrf_token,
        }
    for label, name in PARTNERS.items():
        tier = "public" if label == "partner_public" else "law_enforcement"
        add_partner(ctx, actor="admin", partner=_partner(name, tier))
        made = accounts.create_api_key(
            ctx,
            actor="admin",
            name=name,
            owner_kind="partner",
            owner=name,
            scopes=[ApiScope.READ, ApiScope.WRITE],
        )
        headers[label] = {"authorization": f"Bearer {made.secret}"}
    spare = accounts.create_api_key(
        ctx, actor="admin", name="spare", owner_kind="user", owner="admin", scopes=[ApiScope.READ]
    )
    values |= {
        "username": "dep.odell",
        "key_id": spare.key.id,
        "name": "alerts.atom",
        "identifier": f"BLU-{values['reference']}-v1",
        "sha256": "0" * 64,
        "number": "1",
        "format": "cap",
        "state": "TX",
        "partner": "KXAS-TV",
        "subscription_id": "1",
        "tip_id": "no-such-tip",
    }
    ctx.engine.dispose()
    return World(root, headers, values)


def client_on_copy(world: World, into: Path, clock: Clock) -> TestClient:
    shutil.copytree(world.data_dir, into)
    app = create_app(Settings(data_dir=into, **FAST_HASHING), clock=clock, background=False)
    return TestClient(app, base_url="https://testserver")
