"""The dispatcher's doorbell: how a commit in one process wakes the server's dispatcher in
another at once (a CLI `alert approve` beside `bluealert serve`, or one of `serve --workers N`'s
processes beside the one that dispatches), on SQLite where there is no LISTEN/NOTIFY.

A datagram to a Unix socket in Linux's abstract namespace named after the data directory: no
file to go stale, and ringing when nobody listens costs one failed system call. Elsewhere the
dispatcher's poll covers it.
"""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path


def doorbell_address(data_dir: Path) -> bytes:
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:32]
    return b"\0bluealert-dispatch-" + digest.encode()


def ring(address: bytes) -> None:
    """Wake the dispatcher listening at `address` (`doorbell_address`), if any; never raises."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as bell:
            bell.setblocking(False)
            bell.sendto(b"!", address)
    except OSError:  # nobody listens, its queue is full (it is awake anyway), or not Linux
        pass


def listen(data_dir: Path) -> socket.socket | None:
    """A non-blocking socket that receives the rings, or None where that cannot be."""
    bell = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        bell.bind(doorbell_address(data_dir))
    except OSError:
        bell.close()
        return None
    bell.setblocking(False)
    return bell
