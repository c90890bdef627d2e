"""A loopback webhook receiver in its own process, for demos, tests and benchmarks.

A minimal HTTP/1.1 keep-alive server (asyncio protocol, no framework) that answers 200 to
every request and records each one's path and `webhook-id` in a file, so that a fan-out of
100 000 can be counted and checked without the receiver competing with the sender for a core.

    with LoopbackReceiver(tmp_path / "hits.txt") as receiver:
        ...  # send to receiver.url("hook/1")
        receiver.count          # requests so far
        receiver.hits()         # [(path, webhook-id), …]
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import socket
import time
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO


class _Http(asyncio.Protocol):
    def __init__(self, counter: Any, out: TextIO) -> None:
        self.counter, self.out = counter, out
        self.buffer = b""
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = self.buffer[:end].decode("latin-1")
            fields = dict(line.split(":", 1) for line in head.split("\r\n")[1:] if ":" in line)
            headers = {k.strip().lower(): v.strip() for k, v in fields.items()}
            length = int(headers.get("content-length", "0"))
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            path = head.split(" ", 2)[1]
            self.out.write(f"{path} {headers.get('webhook-id', '-')}\n")
            with self.counter.get_lock():
                self.counter.value += 1
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")


def _serve(port: int, counter: Any, record: str) -> None:
    async def main() -> None:
        with open(record, "a", buffering=1 << 16) as out:
            loop = asyncio.get_running_loop()
            server = await loop.create_server(
                lambda: _Http(counter, out), "127.0.0.1", port, backlog=4096
            )
            async with server:
                while True:  # flush now and then, so a reader sees the hits so far
                    await asyncio.sleep(0.2)
                    out.flush()

    asyncio.run(main())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LoopbackReceiver:
    def __init__(self, record: Path, port: int = 0) -> None:
        self.record = record
        self.port = port or free_port()
        self._counter: Any = mp.Value("l", 0)
        self._process: Any = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    @property
    def count(self) -> int:
        return int(self._counter.value)

    def hits(self) -> list[tuple[str, str]]:
        time.sleep(0.3)  # the receiver flushes every 0.2 s
        lines = self.record.read_text().splitlines() if self.record.exists() else []
        return [(p, k) for p, k in (line.split(" ", 1) for line in lines)]

    def __enter__(self) -> LoopbackReceiver:
        self._process = mp.get_context("fork").Process(
            target=_serve, args=(self.port, self._counter, str(self.record)), daemon=True
        )
        self._process.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"the loopback receiver did not start on port {self.port}")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        time.sleep(0.3)
        self._process.terminate()
        self._process.join(5)
