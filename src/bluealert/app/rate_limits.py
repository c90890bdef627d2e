"""Rate limits per client address on sign-in and public writes, shared by every process of
the data directory (`store.rate_windows`).

A sliding window: at most `limit` requests in any minute; the next one is told when it may
try again (`Retry-After`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from math import ceil
from pathlib import Path

from bluealert.errors import TooManyRequests
from bluealert.store.rate_windows import FILE_NAME, RateWindows

WINDOW_SECONDS = 60.0


class RateLimiter:
    def __init__(self, windows: RateWindows, clock: Callable[[], float] = time.time) -> None:
        self.windows = windows
        self.clock = clock  # epoch seconds: every process of the data directory reads the same

    @classmethod
    def in_data_dir(cls, data_dir: Path, clock: Callable[[], float] = time.time) -> RateLimiter:
        return cls(RateWindows(data_dir / FILE_NAME, WINDOW_SECONDS), clock)

    def check(self, bucket: str, client: str, limit: int) -> None:
        """Count one request, or raise TooManyRequests with the seconds until the next slot.
        Reads and writes a file: call it off the event loop."""
        wait = self.windows.take(bucket, client, limit, self.clock())
        if wait is not None:
            seconds = max(1, ceil(wait))
            raise TooManyRequests(
                f"at most {limit} {bucket.replace('_', ' ')} requests a minute from one "
                f"address; try again in {seconds} s",
                retry_after=seconds,
            )

    def close(self) -> None:
        self.windows.close()
