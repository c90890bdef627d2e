"""The tests' child processes die with the process that started them (tests/children.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable

PARENT = """
import subprocess, sys
from tests.children import dying_with_the_tests
child = subprocess.Popen(dying_with_the_tests("sleep", "600"))
print(child.pid, flush=True)
sys.stdin.read()
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"  # a zombie has died already
    except FileNotFoundError:
        return False


def _command(pid: int) -> bytes:
    with open(f"/proc/{pid}/cmdline", "rb") as line:
        return line.read().split(b"\0")[0]


def _wait(until: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not until():
        assert time.monotonic() < deadline, f"waited 10 s for {what}"
        time.sleep(0.05)


def test_a_child_is_killed_when_its_parent_is() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", PARENT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=os.getcwd(),
    ) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        _wait(lambda: _command(child) == b"sleep", "setpriv to run the command")
        parent.kill()
    _wait(lambda: not _alive(child), "the child to die with its parent")
