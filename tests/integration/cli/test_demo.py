"""`bluealert demo` plays its whole scenario as a real process, and can be played twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _demo(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BLUEALERT_DATA_DIR": str(data_dir), "COLUMNS": "160"}
    env.pop("BLUEALERT_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bluealert.cli", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_demo_plays_the_scenario_twice(tmp_path: Path) -> None:
    for run in (1, 2):
        result = _demo(tmp_path)
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
        assert f"-000{run}" in out, "each run drafts a new alert with the next reference"


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
    assert states == ["active", "cancelled", "rejected"]
    assert summary["audit"]["ok"] is True
