"""The scale-out mode: PostgreSQL wakes the dispatchers (LISTEN/NOTIFY), RabbitMQ carries the
batches, and any number of `bluealert worker` processes plan and send."""

from __future__ import annotations

import asyncio
import contextlib

from bluealert.app.context import AppContext
from bluealert.dispatch.engine import Dispatcher
from bluealert.dispatch.rabbit import RabbitQueue
from bluealert.logs import get_logger
from bluealert.store.notify import outbox_commits

log = get_logger("bluealert.dispatch")


async def listen_for_commits(url: str, dispatcher: Dispatcher) -> None:
    """Wake the dispatcher on every outbox commit; reconnect when PostgreSQL goes away."""
    while True:
        try:
            async for _ in outbox_commits(url):
                dispatcher.wake()
        except Exception as error:  # the loop's poll covers the gap
            log.warning("listen_lost", extra={"action": "listen_lost", "error": str(error)})
        await asyncio.sleep(1.0)


def listen_if_postgresql(ctx: AppContext, dispatcher: Dispatcher) -> asyncio.Task[None] | None:
    """On PostgreSQL, a task waking `dispatcher` on every outbox commit (cancel it to stop)."""
    if ctx.engine.url.get_backend_name() != "postgresql":
        return None
    url = ctx.engine.url.render_as_string(hide_password=False)
    return asyncio.create_task(listen_for_commits(url, dispatcher))


async def run_worker(
    ctx: AppContext, stop: asyncio.Event, *, consumers: int = 4, plan: bool = True
) -> None:
    """Run until `stop` is set, then stop between batches."""
    assert ctx.settings.broker_url, "the scale-out mode needs BLUEALERT_BROKER_URL"
    queue = RabbitQueue(
        ctx.settings.broker_url, prefetch=consumers, queue=ctx.settings.broker_queue
    )
    await queue.connect()
    async with Dispatcher(
        ctx,
        queue=queue,
        plan=plan,
        consumers=consumers,
        poll_seconds=ctx.settings.dispatch_poll_seconds,
    ) as dispatcher:
        await dispatcher.start()
        listener = listen_if_postgresql(ctx, dispatcher)
        log.info("worker_started", extra={"action": "worker_started", "consumers": consumers})
        await stop.wait()
        if listener is not None:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
    log.info("worker_stopped", extra={"action": "worker_stopped"})
