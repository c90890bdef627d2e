"""A token bucket per channel: the rate a channel declares, enforced by the engine."""

from __future__ import annotations

import asyncio
import time


class TokenBucket:
    def __init__(self, rate_per_second: float, burst: float) -> None:
        self.rate = rate_per_second
        self.capacity = max(burst, 1.0)
        self.tokens = self.capacity
        self.updated = time.monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    async def acquire(self, count: int) -> None:
        """Wait until `count` tokens are there (a request larger than the bucket waits for
        the bucket to fill, then runs it into debt, so the average rate still holds)."""
        async with self._lock:
            self._refill()
            wanted = min(float(count), self.capacity)
            if self.tokens < wanted:
                await asyncio.sleep((wanted - self.tokens) / self.rate)
                self._refill()
            self.tokens -= count
