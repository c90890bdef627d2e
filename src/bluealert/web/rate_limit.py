"""Rate limits per client address on sign-in and public writes (in memory, per process).

A sliding window: at most `limit` requests in any `window` seconds; the next one is told
when it may try again (`Retry-After`).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from math import ceil

from bluealert.errors import TooManyRequests


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic, window: float = 60.0) -> None:
        self.clock = clock
        self.window = window
        self.seen: dict[tuple[str, str], deque[float]] = {}
        self.lock = threading.Lock()

    def check(self, bucket: str, client: str, limit: int) -> None:
        """Count one request, or raise TooManyRequests with the seconds until the next slot."""
        now = self.clock()
        with self.lock:
            times = self.seen.setdefault((bucket, client), deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= limit:
                wait = max(1, ceil(times[0] + self.window - now))
                raise TooManyRequests(
                    f"at most {limit} {bucket.replace('_', ' ')} requests a minute from one "
                    f"address; try again in {wait} s",
                    retry_after=wait,
                )
            times.append(now)
            if len(self.seen) > 100_000:  # forget idle clients rather than grow without end
                self._forget_idle(now)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, t in self.seen.items() if not t or t[-1] <= now - self.window]:
            del self.seen[key]
