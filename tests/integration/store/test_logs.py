"""Every committed state change is logged with its action and ids; a rolled-back one is not."""

from __future__ import annotations

import json
import logging

import pytest

from bluealert.app.context import AppContext, transaction
from bluealert.logs import JsonFormatter


def test_actions_are_logged_after_commit_only(
    sqlite_ctx: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bluealert")
    with transaction(sqlite_ctx) as tx:
        tx.audit(
            "alert.approved",
            actor="tx.kim",
            subject_type="alert",
            subject_id="a1",
            now=sqlite_ctx.clock(),
        )

    def rolled_back() -> None:
        with transaction(sqlite_ctx) as tx:
            tx.audit(
                "alert.cancelled",
                actor="tx.kim",
                subject_type="alert",
                subject_id="a1",
                now=sqlite_ctx.clock(),
            )
            raise RuntimeError("crash")

    with pytest.raises(RuntimeError):
        rolled_back()
    [record] = caplog.records
    line = json.loads(JsonFormatter().format(record))
    assert (line["action"], line["alert"], line["actor"]) == ("alert_approved", "a1", "tx.kim")
    assert line["audit_seq"] == 1
