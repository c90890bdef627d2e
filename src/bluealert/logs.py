"""Structured logs: one JSON object per line, each with an `action` and the ids it concerns."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = {k: v for k, v in vars(record).items() if k not in _STANDARD}
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "action": fields.pop("action", record.getMessage()),
            **fields,
        }
        return json.dumps(line, default=str)


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)


def configure_logging(level: str | None = None) -> None:
    """JSON lines on stderr at BLUEALERT_LOG_LEVEL (default WARNING, so the CLI stays quiet)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("bluealert")
    root.handlers[:] = [handler]
    root.setLevel((level or os.environ.get("BLUEALERT_LOG_LEVEL", "WARNING")).upper())
    root.propagate = False
