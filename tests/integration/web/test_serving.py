"""How the server runs: writes batched per turn of the event loop, one process of a data
directory running the timers, `serve --workers N`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bluealert.dispatch.lease import BackgroundLease
from bluealert.web.lane_protocol import _BatchedWrites
from tests.children import dying_with_the_tests
from tests.integration.web.server_process import BLUEALERT, free_port


class RecordingTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        assert not self.closed, "written after close"
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str) -> str:
        return f"extra {name}"


def test_writes_of_one_turn_leave_in_one_write() -> None:
    async def run() -> RecordingTransport:
        real = RecordingTransport()
        batched = _BatchedWrites(real, asyncio.get_running_loop())  # type: ignore[arg-type]
        batched.write(b"HTTP/1.1 200 OK\r\n\r\n")
        batched.write(memoryview(b"body"))
        assert real.writes == []
        await asyncio.sleep(0)
        batched.write(b"next")
        await asyncio.sleep(0)
        assert batched.get_extra_info("peername") == "extra peername"
        return real

    assert asyncio.run(run()).writes == [b"HTTP/1.1 200 OK\r\n\r\nbody", b"next"]


def test_close_sends_what_is_pending_first_and_nothing_after() -> None:
    async def run() -> RecordingTransport:
        real = RecordingTransport()
        batched = _BatchedWrites(real, asyncio.get_running_loop())  # type: ignore[arg-type]
        batched.write(b"last words")
        batched.close()
        batched.write(b"too late")
        await asyncio.sleep(0)
        return real

    real = asyncio.run(run())
    assert real.writes == [b"last words"]
    assert real.closed


def test_one_process_holds_the_background_lease_until_it_lets_go(tmp_path: Path) -> None:
    first, second = BackgroundLease(tmp_path), BackgroundLease(tmp_path)
    assert first.held()
    assert first.held()  # kept
    assert not second.held()
    first.release()
    assert second.held()
    assert not first.held()
    second.release()


def test_the_lease_passes_on_when_its_holder_dies(tmp_path: Path) -> None:
    data = tmp_path
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pathlib; from bluealert.dispatch.lease import BackgroundLease; "
            "lease = BackgroundLease(pathlib.Path(sys.argv[1])); assert lease.held(); "
            "print('held', flush=True); sys.stdin.read()",
            str(data),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline() == b"held\n"
        lease = BackgroundLease(data)
        assert not lease.held()
        holder.kill()  # however it ends, the kernel lets go of its lock
    assert lease.held()
    lease.release()


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.read()


def _subscribe(url: str) -> tuple[int, str | None]:
    """A public write, on a connection of its own: the status and Retry-After."""
    body = {
        "channel": "email",
        "address": "a@example.org",
        "place_kind": "county",
        "place": "48113",
    }
    asked = urllib.request.Request(
        f"{url}/api/v1/subscriptions",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(asked, timeout=30) as answer:
            return answer.status, None
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers.get("retry-after")


def test_serve_with_two_workers_answers_and_stops_with_them(tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            dying_with_the_tests(BLUEALERT, "serve", "--port", str(port), "--workers", "2"),
            env={
                **os.environ,
                "BLUEALERT_DATA_DIR": str(tmp_path / "data"),
                "BLUEALERT_PUBLIC_WRITE_RATE_PER_MINUTE": "3",
            },
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                try:
                    if _get(f"{url}/readyz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.3)
            assert json.loads(_get(f"{url}/api/v1/alerts")[1])["alerts"] == []
            assert b"<feed" in _get(f"{url}/feeds/alerts.atom")[1]
            # the limit is the data directory's, whichever process each connection reaches
            answers = [_subscribe(url) for _ in range(10)]
            assert [status for status, _ in answers].count(202) == 3, answers
            assert {status for status, _ in answers[3:]} == {429}
            assert all(1 <= int(wait or 0) <= 60 for _, wait in answers[3:])
        finally:
            process.terminate()
            code = process.wait(60)
    assert code == 0
    lines = [json.loads(line) for line in log.read_text().splitlines() if line[:1] == "{"]
    stops = [line for line in lines if line["action"] == "server_stopped"]
    assert len(stops) == 2  # each worker stopped cleanly
    assert "2 processes" in log.read_text()
