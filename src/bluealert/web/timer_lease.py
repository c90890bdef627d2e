"""Which server process runs the timers (expiry, feed snapshots): one per data directory.

`bluealert serve --workers N` starts N processes on one store; each would otherwise expire
alerts and write the snapshots. The one holding an exclusive lock on `serve.lock` in the data
directory runs them. The lock is tried without waiting at every round, so when its holder
ends (however it ends: the kernel lets go of the lock with the process) the next process to
try takes over within a round.
"""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import BinaryIO


class TimerLease:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: BinaryIO | None = None

    def held(self) -> bool:
        """True when this process holds the lease (taking it now if nobody does)."""
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the file lets go of the lock
            self._handle = None
