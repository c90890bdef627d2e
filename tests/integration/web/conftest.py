"""The web app on a fresh SQLite store, driven through its real HTTP interface in-process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient

from bluealert.app import accounts
from bluealert.app import alerts as use_cases
from bluealert.app.audit_log import export_audit
from bluealert.app.context import AppContext
from bluealert.app.demo_data import seed_demo_people
from bluealert.config import Settings
from bluealert.domain.alert import Alert
from bluealert.domain.vocabulary import Claim
from bluealert.web import create_app
from tests.conftest import Clock
from tests.factories import alert_content

CLAIMS = [
    Claim.OFFICER_STATUS_CONFIRMED,
    Claim.SUSPECT_NOT_APPREHENDED,
    Claim.SUSPECT_POSES_SERIOUS_RISK,
]
LE_NOTE = "Suspect has an active felony warrant (fictional NCIC 999)."


PASSWORD = "correct horse battery staple"
# argon2id at its lightest in tests (the shipped default is RFC 9106's 64 MiB, 3 passes)
FAST_HASHING = {"argon2_memory_kib": 64, "argon2_time_cost": 1}


@dataclass
class SignedIn:
    """A client with someone's session cookie, and the CSRF token that came with it."""

    client: TestClient
    csrf: str

    def headers(self) -> dict[str, str]:
        return {"x-csrf-token": self.csrf}


@dataclass
class Web:
    client: TestClient
    ctx: AppContext
    clock: Clock
    data_dir: Path
    totp_secrets: dict[str, str] = field(default_factory=dict)
    passwords: set[str] = field(default_factory=set)

    def give_password(self, username: str, password: str = PASSWORD) -> None:
        enrolment = accounts.set_password(
            self.ctx, actor="test", username=username, password=password
        )
        self.passwords.add(username)
        if enrolment is not None:
            self.totp_secrets[username] = enrolment.secret

    def code(self, username: str) -> str:
        """The user's TOTP code now (each sign-in moves the clock a step: codes are single-use)."""
        secret = self.totp_secrets.get(username)
        return pyotp.TOTP(secret).at(self.clock.now) if secret else ""

    def new_client(self) -> TestClient:
        return TestClient(self.client.app, base_url="https://testserver")

    def sign_in(self, username: str, password: str = PASSWORD) -> SignedIn:
        if username not in self.passwords:
            self.give_password(username, password)
        self.clock.advance(seconds=30)
        client = self.new_client()
        body = {"username": username, "password": password, "code": self.code(username)}
        answer = client.post("/api/v1/session", json=body)
        assert answer.status_code == 200, answer.text
        return SignedIn(client, answer.json()["csrf_token"])

    def audit_actions(self) -> list[str]:
        return [json.loads(line)["action"] for line in export_audit(self.ctx)]

    def active_alert(self, **overrides: Any) -> Alert:
        """A drafted, submitted and approved alert (by sgt.reyes, then tx.kim)."""
        overrides.setdefault("law_enforcement_notes", LE_NOTE)
        content = alert_content(self.clock.now - timedelta(minutes=1), **overrides)
        alert = use_cases.draft_alert(self.ctx, actor="sgt.reyes", content=content)
        use_cases.submit_alert(self.ctx, actor="sgt.reyes", key=alert.reference, attest=CLAIMS)
        return use_cases.approve_alert(self.ctx, actor="tx.kim", key=alert.reference)


@pytest.fixture
def web(tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Web]:
    monkeypatch.setenv("TZ", "America/Chicago")
    settings = Settings(data_dir=tmp_path / "data", **FAST_HASHING)
    app = create_app(settings, clock=clock, background=False)
    with TestClient(app, base_url="https://testserver") as client:
        ctx = app.state.web.ctx
        seed_demo_people(ctx)
        yield Web(client, ctx, clock, settings.data_dir)
