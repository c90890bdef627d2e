"""A retry goes at its time, not at the dispatcher's next poll: a batch settled with deliveries
in `retrying` wakes the loop, embedded and in a scale-out worker that leaves planning to others.
Every dispatcher here polls once an hour, so a retry left to the poll never comes; the receiver
answers its 500s late, so each is settled after the loop has gone back to sleep."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bluealert.app.context import AppContext, transaction
from bluealert.dispatch.engine import Dispatcher
from bluealert.dispatch.planner import plan_item
from bluealert.dispatch.rabbit import RabbitQueue
from bluealert.store.tables import DeliveryRow
from tests.integration.dispatch.conftest import Receiver, approved, partner, subscriber
from tests.waiting import wait_for

BROKER = "amqp://guest:guest@127.0.0.1:5672/"
AN_HOUR = 3600.0
FEW_SECONDS = 10.0  # backoff is 0.05 s a step here: three tries take well under a second


def _attempts(ctx: AppContext) -> dict[str, tuple[str, int]]:
    """Each recipient's receipt: (state, attempts)."""
    with transaction(ctx) as tx:
        rows = tx.session.scalars(select(DeliveryRow))
        return {r.recipient: (r.state, r.attempts) for r in rows}


async def _third_tries(receiver: Receiver, *paths: str) -> None:
    def arrived() -> bool:
        return all(len(receiver.of(path)) == 3 for path in paths)

    await asyncio.to_thread(wait_for, arrived, FEW_SECONDS, f"the third try to {paths}")


async def _settled(ctx: AppContext, expected: dict[str, tuple[str, int]]) -> None:
    def recorded() -> bool:
        return _attempts(ctx) == expected

    await asyncio.to_thread(wait_for, recorded, FEW_SECONDS, f"the receipts {expected}")


def test_an_embedded_dispatcher_retries_at_the_retry_time_not_the_poll(
    dctx: AppContext, receiver: Receiver
) -> None:
    partner(dctx, "Flaky TV", receiver.url("late-flaky/tv"))
    subscriber(dctx, receiver.url("late-flaky/resident"))
    approved(dctx)

    async def run() -> None:
        async with Dispatcher(dctx, poll_seconds=AN_HOUR) as dispatcher:
            await dispatcher.start()
            await _third_tries(receiver, "late-flaky/tv", "late-flaky/resident")
            await _settled(dctx, {"p1": ("sent", 3), "s1": ("sent", 3)})

    asyncio.run(run())
    for path in ("late-flaky/tv", "late-flaky/resident"):
        hits = receiver.of(path)
        assert len({h.headers["webhook-id"] for h in hits}) == 1  # one delivery, retried


@pytest.fixture
def rabbit_queue() -> Iterator[str]:
    name = f"bluealert.test.{uuid.uuid4().hex[:8]}"
    yield name
    for suffix in ("", ".dead"):
        subprocess.run(["rabbitmqctl", "delete_queue", name + suffix], capture_output=True)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_worker_that_does_not_plan_retries_at_the_retry_time_not_the_poll(
    dctx: AppContext, receiver: Receiver, rabbit_queue: str
) -> None:
    """`bluealert worker --no-plan`: someone else planned; this worker's own loop still sweeps
    what is due, and the batch it settled with a retry wakes that loop."""
    partner(dctx, "Flaky TV", receiver.url("late-flaky/tv"))
    approved(dctx)
    with transaction(dctx) as tx:
        [item] = tx.outbox.pending()
    assert plan_item(dctx, item.id) is not None  # planned elsewhere, queued by nobody yet

    async def run() -> None:
        queue = RabbitQueue(BROKER, queue=rabbit_queue)
        await queue.connect()
        async with Dispatcher(dctx, queue=queue, plan=False, poll_seconds=AN_HOUR) as worker:
            await worker.start()
            await _third_tries(receiver, "late-flaky/tv")
            await _settled(dctx, {"p1": ("sent", 3)})

    asyncio.run(run())
    hits = receiver.of("late-flaky/tv")
    assert len({h.headers["webhook-id"] for h in hits}) == 1
