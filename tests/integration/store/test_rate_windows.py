"""Rate windows counted in the data directory's SQLite file: a sliding window per client, and
never more than the limit let through by many threads and several processes at once."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bluealert.app.rate_limits import RateLimiter
from bluealert.errors import TooManyRequests
from bluealert.store.rate_windows import FILE_NAME, RateWindows
from tests.children import dying_with_the_tests

NOW = 1_795_000_000.0


@pytest.fixture
def windows(tmp_path: Path) -> Iterator[RateWindows]:
    found = RateWindows(tmp_path / FILE_NAME, window=60.0)
    yield found
    found.close()


def test_a_sliding_window_of_the_last_minute(windows: RateWindows) -> None:
    assert [windows.take("login", "192.0.2.1", 3, NOW + t) for t in (0, 10, 20)] == [None] * 3
    assert windows.take("login", "192.0.2.1", 3, NOW + 30) == pytest.approx(30.0)  # 0 + 60 - 30
    assert windows.take("login", "192.0.2.1", 3, NOW + 59.5) == pytest.approx(0.5)
    assert windows.take("login", "192.0.2.1", 3, NOW + 60) is None  # the first left: a slot
    assert windows.take("login", "192.0.2.1", 3, NOW + 61) == pytest.approx(9.0)  # 10 + 60 - 61
    # a refusal is not counted: the oldest counted still decides
    assert windows.take("login", "192.0.2.1", 3, NOW + 70) is None


def test_buckets_and_clients_are_counted_apart(windows: RateWindows) -> None:
    assert windows.take("login", "192.0.2.1", 1, NOW) is None
    assert windows.take("login", "192.0.2.1", 1, NOW) is not None
    assert windows.take("public_write", "192.0.2.1", 1, NOW) is None
    assert windows.take("login", "192.0.2.2", 1, NOW) is None


def test_idle_clients_are_forgotten(windows: RateWindows, tmp_path: Path) -> None:
    for n in range(5):
        windows.take("public_write", f"198.51.100.{n}", 6, NOW)
    windows.take("public_write", "192.0.2.9", 6, NOW + 61)  # past the next sweep
    windows.close()
    connection = sqlite3.connect(tmp_path / FILE_NAME)
    rows = connection.execute("SELECT client FROM requests").fetchall()
    connection.close()
    assert rows == [("192.0.2.9",)]


def test_the_file_is_the_owner_s_alone(windows: RateWindows, tmp_path: Path) -> None:
    windows.take("login", "192.0.2.1", 1, NOW)
    assert stat.S_IMODE((tmp_path / FILE_NAME).stat().st_mode) == 0o600


def test_many_threads_on_one_key_never_pass_the_limit(tmp_path: Path) -> None:
    passed: list[bool] = []
    start = threading.Barrier(16)

    def hammer() -> None:
        own = RateWindows(tmp_path / FILE_NAME)  # a connection each, as processes have
        start.wait()
        for _ in range(20):
            passed.append(own.take("public_write", "192.0.2.1", 25, NOW) is None)
        own.close()

    threads = [threading.Thread(target=hammer) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(passed) == 320
    assert passed.count(True) == 25


HAMMER = """
import json, sys, threading
from pathlib import Path
from bluealert.store.rate_windows import RateWindows
windows, passed = RateWindows(Path(sys.argv[1])), []
print("ready", flush=True)
sys.stdin.readline()  # every process starts at once
def hammer():
    for _ in range(40):
        passed.append(windows.take("public_write", "192.0.2.1", 50, float(sys.argv[2])) is None)
threads = [threading.Thread(target=hammer) for _ in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
print(json.dumps(passed.count(True)))
"""


def test_two_processes_on_one_key_never_pass_the_limit(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    processes = [
        subprocess.Popen(
            dying_with_the_tests(sys.executable, "-c", HAMMER, str(path), str(NOW)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    counts = [json.loads(process.communicate(timeout=120)[0]) for process in processes]
    assert sum(counts) == 50  # of 320 asked
    assert all(process.returncode == 0 for process in processes)


def test_the_limiter_says_when_to_try_again(tmp_path: Path) -> None:
    now = [NOW]
    limiter = RateLimiter.in_data_dir(tmp_path, clock=lambda: now[0])
    limiter.check("public_write", "192.0.2.1", 2)
    now[0] += 20.2
    limiter.check("public_write", "192.0.2.1", 2)
    with pytest.raises(TooManyRequests, match="at most 2 public write requests") as refused:
        limiter.check("public_write", "192.0.2.1", 2)
    assert refused.value.retry_after == 40  # 39.8 s, rounded up
    now[0] += 39.8
    limiter.check("public_write", "192.0.2.1", 2)
    limiter.close()
