"""The embedded worker: the dispatcher inside `bluealert serve`, for the embedded mode (no
broker). It plans and sends in the server's process, woken at once by a commit:

- in this process, by the store's outbox listener (an API request that approved an alert);
- in another process on the same data directory (a CLI command, another of `serve --workers`'
  processes), by the doorbell (`app.doorbell`);
- on PostgreSQL, from anywhere, by LISTEN/NOTIFY.

Only the process holding the data directory's `BackgroundLease` may run one.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from bluealert.app.context import AppContext
from bluealert.app.doorbell import listen
from bluealert.app.feeds import FeedWriter
from bluealert.dispatch.engine import Dispatcher
from bluealert.dispatch.scaleout import listen_if_postgresql
from bluealert.logs import get_logger

log = get_logger("bluealert.dispatch")


class EmbeddedWorker:
    def __init__(self, ctx: AppContext, feeds: FeedWriter | None = None) -> None:
        self.ctx = ctx
        self.dispatcher = Dispatcher(
            ctx, feeds=feeds, poll_seconds=ctx.settings.dispatch_poll_seconds
        )
        self._bell: socket.socket | None = None
        self._listener: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start, or undo what was started and raise (the database may be away a while)."""
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        await self.dispatcher.__aenter__()
        await self.dispatcher.start()
        self._bell = listen(self.ctx.settings.data_dir)
        if self._bell is not None:
            asyncio.get_running_loop().add_reader(self._bell, self._rung)
        self._listener = listen_if_postgresql(self.ctx, self.dispatcher)
        log.info("embedded_worker_started", extra={"action": "embedded_worker_started"})

    def _rung(self) -> None:
        assert self._bell is not None
        with contextlib.suppress(BlockingIOError):
            while self._bell.recv(64):  # every ring waiting: one wake is enough for all
                pass
        self.dispatcher.wake()

    async def stop(self) -> None:
        """Stop between batches: the batches being sent finish and settle first."""
        if self._bell is not None:
            asyncio.get_running_loop().remove_reader(self._bell)
            self._bell.close()
            self._bell = None
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self.dispatcher.stop()
        log.info("embedded_worker_stopped", extra={"action": "embedded_worker_stopped"})
