"""The feed snapshots in memory, for the public lane (`web.public_lane`) to answer from.

The dispatcher (or the server's timer) writes each feed as a file, atomically, only when the
active public alerts change. `FeedSnapshots` keeps every file's bytes, ETag and response
headers in memory: it reloads at once when this process's writer wrote (its `generation`
moved on), and otherwise looks at the files at most once a second, for a writer in another
process (`bluealert worker`, `dispatch --once`). The feeds promise `max-age=10`, so that second
is within what a client may already see.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bluealert.app.feeds import FEEDS, FeedWriter
from bluealert.web.prepared import Prepared

RECHECK_SECONDS = 1.0
CACHE_CONTROL = b"public, max-age=10"


@dataclass(frozen=True)
class Snapshot:
    """One feed file as answered: its bytes, its ETag and its response, prepared."""

    identity: tuple[int, int, int]  # inode, mtime_ns, size: a new file is a new identity
    etag: bytes
    body: bytes
    media_type: str
    prepared: Prepared

    @classmethod
    def of(cls, identity: tuple[int, int, int], body: bytes, media_type: str) -> Snapshot:
        _, mtime_ns, size = identity
        etag = f'"{mtime_ns:x}-{size:x}"'.encode()
        prepared = Prepared.of(body, media_type.encode(), etag, CACHE_CONTROL)
        return cls(identity, etag, body, media_type, prepared)


def _read(path: Path, known: Snapshot | None, media_type: str) -> Snapshot | None:
    """The file as a snapshot (the one known when unchanged); None when there is none yet.

    Opened once and stat'ed through the open file, so that the bytes and the identity are of
    the same file even when a writer replaces it meanwhile."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        stat = os.fstat(descriptor)
        identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if known is not None and known.identity == identity:
            return known
        return Snapshot.of(identity, handle.read(), media_type)


class FeedSnapshots:
    def __init__(
        self,
        directory: Path,
        writer: FeedWriter,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.directory = directory
        self.writer = writer
        self.clock = clock
        self.loaded: dict[str, Snapshot] = {}
        self.generation = -1
        self.next_check = 0.0
        self.lock = threading.Lock()  # the route's thread and the event loop both reload

    def current(self, name: str) -> Snapshot | None:
        """The feed as last written; None before its first snapshot."""
        if self.writer.generation != self.generation or self.clock() >= self.next_check:
            self.reload()
        return self.loaded.get(name)

    def reload(self) -> None:
        with self.lock:
            self.generation = self.writer.generation  # read before the files: never skip one
            self.next_check = self.clock() + RECHECK_SECONDS
            for name, (_, media_type) in FEEDS.items():
                found = _read(self.directory / name, self.loaded.get(name), media_type)
                if found is None:
                    self.loaded.pop(name, None)
                else:
                    self.loaded[name] = found
