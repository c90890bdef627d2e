"""scripts/mutation on a small module: the survivors it names, and the score it prints."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "mutation"

RULE = """LIMIT = 3


def at_most(count, limit=LIMIT):
    return count <= limit


def unused():
    return 1
"""
LOOSE_TEST = """from toy.rule import at_most


def test_at_most():
    assert at_most(1)
    assert not at_most(9)
"""
# 3 is allowed and 4 is not: both boundaries, and the default the module-level LIMIT feeds.
BOUNDARY_TEST = """from toy.rule import at_most


def test_at_most():
    assert at_most(3)
    assert not at_most(4)
"""


def _mutation(tmp_path: Path, test: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "__init__.py").write_text("")
    (tmp_path / "toy" / "rule.py").write_text(RULE)
    (tmp_path / "test_rule.py").write_text(test)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run(
        [str(SCRIPT), "toy/rule.py", "test_rule.py", "--fail-under", "0.5"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_survivors_are_named_with_their_line_and_the_score_is_the_last_line(
    tmp_path: Path,
) -> None:
    run = _mutation(tmp_path, LOOSE_TEST)
    lines = run.stdout.splitlines()
    survivors = sorted(line for line in lines if line.startswith("survived"))
    assert survivors == [
        "survived toy/rule.py:1: module: `3` -> `4`",
        "survived toy/rule.py:5: at_most: `count <= limit` -> `count < limit`",
        "survived toy/rule.py:9: unused: `1` -> `2` (no test reaches it)",
        "survived toy/rule.py:9: unused: `return 1` -> `return None` (no test reaches it)",
    ]
    # 5 mutants: only `return None` in at_most is killed.
    assert lines[-1] == "mutation_score=0.20"
    assert run.returncode == 1, run.stderr  # under --fail-under 0.5


def test_a_boundary_test_kills_the_off_by_one_mutants(tmp_path: Path) -> None:
    run = _mutation(tmp_path, BOUNDARY_TEST)
    assert "at_most" not in run.stdout.replace("unused", "")
    assert "module: `3` -> `4`" not in run.stdout
    assert run.stdout.splitlines()[-1] == "mutation_score=0.60"
    assert run.returncode == 0, run.stderr


def test_tests_failing_untouched_stop_the_run(tmp_path: Path) -> None:
    run = _mutation(tmp_path, LOOSE_TEST.replace("assert at_most(1)", "assert at_most(5)"))
    assert "the tests fail untouched" in run.stderr
    assert run.returncode == 2
