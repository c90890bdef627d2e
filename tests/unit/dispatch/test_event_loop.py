"""The engine outside the server runs on the server's event loop, uvloop."""

from __future__ import annotations

import asyncio

import uvloop

from bluealert.dispatch import event_loop


async def _running_loop() -> asyncio.AbstractEventLoop:
    await asyncio.sleep(0)
    return asyncio.get_running_loop()


def test_the_engine_runs_on_uvloop_and_gets_its_answer() -> None:
    loop = event_loop.run(_running_loop())
    assert isinstance(loop, uvloop.Loop)
    assert loop.is_closed()  # a new loop for the run, closed after it
