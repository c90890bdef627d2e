"""The tests' child processes die with the process that started them (tests/children.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.waiting import wait_for

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


def test_a_child_is_killed_when_its_parent_is() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", PARENT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=os.getcwd(),
    ) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        wait_for(lambda: _command(child) == b"sleep", 10, "setpriv to run the command")
        parent.kill()
    wait_for(lambda: not _alive(child), 10, "the child to die with its parent")
