"""The README's curl session runs as written against a real `bluealert serve`: sign in, draft,
submit, approve as another person (with a TOTP code), fetch the signed CAP and verify it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.integration.web.server_process import free_port

ROOT = Path(__file__).resolve().parents[3]


def _session() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### An API session with curl", 1)[1].split("\n## ", 1)[0]
    [script] = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return script


def test_the_readme_api_session_runs_as_written(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLUEALERT_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["BLUEALERT_ARGON2_MEMORY_KIB"] = "1024"  # the shipped 64 MiB is slow on a busy machine
    script = _session().replace("8000", str(free_port()))  # a free port, never a fixed one
    stop_server = "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
    ran = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", stop_server + script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    lines = ran.stdout.splitlines()
    assert "pending_approval" in lines
    assert "active" in lines
    assert "signature OK, signed by CN=Test CAP signer" in ran.stdout
    reference = re.search(
        r"<identifier>BLU-(TX-\d{4}-\d{4})-v1</identifier>", (tmp_path / "alert.xml").read_text()
    )
    assert reference is not None
