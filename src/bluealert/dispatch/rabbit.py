"""The scale-out queue: RabbitMQ through aio-pika.

- `bluealert.deliveries`: a durable quorum queue of batches (ids of deliveries of one channel),
  published persistent with publisher confirms: `put` returns only once the broker has them.
- A batch is acknowledged only after its receipts are committed. A worker that dies first leaves
  it unacknowledged; the broker hands it to another worker, marked redelivered, who takes over
  the rows the dead worker held.
- `x-delivery-limit`: a batch that keeps failing (not a receiver that fails: that is a receipt's
  retry) is dead-lettered through the `bluealert.dead` exchange to `bluealert.deliveries.dead`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustChannel, AbstractRobustConnection

from bluealert.dispatch.queues import Batch, Received
from bluealert.errors import StoreUnavailable
from bluealert.logs import get_logger

log = get_logger("bluealert.dispatch")

QUEUE = "bluealert.deliveries"
DEAD_EXCHANGE = "bluealert.dead"
DEAD_QUEUE = "bluealert.deliveries.dead"
DELIVERY_LIMIT = 10
PUBLISH_PATIENCE_SECONDS = 30.0


@dataclass(slots=True)
class _FromRabbit:
    batch: Batch
    redelivered: bool
    message: AbstractIncomingMessage

    async def ack(self) -> None:
        try:
            await self.message.ack()
        except Exception as error:  # the channel died with the broker: it will come again
            log.warning("ack_lost", extra={"action": "ack_lost", "error": str(error)})

    async def reject(self) -> None:
        try:
            await self.message.reject(requeue=True)
        except Exception as error:
            log.warning("reject_lost", extra={"action": "reject_lost", "error": str(error)})


def _encode(batch: Batch) -> bytes:
    return json.dumps({"channel": batch.channel, "ids": list(batch.ids)}).encode()


def _decode(body: bytes) -> Batch:
    data = json.loads(body)
    return Batch(str(data["channel"]), tuple(int(i) for i in data["ids"]))


class RabbitQueue:
    def __init__(self, url: str, *, prefetch: int = 4, queue: str = QUEUE) -> None:
        self.url = url
        self.prefetch = prefetch
        self.queue_name = queue
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None

    async def __aenter__(self) -> RabbitQueue:
        await self.connect()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def connect(self) -> None:
        try:
            self._connection = await aio_pika.connect_robust(self.url, timeout=10)
        except (OSError, aio_pika.exceptions.AMQPError) as error:
            raise StoreUnavailable(f"cannot reach RabbitMQ at {self.url}: {error}") from error
        channel = await self._connection.channel(publisher_confirms=True)
        assert isinstance(channel, AbstractRobustChannel)
        self._channel = channel
        await channel.set_qos(prefetch_count=self.prefetch)
        dead = await channel.declare_exchange(
            DEAD_EXCHANGE, aio_pika.ExchangeType.FANOUT, durable=True
        )
        dead_queue = await channel.declare_queue(
            DEAD_QUEUE, durable=True, arguments={"x-queue-type": "quorum"}
        )
        await dead_queue.bind(dead)
        await channel.declare_queue(
            self.queue_name,
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-dead-letter-exchange": DEAD_EXCHANGE,
                "x-delivery-limit": DELIVERY_LIMIT,
            },
        )

    async def put(self, batches: Sequence[Batch]) -> None:
        """Publish persistently and wait for the broker's confirms (retrying through a broker
        restart for a while: the robust connection reconnects by itself)."""
        assert self._channel is not None, "connect first"
        for batch in batches:
            await self._publish(batch)

    async def _publish(self, batch: Batch) -> None:
        assert self._channel is not None
        message = aio_pika.Message(
            _encode(batch),
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            content_type="application/json",
        )
        deadline = asyncio.get_running_loop().time() + PUBLISH_PATIENCE_SECONDS
        while True:
            try:
                await self._channel.default_exchange.publish(
                    message, routing_key=self.queue_name, timeout=10
                )
                return
            except Exception as error:  # broker restarting: wait for the robust reconnection
                if asyncio.get_running_loop().time() > deadline:
                    raise StoreUnavailable(f"RabbitMQ did not confirm a batch: {error}") from error
                await asyncio.sleep(0.5)

    async def receive(self) -> AsyncIterator[Received]:
        assert self._channel is not None, "connect first"
        queue = await self._channel.get_queue(self.queue_name, ensure=False)
        async with queue.iterator() as messages:
            async for message in messages:
                yield _FromRabbit(_decode(message.body), bool(message.redelivered), message)

    def pending(self) -> int:
        return 0

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
