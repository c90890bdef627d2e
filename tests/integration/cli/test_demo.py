"""`bluealert demo` plays its whole scenario as a real process, and can be played twice; its
parts run in-process too, where they are traced and reach mutants."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bluealert.app.alerts import get_alert, list_alerts
from bluealert.app.audit_log import verify_audit
from bluealert.app.context import AppContext, transaction
from bluealert.cli.demo_commands import play
from bluealert.store.tables import DeliveryRow
from tests.children import dying_with_the_tests
from tests.integration.dispatch.conftest import free_port


def _demo(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "BLUEALERT_DATA_DIR": str(data_dir), "COLUMNS": "60", **env}
    return subprocess.run(
        [sys.executable, "-m", "bluealert.cli", "demo", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_demo_plays_in_a_fresh_store_of_its_own_and_leaves_the_users_untouched(
    tmp_path: Path,
) -> None:
    """The user's store already holds the tour's people (the demo's usernames among them) and
    the environment names an unreachable PostgreSQL: the demo uses neither, twice."""
    data_dir = tmp_path / "var"
    for command in (
        ("db", "upgrade"),
        ("users", "add", "admin", "--role", "admin"),
        (
            "users",
            "add",
            "sgt.reyes",
            "--role",
            "supervisor",
            "--agency",
            "TX0570000",
            "--as",
            "admin",
        ),
        ("users", "add", "tx.kim", "--role", "state_coordinator", "--state", "TX", "--as", "admin"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "bluealert.cli", *command],
            env={**os.environ, "BLUEALERT_DATA_DIR": str(data_dir)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    before = _files(data_dir)
    unreachable = {"BLUEALERT_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing"}
    for run in (1, 2):
        result = _demo(data_dir, **unreachable)
        assert result.returncode == 0, result.stdout + result.stderr
        out = result.stdout
        for words in (
            "Criteria check",
            "two-person rule",
            "approved",
            "version 2 published",
            "Oklahoma accepted",
            "cancelled",
            "hash chain intact",
        ):
            assert words in out, f"run {run}: {words!r} missing"
        assert "draft TX-" in out
        assert "-0001 created" in out, f"run {run}: a fresh store drafts reference 0001"
        assert "-0003 created" not in out
    assert _files(data_dir) == before


def test_the_demos_same_header_is_never_wrapped(tmp_path: Path) -> None:
    result = _demo(tmp_path / "unused")
    assert result.returncode == 0, result.stderr
    # 47 CFR 11.31: ZCZC-ORG-EEE-PSSCCC(-PSSCCC…)+TTTT-JJJHHMM-LLLLLLLL-, on one line at 60
    header = re.compile(r"^SAME: ZCZC-CIV-BLU-(\d{6}-)*\d{6}\+\d{4}-\d{7}-BLUALERT-$", re.M)
    assert header.search(result.stdout), result.stdout
    assert not (tmp_path / "unused").exists()


def test_the_demo_server_stopped_by_sigterm_deletes_the_demos_store(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    log = tmp_path / "demo.log"
    environment = {
        **os.environ,
        "BLUEALERT_DATA_DIR": str(tmp_path / "var"),
        "TMPDIR": str(temporary),
    }
    with log.open("wb") as out:
        server = subprocess.Popen(
            dying_with_the_tests(
                sys.executable, "-m", "bluealert.cli", "demo", "--serve", "--port", str(free_port())
            ),
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 300
        while "serving the demo" not in log.read_text():
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        assert [p.name[:15] for p in temporary.iterdir()] == ["bluealert-demo-"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert list(temporary.iterdir()) == [], "the demo's store outlived the server"
    assert not (tmp_path / "var").exists()


def test_demo_json_summarises_for_scripts(tmp_path: Path) -> None:
    import json

    env = {**os.environ, "BLUEALERT_DATA_DIR": str(tmp_path)}
    env.pop("BLUEALERT_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "bluealert.cli", "demo", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    states = sorted(a["state"] for a in summary["alerts"])
    assert states == ["cancelled", "cancelled", "rejected"]  # the linked alert ends with its own
    assert summary["audit"]["ok"] is True


def test_the_demo_scenario_in_process_leaves_what_it_tells(
    sqlite_ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    """The scenario's parts, traced: each refusal it shows must happen (play raises if one
    does not; the two-person rule among them), and the store ends as the story says, on the
    fixed test clock."""
    play(sqlite_ctx)
    found = {
        a.reference: (a.state.value, [v.msg_type.value for v in a.versions])
        for a in list_alerts(sqlite_ctx, states=[], plan=None)
    }
    assert found == {
        "TX-2026-0001": ("cancelled", ["Alert", "Update", "Cancel"]),
        "TX-2026-0002": ("rejected", ["Alert"]),
        "OK-2026-0001": ("cancelled", ["Alert", "Cancel"]),
    }
    cancelled = get_alert(sqlite_ctx, "TX-2026-0001")
    assert cancelled.reason == "suspect vehicle found abandoned; search handed to SWAT"
    assert cancelled.content.vehicles[0].plate is not None
    assert cancelled.content.vehicles[0].plate.number == "KZT4781"
    assert verify_audit(sqlite_ctx).ok
    out = " ".join(capsys.readouterr().out.split())
    assert "refused, as it must be:" in out
    assert "two-person rule" in out
    assert "TX-2026-0001 is at version 2 (written by tx.patel" in out  # a stale base refused
    # Day 328 of 2026 is 24 November; the test clock reads 09:00 UTC.
    assert "SAME: ZCZC-CIV-BLU-" in out
    assert "-3280900-BLUALERT-" in out
    assert "hash chain intact" in out
    assert "Oklahoma's linked alert OK-2026-0001 follows it: cancelled" in out
    # The IPAWS stand-in took the alert, its update and its cancel (each answered per channel).
    for version in ("v1", "v2", "v3"):
        assert f"BLU-TX-2026-0001-{version}" in out
    assert "refused:" not in out
    # The highway sign (the local NTCIP agent) showed each version, then went blank.
    with transaction(sqlite_ctx) as tx:
        sign = tx.session.scalars(
            select(DeliveryRow).where(DeliveryRow.channel == "ntcip").order_by(DeliveryRow.id)
        ).all()
    assert [(r.event, r.state) for r in sign] == [
        ("publish", "sent"),
        ("update", "sent"),
        ("cancel", "sent"),
    ]
    assert "the sign shows changeable 3" in sign[0].detail
    assert "TX LIC KZT4781" in sign[1].detail
    assert sign[2].detail == "blanked; the sign shows blank: (nothing)"
