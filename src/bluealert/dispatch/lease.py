"""Which process of a data directory runs its background work: the embedded dispatcher and the
timers (expiry, feed snapshots). One per data directory, or alerts would go out twice.

`bluealert serve --workers N` starts N processes on one store, and an operator may run
`bluealert dispatch --once` beside a server. The one holding an exclusive lock on `serve.lock`
in the data directory does the work; `dispatch --once` refuses while a server holds it. The lock
is tried without waiting, so when its holder ends (however it ends: the kernel lets go of the
lock with the process) the next server process to try takes over within a round.
"""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import BinaryIO

LEASE_FILE = "serve.lock"


class BackgroundLease:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LEASE_FILE
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
