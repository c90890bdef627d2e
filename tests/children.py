"""Processes the tests start die with the test run: a run killed half-way (a timeout, Ctrl-C)
must not leave a `bluealert worker` consuming the broker's queue, or a server holding a port,
for the runs after it. `setpriv` (util-linux) sets the parent-death signal, then runs the
command in its own place, so the process is the command's own PID. (A parent killed in the
instant before setpriv sets the signal would still leave its child: the window is a few
microseconds after the start.)"""

from __future__ import annotations

DIES_WITH_THE_TESTS = ("setpriv", "--pdeathsig", "KILL", "--")


def dying_with_the_tests(*command: str) -> list[str]:
    return [*DIES_WITH_THE_TESTS, *command]
