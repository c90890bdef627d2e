"""The web app on a fresh SQLite store, driven through its real HTTP interface in-process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext
from bluealert.app.demo_data import DEMO_USERS
from bluealert.app.users import add_user
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


@dataclass
class Web:
    client: TestClient
    ctx: AppContext
    clock: Clock
    data_dir: Path

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
    settings = Settings(data_dir=tmp_path / "data")
    app = create_app(settings, clock=clock, background=False)
    with TestClient(app, base_url="https://testserver") as client:
        ctx = app.state.web.ctx
        for person in DEMO_USERS:
            add_user(ctx, actor="test", user=person)
        yield Web(client, ctx, clock, settings.data_dir)
