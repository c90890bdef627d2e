"""Structured logs: one JSON object per line, each with an `action` and the ids it concerns."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from datetime import UTC, datetime
from typing import Any, TextIO

ACCESS_LOGGER = "bluealert.web.access"  # a line per request: written in batches
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__()
        self.encoder = json.JSONEncoder(default=str)  # made once: json.dumps makes one a call
        self.second = (-1, "")  # the last whole second, in ISO 8601: a server logs many a second

    def format(self, record: logging.LogRecord) -> str:
        fields = {k: v for k, v in vars(record).items() if k not in _STANDARD}
        action = fields.pop("action", record.getMessage())
        return self.line(record.created, record.levelname, record.name, action, fields)

    def line(
        self, created: float, level: str, logger: str, action: str, fields: dict[str, Any]
    ) -> str:
        """The JSON line of a record made at `created` (epoch seconds) with these fields."""
        return self.encoder.encode(
            {
                "time": self._time(created),
                "level": level.lower(),
                "logger": logger,
                "action": action,
                **fields,
            }
        )

    def _time(self, created: float) -> str:
        """UTC to the millisecond, as `datetime.isoformat(timespec="milliseconds")` writes it."""
        whole = int(created)
        micro = round((created - whole) * 1_000_000)  # rounded to the microsecond, then cut
        if micro == 1_000_000:
            whole, micro = whole + 1, 0
        if self.second[0] != whole:
            self.second = (whole, datetime.fromtimestamp(whole, UTC).isoformat())
        text = self.second[1]  # 2026-11-30T09:27:08+00:00
        return f"{text[:19]}.{micro // 1000:03d}{text[19:]}"


class HeldLinesHandler(logging.StreamHandler[TextIO]):
    """JSON lines on a stream; the lines of the loggers named in `held` (the access log) are
    held and written together, at most `seconds` late or once `most_chars` have gathered.

    A busy server writes an access line per request: held, a thousand lines cost one write
    instead of a thousand. Any other record first writes the held lines, then itself, at once,
    so the stream keeps the order of events. `flush()` (called by `logging.shutdown` at exit)
    writes what is held."""

    def __init__(
        self,
        stream: TextIO,
        held: frozenset[str],
        seconds: float = 0.5,
        most_chars: int = 64 * 1024,
    ) -> None:
        super().__init__(stream)
        self.setFormatter(JsonFormatter())
        self.json = JsonFormatter()  # for `hold`, which has no record to format
        self.held, self.seconds, self.most_chars = held, seconds, most_chars
        self.lines: list[str] = []
        self.chars = 0
        self.writer: threading.Thread | None = None
        self.closed = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + self.terminator
        except Exception:
            self.handleError(record)
            return
        self.lines.append(line)
        if record.name in self.held:
            self._held(len(line))
        else:
            self.flush()

    def hold(self, logger: str, action: str, fields: dict[str, Any]) -> None:
        """What `emit` does with an INFO record of `logger` with these fields, without making
        the record (`log_info` calls it when nothing else would see the record)."""
        line = self.json.line(time.time(), "INFO", logger, action, fields) + self.terminator
        self.acquire()
        try:
            self.lines.append(line)
            self._held(len(line))
        finally:
            self.release()

    def _held(self, chars: int) -> None:
        self.chars += chars
        if self.writer is None:
            self.writer = threading.Thread(target=self._write_held, daemon=True, name="log-lines")
            self.writer.start()
        if self.chars >= self.most_chars:
            self.flush()

    def flush(self) -> None:
        self.acquire()
        try:
            text = "".join(self.lines)
            self.lines.clear()
            self.chars = 0
            if text:
                self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed stream at exit: nothing more to write
            pass
        finally:
            self.release()

    def close(self) -> None:
        self.closed.set()
        self.flush()
        super().close()

    def _write_held(self) -> None:
        while not self.closed.wait(self.seconds):
            self.flush()


def _only_held_handler(logger: logging.Logger) -> HeldLinesHandler | None:
    """The handler an INFO record of `logger` would reach, when it is the only one, holds the
    logger's lines with its own JSON formatter, and no filter stands in the way."""
    reached: list[logging.Handler] = []
    current: logging.Logger | None = logger
    while current is not None:
        if current.filters:
            return None
        reached += current.handlers
        current = current.parent if current.propagate else None
    if len(reached) != 1:
        return None
    (handler,) = reached
    if (
        isinstance(handler, HeldLinesHandler)
        and logger.name in handler.held
        and type(handler.formatter) is JsonFormatter
        and not handler.filters
        and handler.level <= logging.INFO
    ):
        return handler
    return None


def log_info(logger: logging.Logger, action: str, fields: dict[str, Any]) -> None:
    """An INFO record with an `action` and these fields, as `logger.info(action, extra=…)`
    logs it. A line that a HeldLinesHandler alone will hold (the access log's, under
    `configure_logging`) is formatted into it directly: no record, no walk up the stack for the
    caller, no handler chain, which on a feed request cost more than answering it."""
    if not logger.isEnabledFor(logging.INFO):
        return
    handler = _only_held_handler(logger)
    if handler is not None:
        handler.hold(logger.name, action, fields)
        return
    record = logger.makeRecord(
        logger.name, logging.INFO, "", 0, action, (), None, extra={"action": action, **fields}
    )
    logger.handle(record)


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)


def configure_logging(level: str | None = None) -> None:
    """JSON lines on stderr at BLUEALERT_LOG_LEVEL (default WARNING, so the CLI stays quiet);
    the access log's lines at most half a second late."""
    handler = HeldLinesHandler(sys.stderr, held=frozenset({ACCESS_LOGGER}))
    root = logging.getLogger("bluealert")
    for old in root.handlers:
        if isinstance(old, HeldLinesHandler):
            old.close()  # what it held is written; its thread ends
    root.handlers[:] = [handler]
    root.setLevel((level or os.environ.get("BLUEALERT_LOG_LEVEL", "WARNING")).upper())
    root.propagate = False
