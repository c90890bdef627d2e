"""A real `bluealert serve` in a subprocess on a free port, for the tests that need one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tests.children import dying_with_the_tests

BLUEALERT = str(Path(sys.executable).parent / "bluealert")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path
    handle: BinaryIO

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, then wait for it to finish; the exit code.

        After its graceful shutdown uvicorn raises the signal it caught again, so a server
        stopped by SIGTERM ends as killed by SIGTERM (-15), which init systems count as clean.
        """
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        finally:
            self.handle.close()


def start_server(env: dict[str, str], log: Path, timeout: float = 60) -> Server:
    port = free_port()
    handle = log.open("wb")
    process = subprocess.Popen(
        dying_with_the_tests(BLUEALERT, "serve", "--port", str(port)),
        env={**os.environ, **env},
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    server = Server(process, f"http://127.0.0.1:{port}", log, handle)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"bluealert serve exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{server.url}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    server.stop()
    raise AssertionError(f"bluealert serve was not ready in {timeout} s:\n{log.read_text()}")
