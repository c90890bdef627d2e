"""The scale-out queue: RabbitMQ through aio-pika.

- `<queue>` (default `bluealert.deliveries`): a durable quorum queue of batches (the ids of
  deliveries of one channel), published persistent with publisher confirms: `put` returns only
  once the broker has them.
- A batch is acknowledged only after its receipts are committed. A worker that dies first leaves
  it unacknowledged; the broker hands it to another worker, marked redelivered, who takes over
  the rows the dead worker held.
- `x-delivery-limit`: a batch that keeps failing (not a receiver that fails: that is a receipt's
  retry) is dead-lettered through the `<queue>.dlx` exchange to the `<queue>.dead` queue.

The connection is re-opened here rather than by aio-pika's robust connection: after a broker
restart every consumer takes a fresh channel, and a batch whose acknowledgement was lost with
the old one simply comes again (and finds its receipts settled).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractIncomingMessage

from bluealert.dispatch.queues import Batch, Received
from bluealert.errors import StoreUnavailable
from bluealert.logs import get_logger

log = get_logger("bluealert.dispatch")

DELIVERY_LIMIT = 10
PATIENCE_SECONDS = 60.0  # how long put() and the consumers wait for the broker to come back


@dataclass(slots=True)
class _FromRabbit:
    batch: Batch
    redelivered: bool
    message: AbstractIncomingMessage

    async def ack(self) -> None:
        try:
            await self.message.ack()
        except Exception as error:  # the channel went with the broker: the batch comes again
            log.warning("ack_lost", extra={"action": "ack_lost", "error": repr(error)})

    async def reject(self) -> None:
        try:
            await self.message.reject(requeue=True)
        except Exception as error:
            log.warning("reject_lost", extra={"action": "reject_lost", "error": repr(error)})


def _alive(connection: AbstractConnection | None) -> bool:
    """aio-pika's `is_closed` can lag behind a broker that went away; the transport cannot."""
    if connection is None or connection.is_closed:
        return False
    return getattr(connection, "transport", None) is not None


def _encode(batch: Batch) -> bytes:
    return json.dumps({"channel": batch.channel, "ids": list(batch.ids)}).encode()


def _decode(body: bytes) -> Batch:
    data = json.loads(body)
    return Batch(str(data["channel"]), tuple(int(i) for i in data["ids"]))


class RabbitQueue:
    def __init__(self, url: str, *, prefetch: int = 4, queue: str = "bluealert.deliveries") -> None:
        self.url = url
        self.prefetch = prefetch
        self.queue_name = queue
        self.dead_exchange = f"{queue}.dlx"
        self.dead_queue = f"{queue}.dead"
        self._connection: AbstractConnection | None = None
        self._publisher: AbstractChannel | None = None
        self._lock = asyncio.Lock()
        self._closing = False

    async def connect(self) -> None:
        """Open the connection and declare the queues; a clear error if RabbitMQ is not there."""
        try:
            await self._channel()
        except (OSError, aio_pika.exceptions.AMQPError) as error:
            raise StoreUnavailable(f"cannot reach RabbitMQ at {self.url}: {error!r}") from error

    async def _open(self) -> AbstractConnection:
        connection = await aio_pika.connect(self.url, timeout=10)
        channel = await connection.channel()
        dead = await channel.declare_exchange(
            self.dead_exchange, aio_pika.ExchangeType.FANOUT, durable=True
        )
        dead_queue = await channel.declare_queue(
            self.dead_queue, durable=True, arguments={"x-queue-type": "quorum"}
        )
        await dead_queue.bind(dead)
        await channel.declare_queue(
            self.queue_name,
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-dead-letter-exchange": self.dead_exchange,
                "x-delivery-limit": DELIVERY_LIMIT,
            },
        )
        await channel.close()
        self._connection = connection
        self._publisher = await connection.channel(publisher_confirms=True)
        return connection

    async def _live(self) -> AbstractConnection:
        """The open connection, re-opened (and the queues declared again) when it died."""
        async with self._lock:
            if not _alive(self._connection):
                return await self._open()
            assert self._connection is not None
            return self._connection

    async def _channel(self) -> AbstractChannel:
        await self._live()
        assert self._publisher is not None
        return self._publisher

    async def _broken(self, connection: AbstractConnection | None) -> None:
        """Forget a connection that failed (aio-pika may not have noticed it is closed)."""
        async with self._lock:
            if connection is not None and connection is self._connection:
                self._connection = None
                with contextlib.suppress(Exception):
                    await connection.close()

    async def _patiently(self, what: str, attempt: Callable[[], Awaitable[None]]) -> None:
        deadline = asyncio.get_running_loop().time() + PATIENCE_SECONDS
        while True:
            connection = self._connection
            try:
                await attempt()
                return
            except Exception as error:  # the broker restarting: open again and retry
                if self._closing or asyncio.get_running_loop().time() > deadline:
                    raise StoreUnavailable(f"RabbitMQ: {what}: {error!r}") from error
                log.warning("broker_retry", extra={"action": "broker_retry", "what": what})
                await self._broken(connection)
                await asyncio.sleep(0.5)

    async def put(self, batches: Sequence[Batch]) -> None:
        """Publish persistently; returns once the broker confirmed every batch."""
        for batch in batches:
            message = aio_pika.Message(
                _encode(batch),
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                content_type="application/json",
            )

            async def publish(message: aio_pika.Message = message) -> None:
                channel = await self._channel()
                await channel.default_exchange.publish(
                    message, routing_key=self.queue_name, timeout=10
                )

            await self._patiently("publish a batch", publish)

    async def receive(self) -> AsyncIterator[Received]:
        """Batches for one consumer, on its own channel, taken up again after a broker restart."""
        while not self._closing:
            connection: AbstractConnection | None = None
            try:
                connection = await self._live()
                channel = await connection.channel()
                await channel.set_qos(prefetch_count=self.prefetch)
                queue = await channel.get_queue(self.queue_name, ensure=False)
                async with queue.iterator() as messages:
                    while _alive(connection) and not channel.is_closed:
                        try:
                            message = await asyncio.wait_for(messages.__anext__(), timeout=2.0)
                        except TimeoutError:
                            continue
                        yield _FromRabbit(_decode(message.body), bool(message.redelivered), message)
            except StopAsyncIteration:
                pass  # the channel closed under the iterator: take a new one
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning(
                    "consumer_reconnect",
                    extra={"action": "consumer_reconnect", "error": repr(error)},
                )
            await asyncio.sleep(1.0)

    def pending(self) -> int:
        return 0

    async def close(self) -> None:
        self._closing = True
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
