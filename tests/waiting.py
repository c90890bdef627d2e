"""Waiting, in a test, for what another thread or process does: poll until it is true, or fail
naming what never came."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path


def wait_for(
    until: Callable[[], bool],
    seconds: float,
    what: str,
    every: float = 0.05,
    log: Path | None = None,
) -> None:
    """Return once `until()` is true; after `seconds` fail naming `what` (with the end of
    `log`, the output of the process waited on, when given)."""
    deadline = time.monotonic() + seconds
    while not until():
        if time.monotonic() > deadline:
            tail = log.read_text()[-4000:] if log is not None and log.exists() else ""
            raise AssertionError(f"waited {seconds} s for {what}\n{tail}".rstrip())
        time.sleep(every)
