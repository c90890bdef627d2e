"""Two `bluealert alert update … --base 1` processes at once on one store (issue 8): exactly one
publishes version 2, the other exits 1 naming it. The processes read the machine's clock, so
this module runs on the real time rather than the suite's fixed clock."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import Clock
from tests.integration.cli.conftest import Cli
from tests.integration.cli.test_alert_workflow import _active, _alert_file, _people

BLUEALERT = str(Path(sys.executable).parent / "bluealert")


@pytest.fixture
def clock() -> Clock:
    """The real time: the two processes below read the machine's clock, not the test's."""
    return Clock(datetime.now(UTC) - timedelta(minutes=2))


def _start(cli: Cli, reference: str, who: str, contact: str) -> subprocess.Popen[str]:
    """`bluealert alert update … --base 1` as its own process, on the machine's clock."""
    env = dict(os.environ, BLUEALERT_DATA_DIR=str(cli.data_dir))
    env.pop("BLUEALERT_DATABASE_URL", None)
    path = _alert_file(cli, f"{who}.yaml", contact=contact)
    args = ["alert", "update", reference, path, "--as", who, "--base", "1", "--note", who]
    return subprocess.Popen(
        [BLUEALERT, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_processes_updating_from_the_same_base_publish_exactly_one(cli: Cli) -> None:
    _people(cli)
    reference = _active(cli)
    runs = {
        who: _start(cli, reference, who, contact)
        for who, contact in (("tx.kim", "Call 911 or DPS"), ("tx.patel", "Call 911 or TxDOT"))
    }
    results = {who: (run, *run.communicate(timeout=180)) for who, run in runs.items()}
    codes = sorted(run.returncode for run, _, _ in results.values())
    assert codes == [0, 1], results
    [winner] = [who for who, (run, _, _) in results.items() if run.returncode == 0]
    [(_, _, refusal)] = [r for who, r in results.items() if who != winner]
    assert f"error: base: {reference} is at version 2" in refusal.replace("\n", " ")
    assert f"{reference} updated from version 1" in results[winner][1]
    shown = cli.json("alert", "show", reference)
    assert [v["number"] for v in shown["versions"]] == [1, 2]
    assert shown["versions"][1]["note"] == winner  # the one that exited 0 is the one published
