"""The server's work besides answering requests, in the one process of its data directory that
holds the `BackgroundLease`: expiring alerts on time, keeping the feed snapshots current, and,
in the embedded mode (no broker), the dispatcher that sends alerts out.

With `serve --workers N` the other processes try the lease every round and take over when its
holder ends. With a broker configured, `bluealert worker` processes send instead.
"""

from __future__ import annotations

import asyncio
import contextlib

from bluealert.app.alerts import expire_due_alerts
from bluealert.dispatch.embedded import EmbeddedWorker
from bluealert.dispatch.lease import BackgroundLease
from bluealert.logs import get_logger
from bluealert.web.state import WebState

log = get_logger("bluealert.web")


class Background:
    def __init__(self, web: WebState) -> None:
        self.web = web
        self.lease = BackgroundLease(web.settings.data_dir)
        self.worker: EmbeddedWorker | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._rounds(), name="background")

    async def stop(self) -> None:
        """The dispatcher first (it stops between batches), then the timers."""
        if self.worker is not None:
            await self.worker.stop()
            self.worker = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self.lease.release()

    async def _rounds(self) -> None:
        web = self.web
        while True:
            try:
                if self.lease.held():
                    if self.worker is None and not web.settings.broker_url:
                        worker = EmbeddedWorker(web.ctx, web.feeds)
                        await worker.start()
                        self.worker = worker  # once started: a failed start is tried again
                    expired = await asyncio.to_thread(expire_due_alerts, web.ctx)
                    await asyncio.to_thread(web.feeds.refresh, web.ctx)
                    if expired:
                        log.info("alerts_expired", extra={"count": len(expired)})
            except Exception:  # one bad round must not stop expiry for good
                log.exception("background_round_failed")
            await asyncio.sleep(web.settings.expiry_interval_seconds)
