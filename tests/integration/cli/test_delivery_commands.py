"""`dispatch --once`, `deliveries status|dead|replay|watch` and `worker` from the command line."""

from __future__ import annotations

import json

import pytest

from bluealert.app.context import open_app
from bluealert.cli import context
from tests import factories as f
from tests.integration.cli.conftest import Cli
from tests.integration.dispatch.conftest import CLAIMS, Receiver, RunningClock, free_port


def _approved(cli: Cli) -> str:
    """Adds the test people (as the admin `ops`, added first), then an approved alert."""
    for user in f.ALL_USERS:
        args = ["users", "add", user.username, "--as", "ops"]
        for role in sorted(user.roles):
            args += ["--role", role]
        if user.agency_ori:
            args += ["--agency", user.agency_ori]
        for state in sorted(user.states):
            args += ["--state", state]
        assert cli(*args).exit_code == 0
    data = f.alert_data(cli.clock.now)
    ref = cli("alert", "draft", cli.write("a.json", data), "--as", "dep.odell", "--quiet")
    reference = ref.stdout.strip()
    assert ref.exit_code == 0, ref.output
    attest = [arg for claim in CLAIMS for arg in ("--attest", claim.value)]
    submitted = cli("alert", "submit", reference, "--as", "sgt.reyes", *attest)
    assert submitted.exit_code == 0, submitted.output
    assert cli("alert", "approve", reference, "--as", "tx.kim").exit_code == 0
    return reference


def test_dispatch_once_then_status_dead_letters_and_replay(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A clock that runs from the test's fixed start, so that retries fall due.
    running = RunningClock(start=cli.clock.now)
    monkeypatch.setattr(context, "open_app", lambda settings: open_app(settings, clock=running))
    assert cli("users", "add", "ops", "--role", "admin").exit_code == 0
    down_port = free_port()
    with Receiver() as receiver:
        cli("partners", "add", "TV", "--kind", "media", "--channel", "webhook",
            "--address", receiver.url("ok/tv"), "--state", "TX", "--as", "ops")  # fmt: skip
        down = f"http://127.0.0.1:{down_port}/x"
        cli("partners", "add", "Down", "--kind", "media", "--channel", "webhook",
            "--address", down, "--state", "TX", "--as", "ops")  # fmt: skip
        reference = _approved(cli)
        monkeypatch.setenv("BLUEALERT_RETRY_BASE_SECONDS", "0.01")
        ran = cli.json("dispatch", "--once", "--wait-retries", "5")
        assert ran["planned"][0]["partners"] == 2
        assert ran["deliveries"]["sent"] == 1
        assert len(receiver.of("ok/tv")) == 1
        status = cli.json("deliveries", "status", reference)
        [webhook] = status["channels"]
        assert (webhook["channel"], webhook["sent"], webhook["failed"]) == ("webhook", 1, 1)
        assert status["median_latency_ms"] is not None
        human = cli("deliveries", "status", reference)
        assert f"deliveries of {reference}" in human.stdout
        assert "median latency approval → sent" in human.stdout
        [dead] = cli.json("deliveries", "dead")["dead_letters"]
        assert dead["recipient"] == "p2"
        assert "gave up after 6 attempts" in dead["detail"]
        assert cli("deliveries", "replay", "--as", "ops").exit_code == 2  # names nothing
        replayed = cli("deliveries", "replay", str(dead["id"]), "--as", "ops", "--json")
        assert json.loads(replayed.stdout) == {"replayed": 1}
        assert cli.json("deliveries", "dead") == {"dead_letters": []}
        with Receiver(down_port) as back:
            assert cli.json("dispatch", "--once")["deliveries"] == {"sent": 1}
            assert len(back.of("x")) == 1
        watched = cli("deliveries", "watch", reference, "--timeout", "5")
        assert watched.exit_code == 0
        assert "2/2" in watched.stdout


def test_dispatch_needs_once_and_worker_needs_a_broker(cli: Cli) -> None:
    assert cli("dispatch").exit_code == 2
    refused = cli("worker")
    assert refused.exit_code == 2
    assert "BLUEALERT_BROKER_URL" in refused.output
