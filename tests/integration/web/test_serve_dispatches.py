"""`bluealert serve` runs the embedded dispatcher: an alert approved anywhere on its data
directory goes out at once, SIGTERM stops it between batches, and `dispatch --once` beside it
is refused."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bluealert.app.context import AppContext, open_app, transaction
from bluealert.store import migrate
from bluealert.store.deliveries import DeliveryRepository
from bluealert.store.tables import DeliveryRow
from bluealert.web.app import create_app
from tests.integration.dispatch.conftest import (
    Receiver,
    add_users,
    approved,
    bulk_subscribers,
    dispatch_settings,
    partner,
)
from tests.integration.web.server_process import BLUEALERT, Server, start_server
from tests.waiting import wait_for

# Never polled within a test: whatever goes out went because a commit woke the dispatcher.
SERVER_ENV = {"BLUEALERT_DISPATCH_POLL_SECONDS": "3600", "BLUEALERT_EXPIRY_INTERVAL_SECONDS": "600"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AppContext]:
    """The data directory a server will run on, with its people, on the real clock."""
    ctx = open_app(dispatch_settings(tmp_path / "data", webhook_timeout_seconds=10.0))
    migrate.upgrade(ctx.engine)
    add_users(ctx)
    yield ctx
    ctx.engine.dispose()


def _serve(ctx: AppContext, log: Path) -> Server:
    env = {**SERVER_ENV, "BLUEALERT_DATA_DIR": str(ctx.settings.data_dir)}
    env["BLUEALERT_WEBHOOK_TIMEOUT_SECONDS"] = "10"
    server = start_server(env, log)
    wait_for(lambda: "embedded_worker_started" in log.read_text(), 30, "the embedded worker")
    return server


def _states(ctx: AppContext) -> Counter[str]:
    with transaction(ctx) as tx:
        rows = tx.session.execute(
            select(DeliveryRow.state, func.count()).group_by(DeliveryRow.state)
        ).all()
    return Counter({str(state): int(n) for state, n in rows})


def _actions(log: Path) -> list[str]:
    lines = [json.loads(line) for line in log.read_text().splitlines() if line[:1] == "{"]
    return [line.get("action", "") for line in lines]


def test_an_alert_approved_in_another_process_goes_out_without_polling(
    store: AppContext, tmp_path: Path
) -> None:
    with Receiver() as receiver:
        partner(store, "TV", receiver.url("ok/tv"))
        server = _serve(store, tmp_path / "serve.log")
        try:
            alert = approved(store)  # committed here, in the test's process: the doorbell rings
            wait_for(lambda: len(receiver.of("ok/tv")) == 1, 30, "the partner's delivery")
            [hit] = receiver.of("ok/tv")
            assert hit.json["data"]["alert"]["reference"] == alert.reference
            wait_for(lambda: _states(store) == Counter(sent=1), 10, "the receipt")
        finally:
            assert server.stop() < 0  # by SIGTERM, after a graceful stop
    actions = _actions(tmp_path / "serve.log")
    assert actions.index("embedded_worker_stopped") < actions.index("server_stopped")


def test_sigterm_lets_the_batch_in_flight_finish_and_settle(
    store: AppContext, tmp_path: Path
) -> None:
    with Receiver() as receiver:
        # One batch, each answered after a second.
        bulk_subscribers(store, lambda n: receiver.url(f"slow/{n}"), 300)
        server = _serve(store, tmp_path / "serve.log")
        try:
            approved(store, area={"counties": ["48113"]})
            wait_for(lambda: len(receiver.hits) > 0, 30, "the fan-out to begin")
        finally:
            assert server.stop() < 0
        hits = len(receiver.hits)
    states = _states(store)
    assert "sending" not in states  # nothing cut off half-way
    assert states["sent"] == hits  # every request that left was answered and settled
    assert Counter(h.path for h in receiver.hits).most_common(1)[0][1] == 1


def test_dispatch_once_is_refused_beside_a_server(store: AppContext, tmp_path: Path) -> None:
    server = _serve(store, tmp_path / "serve.log")
    try:
        refused = subprocess.run(
            [BLUEALERT, "dispatch", "--once"],
            env={"BLUEALERT_DATA_DIR": str(store.settings.data_dir), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.stop()
    assert refused.returncode == 1
    assert "runs the dispatcher" in refused.stderr
    after = subprocess.run(
        [BLUEALERT, "dispatch", "--once", "--json"],
        env={"BLUEALERT_DATA_DIR": str(store.settings.data_dir), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["planned"] == []


def test_a_dispatcher_that_failed_to_start_is_started_again_next_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = DeliveryRepository.release_sending
    calls: list[int] = []

    def away_at_first(self: DeliveryRepository) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("release", {}, Exception("the database is away"))
        return real(self)

    monkeypatch.setattr(DeliveryRepository, "release_sending", away_at_first)
    settings = dispatch_settings(tmp_path, expiry_interval_seconds=0.05)
    app = create_app(settings)
    with caplog.at_level("INFO"), TestClient(app):
        wait_for(lambda: "embedded_worker_started" in caplog.text, 30, "the second start")
        listeners = len(app.state.web.ctx.outbox_listeners)
    assert "background_round_failed" in caplog.text  # the first start, refused
    assert len(calls) == 2
    assert listeners == 2  # the doorbell and the one dispatcher: the failed one left nothing
