"""What carries batches from the dispatcher to the workers. The rows are the truth; a batch is
only the ids of deliveries of one channel, so losing or repeating one loses or doubles nothing.

`InProcessQueue` is the embedded mode's; `bluealert.dispatch.rabbit.RabbitQueue` the scale-out's.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Batch:
    channel: str
    ids: tuple[int, ...]


class Received(Protocol):
    batch: Batch
    redelivered: bool  # the broker gave it to someone before who never acknowledged it

    async def ack(self) -> None: ...

    async def reject(self) -> None:
        """Give it back to be handed out again (it failed before its receipts were settled)."""
        ...


class BatchQueue(Protocol):
    async def put(self, batches: Sequence[Batch]) -> None: ...

    def receive(self) -> AsyncIterator[Received]: ...

    def pending(self) -> int:
        """Batches waiting here, as far as this process knows (0 when it cannot tell)."""
        ...

    async def close(self) -> None: ...


@dataclass(slots=True)
class _Local:
    batch: Batch
    redelivered: bool = False

    async def ack(self) -> None:
        return None

    async def reject(self) -> None:
        return None  # its rows stay queued; the sweeper puts them back after the lease


class InProcessQueue:
    """An asyncio queue inside the process: what the embedded mode runs on."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[Batch] = asyncio.Queue()

    async def put(self, batches: Sequence[Batch]) -> None:
        for batch in batches:
            self._queue.put_nowait(batch)

    async def receive(self) -> AsyncIterator[Received]:
        while True:
            batch = await self._queue.get()
            yield _Local(batch)

    def pending(self) -> int:
        return self._queue.qsize()

    async def close(self) -> None:
        return None
