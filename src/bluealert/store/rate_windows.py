"""Requests counted per client in a sliding window, shared by every process of a data directory.

`bluealert serve --workers N` runs N processes; a limit each kept in its own memory let a client
whose connections landed on different processes make N times as many requests. The counts live
instead in a small SQLite file of the data directory (`rate-limits.sqlite3`), apart from the
store so that counting never waits on the store's writers (and needs no service besides).

Each request is a row (bucket, client, time). One transaction, `BEGIN IMMEDIATE` — which takes
the file's write lock before reading, so no two processes or threads count at once — drops the
client's rows that left the window, counts the rest and adds the request's row only when fewer
than the limit are counted: the same sliding window, however many processes ask.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

FILE_NAME = "rate-limits.sqlite3"
BUSY_SECONDS = 10.0  # another process holding the lock: a transaction takes microseconds
SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (bucket TEXT NOT NULL, client TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS requests_by_client ON requests (bucket, client, at);
CREATE INDEX IF NOT EXISTS requests_by_time ON requests (at);
"""


class RateWindows:
    def __init__(self, path: Path, window: float = 60.0) -> None:
        self.path = path
        self.window = window
        self.lock = threading.Lock()  # one connection per process, one transaction at a time
        self.connection: sqlite3.Connection | None = None
        self.next_sweep = 0.0

    def take(self, bucket: str, client: str, limit: int, now: float) -> float | None:
        """Count a request at `now` (epoch seconds) and return None; or, when `limit` are
        counted within the window already, count nothing and return the seconds until the
        oldest of them leaves it."""
        with self.lock:
            connection = self._connected()
            connection.execute("BEGIN IMMEDIATE")
            try:
                wait = self._take(connection, (bucket, client), limit, now)
                if now >= self.next_sweep:  # clients gone idle: their rows go too
                    connection.execute("DELETE FROM requests WHERE at <= ?", (now - self.window,))
                    self.next_sweep = now + self.window
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            return wait

    def _take(
        self, connection: sqlite3.Connection, key: tuple[str, str], limit: int, now: float
    ) -> float | None:
        where = "bucket = ? AND client = ?"
        connection.execute(
            f"DELETE FROM requests WHERE {where} AND at <= ?", (*key, now - self.window)
        )
        count, oldest = connection.execute(
            f"SELECT count(*), min(at) FROM requests WHERE {where}", key
        ).fetchone()
        if count >= limit:
            return float(oldest) + self.window - now
        connection.execute(
            "INSERT INTO requests (bucket, client, at) VALUES (?, ?, ?)", (*key, now)
        )
        return None

    def _connected(self) -> sqlite3.Connection:
        if self.connection is None:
            self.path.touch(mode=0o600, exist_ok=True)  # client addresses: the data dir's owner's
            connection = sqlite3.connect(
                self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode=WAL")
            # The last minute's counts only: after a crash, starting afresh is no harm.
            connection.execute("PRAGMA synchronous=OFF")
            connection.executescript(SCHEMA)
            self.connection = connection
        return self.connection

    def close(self) -> None:
        with self.lock:
            if self.connection is not None:
                self.connection.close()
                self.connection = None
