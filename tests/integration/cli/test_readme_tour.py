"""The README's CLI tour runs as written, in a fresh folder, through the installed command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import POSTGRES_ADMIN

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
    env["COLUMNS"] = "80"
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
        "verdict: waiting for attestations",
        "exit 3",
        "approved and ACTIVE",
        "linked alert",
        "signature OK, signed by CN=Test CAP signer",
        "EAS: ZCZC-CIV-BLU-",
        "audit log verifies",
        "audit log verifies and extends the checkpoint made",
        "OK borders the alert's area",  # activation suggest has a state to suggest
    ):
        assert said in ran.stdout, said
    # Everything the tour writes stays in its own directory, none of it in the project's folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["examples", "var"]
    tour = tmp_path / "var" / "tour"
    for made in ("alert.schema.json", "signer.key", "signer.pem", "alert.xml", "alert.wav"):
        assert (tour / made).is_file(), made
    assert (tour / "audit.jsonl").read_text().count("\n") > 10


# Commands every POSIX shell has; any other tool the tour runs must be named in the README.
POSIX_BASICS = {"export", "rm", "mkdir", "cd", "echo", "cat"}


def _tools_the_tour_runs() -> set[str]:
    script = _tour().replace("\\\n", " ")
    commands = set()
    for line in script.splitlines():
        line = line.split("#", 1)[0].strip()
        line = re.sub(r"^[A-Z_]+=\$\(", "", line)  # REF=$(bluealert …)
        for part in re.split(r"&&|\|", line):
            words = part.split()
            if words:
                commands.add(words[0])
    return commands - {"bluealert"} - POSIX_BASICS


def test_the_readme_names_what_the_tour_and_the_tests_need() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    tools = _tools_the_tour_runs()
    assert "openssl" in tools
    for tool in tools:
        assert f"`{tool}`" in start, f"the tour runs {tool}: name it in the quick start"
    python = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert f"Python {python.removeprefix('>=')} or newer" in start
    database = POSTGRES_ADMIN.rsplit("/", 1)[1]
    assert f"`{database}` database" in start
