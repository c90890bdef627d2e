"""Audit hash format 1, pinned: known-answer vectors written by hand, hashed by sha256sum.

Every stored chain depends on this format; a change to key order, separators or escaping would
pass every other test while every existing chain stopped verifying. The canonical strings
below are written out by hand from the rule in store/audit.py and docs/architecture.md, and
the expected digests were computed with `printf '%s' PREV+CANONICAL | sha256sum`.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from bluealert.store import audit

FIRST: dict[str, Any] = {
    "seq": 1,
    "at": "2026-11-24T15:00:00+00:00",
    "actor": "tx.kim",
    "action": "alert.approved",
    "subject_type": "alert",
    "subject_id": "a-1",
    "data": {
        "reference": "TX-2026-0001",
        "version": 1,
        "state_to": "active",
        "note": "Señal vista en I-35 ✓",
        "why": 'said "stop"\nthen ran',
        "flags": [True, None],
        "nested": {"b": 2, "a": "x"},
    },
}
FIRST_CANONICAL = (
    r'{"action":"alert.approved","actor":"tx.kim","at":"2026-11-24T15:00:00+00:00",'
    r'"data":{"flags":[true,null],"nested":{"a":"x","b":2},"note":"Señal vista en I-35 ✓",'
    r'"reference":"TX-2026-0001","state_to":"active","version":1,'
    r'"why":"said \"stop\"\nthen ran"},"seq":1,"subject_id":"a-1","subject_type":"alert"}'
)
FIRST_HASH = "a7e5c75738a3d3307813e38562d96a61504fa416f31f322ce2cf57ad08768887"

SECOND: dict[str, Any] = {
    "seq": 2,
    "at": "2026-11-24T15:00:00.250000+00:00",
    "actor": "tx.patel",
    "action": "alert.updated",
    "subject_type": "alert",
    "subject_id": "a-1",
    "data": {},
}
SECOND_CANONICAL = (
    '{"action":"alert.updated","actor":"tx.patel","at":"2026-11-24T15:00:00.250000+00:00",'
    '"data":{},"seq":2,"subject_id":"a-1","subject_type":"alert"}'
)
SECOND_HASH = "607e2fc82c7391cb95457f78016dbc5c7192ca1d314989e11546b40b1cff7bd1"


def test_the_canonical_form_is_written_as_specified() -> None:
    assert audit.canonical(FIRST) == FIRST_CANONICAL.encode("utf-8")
    assert audit.canonical(SECOND) == SECOND_CANONICAL.encode("utf-8")


@pytest.mark.parametrize(
    ("prev_hash", "content", "canonical_text", "expected"),
    [
        (audit.GENESIS, FIRST, FIRST_CANONICAL, FIRST_HASH),
        (FIRST_HASH, SECOND, SECOND_CANONICAL, SECOND_HASH),
    ],
)
def test_known_answer_hashes_of_format_1(
    prev_hash: str, content: dict[str, Any], canonical_text: str, expected: str
) -> None:
    by_hand = hashlib.sha256((prev_hash + canonical_text).encode("utf-8")).hexdigest()
    assert by_hand == expected  # the vector itself is consistent
    assert audit.content_hash(prev_hash, content, 1) == expected


def test_the_genesis_is_sixty_four_zeros() -> None:
    assert audit.GENESIS == "0" * 64
    assert audit.HASH_FORMAT == 1


@pytest.mark.parametrize("unknown", [0, 2, None])
def test_an_unknown_hash_format_is_refused(unknown: Any) -> None:
    with pytest.raises(ValueError, match=f"hash format {unknown} is unknown"):
        audit.content_hash(audit.GENESIS, FIRST, unknown)


def test_nan_has_no_canonical_form() -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        audit.canonical({"data": {"x": float("nan")}})
