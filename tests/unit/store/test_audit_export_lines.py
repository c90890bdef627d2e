"""Reading an earlier `audit export` as an anchor: each line is checked before it anchors.

The lines are built here from the hash-format-1 vectors (test_audit_hash_format), so nothing
comes from the code under test.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bluealert.errors import InvalidInput
from bluealert.store import audit
from bluealert.store.audit_anchors import AnchorPoint, export_points
from tests.unit.store.test_audit_hash_format import FIRST, FIRST_HASH, SECOND, SECOND_HASH

GENESIS = "0" * 64
LINE_1 = {**FIRST, "prev_hash": GENESIS, "hash": FIRST_HASH, "hash_format": 1}
LINE_2 = {**SECOND, "prev_hash": FIRST_HASH, "hash": SECOND_HASH, "hash_format": 1}


def _text(*lines: Any) -> list[str]:
    return [line if isinstance(line, str) else json.dumps(line) for line in lines]


def test_an_export_gives_each_event_it_holds() -> None:
    assert list(export_points(_text(LINE_1, "", "   ", LINE_2))) == [
        AnchorPoint(1, FIRST_HASH),
        AnchorPoint(2, SECOND_HASH),
    ]


def test_an_export_of_one_subject_may_skip_events() -> None:
    third = {**LINE_2, "seq": 3}  # not rehashed: its hash no longer matches
    with pytest.raises(InvalidInput, match="line 2: event 3's hash does not match"):
        list(export_points(_text(LINE_1, third)))
    [only] = export_points(_text(LINE_2))
    assert only == AnchorPoint(2, SECOND_HASH)


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        (("{",), "line 1: not JSON (Expecting property name enclosed in double quotes)"),
        (("[1, 2]",), "line 1: not a JSON object"),
        (
            ({"seq": 1},),
            "line 1: lacks at, actor, action, subject_type, subject_id, data, prev_hash, hash",
        ),
        (({**LINE_1, "seq": 0},), "line 1: seq must be a whole number of at least 1"),
        (({**LINE_1, "seq": "1"},), "line 1: seq must be a whole number of at least 1"),
        (({**LINE_1, "hash": FIRST_HASH.upper()},), "line 1: prev_hash and hash must be 64"),
        (({**LINE_1, "prev_hash": 7},), "line 1: prev_hash and hash must be 64"),
        (({**LINE_1, "hash_format": 2},), "line 1: hash format 2 is unknown to this bluealert"),
        (({**LINE_1, "data": {"x": float("nan")}},), "line 1: Out of range float values"),
        (({**LINE_1, "actor": "someone else"},), "line 1: event 1's hash does not match"),
        ((LINE_1, LINE_1), "line 2: event 1 comes after event 1"),
        ((LINE_2, LINE_1), "line 2: event 1 comes after event 2"),
        ((LINE_1, {**LINE_2, "prev_hash": GENESIS}), "line 2: event 2's hash does not match"),
    ],
)
def test_a_line_that_is_not_a_faithful_exported_event_is_refused(
    lines: tuple[Any, ...], words: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        list(export_points(_text(*lines)))
    assert words in str(refused.value)
    assert refused.value.field == "export"
    assert str(refused.value).endswith("the export was edited, damaged or is not an audit export")


def test_a_line_that_follows_another_chain_is_refused() -> None:
    """Event 2 of another chain, well hashed in itself, after our event 1."""
    other_first = "f" * 64
    content = {name: SECOND[name] for name in audit.CONTENT_FIELDS}
    foreign = {
        **LINE_2,
        "prev_hash": other_first,
        "hash": audit.content_hash(other_first, content, 1),
    }
    with pytest.raises(InvalidInput, match="line 2: event 2 does not follow event 1's hash"):
        list(export_points(_text(LINE_1, foreign)))


def test_an_export_from_before_hash_formats_were_named_is_read_as_format_1() -> None:
    unnamed = {k: v for k, v in LINE_1.items() if k != "hash_format"}
    assert list(export_points(_text(unnamed))) == [AnchorPoint(1, FIRST_HASH)]
