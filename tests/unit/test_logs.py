"""The log handler holds the access log's lines and writes them together, never out of order
with the other records, never later than its interval, and all of them at the end."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bluealert.logs import (
    ACCESS_LOGGER,
    HeldLinesHandler,
    JsonFormatter,
    configure_logging,
    log_info,
)


class CountingStream(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)

    def actions(self) -> list[str]:
        return [json.loads(line)["action"] for line in self.getvalue().splitlines()]


@pytest.fixture
def stream() -> CountingStream:
    return CountingStream()


def _handler(stream: CountingStream, **limits: float) -> HeldLinesHandler:
    handler = HeldLinesHandler(stream, held=frozenset({ACCESS_LOGGER}), **limits)  # type: ignore[arg-type]
    handler.setFormatter(JsonFormatter())
    return handler


def _record(logger: str, action: str) -> logging.LogRecord:
    return logging.LogRecord(logger, logging.INFO, "", 0, action, (), None)


@pytest.fixture
def held(stream: CountingStream) -> Iterator[HeldLinesHandler]:
    handler = _handler(stream, seconds=3600)
    yield handler
    handler.close()


def test_access_lines_are_held_then_written_in_one_write(
    held: HeldLinesHandler, stream: CountingStream
) -> None:
    for n in range(3):
        held.handle(_record(ACCESS_LOGGER, f"request_{n}"))
    assert stream.getvalue() == ""
    held.flush()
    assert stream.actions() == ["request_0", "request_1", "request_2"]
    assert stream.writes == 1


def test_another_record_writes_the_held_lines_before_itself(
    held: HeldLinesHandler, stream: CountingStream
) -> None:
    held.handle(_record(ACCESS_LOGGER, "request"))
    held.handle(_record("bluealert.web", "server_stopped"))
    assert stream.actions() == ["request", "server_stopped"]
    held.handle(_record("bluealert.web.accessory", "not_held"))  # only the names given
    assert stream.actions()[-1] == "not_held"


def test_enough_held_lines_are_written_at_once(stream: CountingStream) -> None:
    handler = _handler(stream, seconds=3600, most_chars=1000)
    while stream.getvalue() == "":
        handler.handle(_record(ACCESS_LOGGER, "request"))
    assert 1000 <= len(stream.getvalue()) < 1200
    handler.close()


def test_held_lines_are_written_within_the_interval(stream: CountingStream) -> None:
    handler = _handler(stream, seconds=0.05)
    handler.handle(_record(ACCESS_LOGGER, "request"))
    deadline = time.monotonic() + 10
    while stream.getvalue() == "" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stream.actions() == ["request"]
    handler.close()


def test_closing_writes_what_is_held(stream: CountingStream) -> None:
    handler = _handler(stream, seconds=3600)
    handler.handle(_record(ACCESS_LOGGER, "last_request"))
    handler.close()
    assert stream.actions() == ["last_request"]
    assert handler.writer is not None
    handler.writer.join(timeout=5)
    assert not handler.writer.is_alive()


@pytest.mark.parametrize(
    "created",
    [
        1795000000.0,
        1795000000.918,
        1795000000.0004999,
        1795000000.0015,
        1795000000.9995,
        1795000000.9999996,
        1795035747.918,
        1795000059.999,
    ],
)
def test_the_time_is_what_isoformat_writes(created: float) -> None:
    record = logging.LogRecord("bluealert.web", logging.INFO, "", 0, "x", (), None)
    record.created = created
    line = json.loads(JsonFormatter().format(record))
    assert line["time"] == datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")


def test_a_formatter_s_second_moves_on() -> None:
    formatter = JsonFormatter()
    times = []
    for created in (1795000000.5, 1795000001.25, 1795000000.75):
        record = logging.LogRecord("bluealert.web", logging.INFO, "", 0, "x", (), None)
        record.created = created
        times.append(json.loads(formatter.format(record))["time"])
    assert times == [
        "2026-11-18T11:06:40.500+00:00",
        "2026-11-18T11:06:41.250+00:00",
        "2026-11-18T11:06:40.750+00:00",
    ]


@pytest.fixture
def configured(
    stream: CountingStream, monkeypatch: pytest.MonkeyPatch
) -> Iterator[HeldLinesHandler]:
    """`configure_logging` at INFO, writing to `stream`; the loggers as they were afterwards."""
    root = logging.getLogger("bluealert")
    before = (root.handlers[:], root.level, root.propagate)
    monkeypatch.setattr("sys.stderr", stream)
    configure_logging("INFO")
    [handler] = root.handlers
    assert isinstance(handler, HeldLinesHandler)
    handler.seconds = 3600
    yield handler
    handler.close()
    root.handlers[:], root.level, root.propagate = before


def _alone(handler: HeldLinesHandler) -> None:
    """Only `handler` on the bluealert logger (pytest adds its own to non-propagating loggers)."""
    logging.getLogger("bluealert").handlers[:] = [handler]


FIELDS = {"request_id": "r-1", "status": 200, "duration_ms": 0.02, "principal": None}


def _no_record(record: logging.LogRecord) -> None:
    raise AssertionError("a record was made")


def test_log_info_holds_the_line_the_record_would_have_made(
    configured: HeldLinesHandler, stream: CountingStream, monkeypatch: pytest.MonkeyPatch
) -> None:
    _alone(configured)
    access = logging.getLogger(ACCESS_LOGGER)
    before = time.time()
    with monkeypatch.context() as patch:
        patch.setattr(configured, "emit", _no_record)
        log_info(access, "http_request", FIELDS)  # held directly, with no record
    access.info("http_request", extra={"action": "http_request", **FIELDS})  # through a record
    assert configured.writer is not None  # both held
    assert stream.getvalue() == ""
    configured.flush()
    direct, recorded = stream.getvalue().splitlines()
    assert list(json.loads(direct)) == list(json.loads(recorded))  # the same fields, in order
    assert direct.split('"level"')[1] == recorded.split('"level"')[1]
    when = datetime.fromisoformat(json.loads(direct)["time"]).timestamp()
    assert before - 0.001 <= when <= time.time()


def test_log_info_makes_a_record_when_anything_else_would_see_it(
    configured: HeldLinesHandler, stream: CountingStream, caplog: pytest.LogCaptureFixture
) -> None:
    access = logging.getLogger(ACCESS_LOGGER)
    _alone(configured)
    access.addHandler(caplog.handler)  # a second handler: it must get the record too
    try:
        log_info(access, "http_request", FIELDS)
    finally:
        access.removeHandler(caplog.handler)
    [record] = caplog.records
    assert (record.action, record.request_id) == ("http_request", "r-1")  # type: ignore[attr-defined]
    configured.flush()
    assert stream.actions() == ["http_request"]


def test_a_filter_is_not_skipped(configured: HeldLinesHandler, stream: CountingStream) -> None:
    _alone(configured)
    access = logging.getLogger(ACCESS_LOGGER)
    access.addFilter(lambda record: False)
    try:
        log_info(access, "http_request", FIELDS)
    finally:
        access.filters.clear()
    configured.flush()
    assert stream.getvalue() == ""


def test_log_info_below_the_level_writes_nothing(
    configured: HeldLinesHandler, stream: CountingStream
) -> None:
    _alone(configured)
    logging.getLogger("bluealert").setLevel(logging.WARNING)
    log_info(logging.getLogger(ACCESS_LOGGER), "http_request", FIELDS)
    configured.flush()
    assert stream.getvalue() == ""
    assert configured.writer is None
