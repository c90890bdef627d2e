"""The dispatcher: outbox → plan → batches → channels, in one process or many.

    async with Dispatcher(ctx) as dispatcher:   # embedded: plans and sends in this process
        ...                                      # woken by every commit that writes the outbox

`bluealert serve` (and `bluealert worker`) run one for their whole life; leaving the block stops
it between batches: no batch is cut in half, and whatever was queued but not begun is taken up
again by the next start (its rows are the truth, not the queue).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import random
from collections import Counter
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from types import TracebackType

from bluealert.app.context import AppContext, transaction
from bluealert.app.feeds import FeedWriter
from bluealert.dispatch.channels import factory
from bluealert.dispatch.channels.base import Channel, ChannelLimits
from bluealert.dispatch.planner import Plan, plan_item
from bluealert.dispatch.queues import Batch, BatchQueue, InProcessQueue, Received
from bluealert.dispatch.ratelimit import TokenBucket
from bluealert.dispatch.worker import BatchSender
from bluealert.domain.delivery import DeliveryState
from bluealert.errors import BlueAlertError
from bluealert.formats.context import Speaker
from bluealert.logs import get_logger
from bluealert.store.deliveries import DeliveryRepository

log = get_logger("bluealert.dispatch")
DUE_PAGE = 5000


def tune_gc() -> None:
    """Keep the garbage collector off what lives for the whole process, and collect the young
    less often. A fan-out makes and drops many short-lived cycles (requests, tasks, futures),
    and each full collection walked again the ~180 000 objects loaded before it (modules, the
    county atlas): a quarter of a fan-out's CPU, measured with gc.callbacks. What is alive now
    is collected once, then frozen (never scanned again); young collections every 20 000
    allocations instead of 700."""
    gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, 20_000), max(middle, 50), max(old, 100))


@dataclass
class Summary:
    """What a `dispatch --once` run did."""

    plans: list[Plan] = field(default_factory=list)
    settled: Counter[str] = field(default_factory=Counter)


class Dispatcher:
    """Plans the outbox and sends the deliveries; an async context manager.

    `plan=False` makes a pure worker (scale-out workers that leave planning to others);
    `consumers` is how many batches are sent at once; `queue` defaults to the in-process one.
    """

    def __init__(
        self,
        ctx: AppContext,
        *,
        queue: BatchQueue | None = None,
        plan: bool = True,
        consumers: int = 4,
        poll_seconds: float = 5.0,
        speaker: Speaker | None = None,
        rng: random.Random | None = None,
        feeds: FeedWriter | None = None,
    ) -> None:
        self.ctx = ctx
        self.queue: BatchQueue = queue or InProcessQueue()
        self.embedded = queue is None
        self.plans = plan
        self.consumers = consumers
        self.poll_seconds = poll_seconds
        self.speaker = speaker
        self.rng = rng or random.Random()
        self.summary = Summary()
        self.feeds = feeds or FeedWriter()  # the server's own, so its feed lane sees a write
        self._stack = AsyncExitStack()
        self._channels: dict[str, Channel] = {}
        self._declared: dict[str, ChannelLimits] = {}
        self._limiters: dict[str, TokenBucket] = {}
        self._opening = asyncio.Lock()
        self._sender: BatchSender | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []
        self._in_flight = 0
        self._listener: Callable[[], None] | None = None
        self._event_loop: asyncio.AbstractEventLoop | None = None

    # -- life -------------------------------------------------------------------------------

    async def __aenter__(self) -> Dispatcher:
        loop = self._event_loop = asyncio.get_running_loop()

        def listener() -> None:
            loop.call_soon_threadsafe(self._wake.set)

        self._listener = listener
        self.ctx.outbox_listeners.append(listener)
        tune_gc()
        self._sender = BatchSender(self.ctx, self._channels, self._limiters, self.rng)
        if self.embedded:
            await asyncio.to_thread(self._release_sending)
        self._tasks = [
            asyncio.create_task(self._consume(), name=f"consumer-{n}")
            for n in range(self.consumers)
        ]
        return self

    async def start(self) -> None:
        """Start the loop that plans and queues (`serve` and `worker` call it once entered)."""
        self._tasks.append(asyncio.create_task(self._loop(), name="dispatcher"))

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.stop()

    async def stop(self) -> None:
        """Stop between batches: running batches finish and settle; nothing new is taken."""
        self._stopping = True
        self._wake.set()
        if self._listener is not None and self._listener in self.ctx.outbox_listeners:
            self.ctx.outbox_listeners.remove(self._listener)
        await self._drain_tasks()
        await self.queue.close()
        await self._stack.aclose()

    async def _drain_tasks(self) -> None:
        while self._in_flight:
            await asyncio.sleep(0.02)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def wake(self) -> None:
        """Look at the outbox now (thread-safe through the listener; direct here)."""
        self._wake.set()

    # -- planning and queueing ----------------------------------------------------------------

    def _release_sending(self) -> None:
        """Embedded start: a previous run of this process died holding batches; take them back.
        (One embedded process per database: two would send those deliveries twice.)"""
        with transaction(self.ctx) as tx:
            DeliveryRepository(tx.session).release_sending()

    def _plan_pending(self) -> list[Plan]:
        done = []
        with transaction(self.ctx) as tx:
            pending = tx.outbox.pending(limit=100)
        for item in pending:
            plan = plan_item(self.ctx, item.id, self.speaker, self.feeds, self._enqueue_planned)
            if plan is not None:
                done.append(plan)
        return done

    async def _plan_round(self) -> None:
        """Plan what is pending. A setting planning cannot work with (a CAP signing key that is
        not a PEM file) is logged once a round, without a traceback: its items stay pending,
        planned once it is fixed, and the deliveries already due are still sent."""
        try:
            self.summary.plans += await asyncio.to_thread(self._plan_pending)
        except BlueAlertError as refused:
            log.error(
                "planning_refused",
                extra={
                    "action": "planning_refused",
                    "field": refused.field,
                    "reason": str(refused),
                },
            )

    def _enqueue_planned(self, planned: dict[str, list[int]]) -> None:
        """From the planning thread, once a page committed: its batches onto the queue now,
        so sending overlaps planning. Should the queue refuse, the rows stay marked queued
        and the sweep puts them back after the lease (as for a batch lost on its way)."""
        assert self._event_loop is not None
        future = asyncio.run_coroutine_threadsafe(self._put(planned), self._event_loop)
        try:
            future.result()
        except Exception:
            log.exception("enqueue_failed", extra={"action": "enqueue_failed"})

    async def _put(self, planned: dict[str, list[int]]) -> None:
        batches = []
        for channel_name, ids in planned.items():
            size = self._limits(channel_name).batch_size
            batches += [
                Batch(channel_name, tuple(ids[i : i + size])) for i in range(0, len(ids), size)
            ]
        await self.queue.put(batches)

    def _limits(self, name: str) -> ChannelLimits:
        """A channel's declared limits, read without opening it: a channel that cannot open
        must not keep the other channels' batches off the queue."""
        if name not in self._declared:
            self._declared[name] = factory(name)(self.ctx.settings).limits
        return self._declared[name]

    async def channel(self, name: str) -> Channel:
        """The named channel, opened on first use and kept open until the dispatcher stops
        (once, however many consumers ask for it at the same time)."""
        if name not in self._channels:
            async with self._opening:
                if name not in self._channels:
                    opened = factory(name)(self.ctx.settings)
                    entered = await self._stack.enter_async_context(opened)
                    limits = opened.limits
                    self._limiters[name] = TokenBucket(
                        limits.rate_per_second, max(limits.rate_per_second, limits.batch_size)
                    )
                    self._channels[name] = entered
        return self._channels[name]

    def _due(self, requeue_after: timedelta) -> list[tuple[int, str]]:
        with transaction(self.ctx) as tx:
            return DeliveryRepository(tx.session).due(
                self.ctx.clock(), requeue_after=requeue_after, limit=DUE_PAGE
            )

    def _mark_queued(self, ids: list[int]) -> None:
        with transaction(self.ctx) as tx:
            DeliveryRepository(tx.session).mark_queued(ids, self.ctx.clock())

    async def enqueue_due(self) -> int:
        """Put every delivery that is due on the queue, in batches per channel."""
        requeue_after = timedelta(seconds=self.ctx.settings.delivery_lease_seconds)
        total = 0
        while True:
            due = await asyncio.to_thread(self._due, requeue_after)
            if not due:
                return total
            by_channel: dict[str, list[int]] = {}
            for delivery_id, channel_name in due:
                by_channel.setdefault(channel_name, []).append(delivery_id)
            await self._put(by_channel)
            await asyncio.to_thread(self._mark_queued, [i for i, _ in due])
            total += len(due)
            if len(due) < DUE_PAGE:
                return total

    def _next_retry_in(self) -> float | None:
        with transaction(self.ctx) as tx:
            when = DeliveryRepository(tx.session).next_retry_at()
        if when is None:
            return None
        return max(0.0, (when - self.ctx.clock()).total_seconds())

    async def _loop(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                if self.plans:
                    await self._plan_round()
                await self.enqueue_due()
                retry = await asyncio.to_thread(self._next_retry_in)
            except Exception:  # a database or broker hiccup must not end the loop
                log.exception("dispatch_loop_failed", extra={"action": "dispatch_loop_failed"})
                retry = None
            wait = self.poll_seconds if retry is None else min(self.poll_seconds, retry + 0.01)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)

    # -- sending ------------------------------------------------------------------------------

    async def _consume(self) -> None:
        async for received in self.queue.receive():
            if self._stopping:
                return
            self._in_flight += 1
            try:
                await self._send(received)
            finally:
                self._in_flight -= 1
            if self._stopping:
                return

    async def _send(self, received: Received) -> None:
        assert self._sender is not None
        batch = received.batch
        try:
            await self.channel(batch.channel)
        except BlueAlertError as refused:  # a setting it cannot open with: no rows claimed
            log.error(
                "channel_unavailable",
                extra={
                    "action": "channel_unavailable",
                    "channel": batch.channel,
                    "reason": str(refused),
                },
            )
            await received.reject()
            return
        try:
            counts = await self._sender.send(
                batch.channel, batch.ids, takeover=received.redelivered
            )
        except Exception:
            # Not acknowledged: the broker hands it out again; in-process, the sweeper does.
            log.exception(
                "batch_failed", extra={"action": "batch_failed", "channel": batch.channel}
            )
            await received.reject()
            return
        self.summary.settled.update(counts)
        await received.ack()
        if counts[DeliveryState.RETRYING]:
            # The loop's wait was set before these retries existed: look again now, so each
            # goes at its `next_attempt_at`, not a poll later.
            self._wake.set()

    # -- draining (dispatch --once, tests) ------------------------------------------------------

    async def drain(self, wait_for_retries: float = 0.0) -> Summary:
        """Plan the whole outbox, send everything due, and return when nothing is left to do
        now (or, with `wait_for_retries`, once no retry falls due within that many seconds of
        real time from the start)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_for_retries
        while True:
            if self.plans:
                self.summary.plans += await asyncio.to_thread(self._plan_pending)
            queued = await self.enqueue_due()
            while self.queue.pending() or self._in_flight:
                await asyncio.sleep(0.01)
            if queued:
                continue
            with transaction(self.ctx) as tx:
                pending = tx.outbox.pending(limit=1)
            if pending:
                continue
            retry = await asyncio.to_thread(self._next_retry_in)
            if retry is None or loop.time() + retry > deadline:
                return self.summary
            await asyncio.sleep(retry + 0.01)
