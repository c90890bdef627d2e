"""Waiting, in a test, for what another thread or process does: poll until it is true, or fail
naming what never came."""

from __future__ import annotations

import asyncio
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


async def wait_for_async(
    until: Callable[[], bool], seconds: float, what: str, every: float = 0.02
) -> None:
    """`wait_for` inside an event loop: the loop runs on (the dispatcher under test) while
    this waits."""
    deadline = time.monotonic() + seconds
    while not until():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        await asyncio.sleep(every)
