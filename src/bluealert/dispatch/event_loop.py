"""The event loop the engine runs on: uvloop, as in `bluealert serve` (uvicorn with
loop="uvloop"), so that the worker, `dispatch --once` and the benchmark send as the server does.

    summary = event_loop.run(drain())
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import uvloop

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` to its end on a new uvloop event loop, as `asyncio.run` does on asyncio's."""
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)
