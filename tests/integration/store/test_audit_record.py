"""audit.record writes hash format 1 exactly, and refuses what it cannot write faithfully."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bluealert.app.context import AppContext, transaction
from bluealert.store import audit
from bluealert.store.tables import AuditEventRow
from tests.unit.store.test_audit_hash_format import FIRST, FIRST_HASH, SECOND_HASH

CHICAGO = ZoneInfo("America/Chicago")


def test_recorded_events_carry_the_known_answer_hashes(ctx: AppContext) -> None:
    """The same two events as the hand-written vectors, through record and the database."""
    with transaction(ctx) as tx:
        first = audit.record(
            tx.session,
            at=datetime(2026, 11, 24, 9, 0, tzinfo=CHICAGO),  # 15:00 UTC
            actor="tx.kim",
            action="alert.approved",
            subject_type="alert",
            subject_id="a-1",
            data=FIRST["data"],
        )
        second = audit.record(
            tx.session,
            at=datetime(2026, 11, 24, 9, 0, 0, 250000, tzinfo=CHICAGO),
            actor="tx.patel",
            action="alert.updated",
            subject_type="alert",
            subject_id="a-1",
        )
        assert (first.hash, second.hash) == (FIRST_HASH, SECOND_HASH)
    with transaction(ctx) as tx:
        assert audit.verify(tx.session).ok
        lines = [json.loads(audit.as_json_line(row)) for row in audit.events(tx.session)]
    assert [(e["seq"], e["hash"], e["hash_format"]) for e in lines] == [
        (1, FIRST_HASH, 1),
        (2, SECOND_HASH, 1),
    ]
    assert lines[1]["prev_hash"] == FIRST_HASH
    assert lines[0]["at"] == "2026-11-24T15:00:00+00:00"


class Colour(StrEnum):
    GREY = "grey"


def _record(ctx: AppContext, *, at: datetime, data: dict[str, Any]) -> None:
    with transaction(ctx) as tx:
        audit.record(
            tx.session,
            at=at,
            actor="tx.kim",
            action="test.event",
            subject_type="test",
            subject_id="t-1",
            data=data,
        )


def _event_count(ctx: AppContext) -> int:
    with transaction(ctx) as tx:
        return int(tx.session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)


def test_a_naive_time_is_refused(ctx: AppContext) -> None:
    with pytest.raises(ValueError, match="has no time zone"):
        _record(ctx, at=datetime(2026, 11, 24, 9, 0), data={})
    assert _event_count(ctx) == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"when": datetime(2026, 11, 24, 9, 0, tzinfo=CHICAGO)}, "data.when: a datetime"),
        ({"path": Path("/tmp/x")}, "data.path: a PosixPath"),
        ({"ratio": 0.5}, "data.ratio: a float"),
        ({"nested": {"deep": [1, {"x": {1, 2}}]}}, "data.nested.deep.1.x: a set"),
        ({"keys": {1: "one"}}, "data.keys: key 1 is not a string"),
        ({"text": "bad \ud800 surrogate"}, "data.text: .* is not valid Unicode"),
    ],
)
def test_data_canonical_json_cannot_hold_is_refused(
    ctx: AppContext, data: dict[str, Any], words: str
) -> None:
    with pytest.raises(TypeError, match=words):
        _record(ctx, at=datetime(2026, 11, 24, 9, 0, tzinfo=CHICAGO), data=data)
    assert _event_count(ctx) == 0


def test_strings_enums_and_nesting_are_kept_as_json(ctx: AppContext) -> None:
    data = {"colour": Colour.GREY, "list": (1, "two", None, False), "map": {"k": ["v"]}}
    _record(ctx, at=datetime(2026, 11, 24, 9, 0, tzinfo=CHICAGO), data=data)
    with transaction(ctx) as tx:
        [row] = audit.events(tx.session)
        stored = row.data
    assert stored == {"colour": "grey", "list": [1, "two", None, False], "map": {"k": ["v"]}}
