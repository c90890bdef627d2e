"""The README's CLI tour runs as written, in a fresh folder, through the installed command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _tour() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## CLI tour", 1)[1].split("\n## ", 1)[0]
    [script] = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return script


def test_the_readme_cli_tour_runs_as_written(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLUEALERT_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["COLUMNS"] = "200"
    ran = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _tour()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    for said in (
        "approved and ACTIVE",
        "linked alert",
        "signature OK, signed by CN=Test CAP signer",
        "EAS: ZCZC-CIV-BLU-",
        "audit log verifies",
        "audit log verifies and extends the checkpoint made",
    ):
        assert said in ran.stdout, said
    assert (tmp_path / "audit.jsonl").read_text().count("\n") > 10
