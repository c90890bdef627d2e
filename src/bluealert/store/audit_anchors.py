"""Anchors kept outside the database, and whether the stored chain still extends them.

An anchor is what the chain looked like earlier: a signed checkpoint's head (one event's seq
and hash) or an earlier `audit export` (every event it holds). The chain extends an anchor
when each anchored event is still stored with the hash it had then; as every hash covers all
the events before it, the newest anchored event vouches for every earlier one. Deleting the
newest events, editing one and rehashing the rest, or emptying the table all break that.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bluealert.errors import InvalidInput
from bluealert.store import audit
from bluealert.store.tables import AuditEventRow

_HASH = re.compile(r"^[0-9a-f]{64}$")
# Exports written before events named their hash format were all in format 1.
_FORMAT_BEFORE_NAMED = 1


@dataclass(frozen=True, slots=True)
class AnchorPoint:
    """One event as an anchor recorded it."""

    seq: int
    hash: str


@dataclass(frozen=True)
class AnchorCheck:
    """Whether the chain extends the anchor; if not, the first anchored event it lost."""

    breaks_at: int | None = None
    problem: str = ""

    @property
    def extends(self) -> bool:
        return self.breaks_at is None


def export_points(lines: Iterable[str]) -> Iterator[AnchorPoint]:
    """The events of an `audit export`, each checked against its own hash and its predecessor.

    Raises InvalidInput at the first line that is not an exported event, does not match its
    own hash, or is out of order: such a file anchors nothing.
    """
    previous: AnchorPoint | None = None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        point, prev_hash = _exported_event(line, number)
        if previous is not None and point.seq <= previous.seq:
            raise _bad(number, f"event {point.seq} comes after event {previous.seq}")
        if previous is not None and point.seq == previous.seq + 1 and prev_hash != previous.hash:
            raise _bad(number, f"event {point.seq} does not follow event {previous.seq}'s hash")
        yield point
        previous = point


def _exported_event(line: str, number: int) -> tuple[AnchorPoint, str]:
    try:
        event = json.loads(line)
    except json.JSONDecodeError as error:
        raise _bad(number, f"not JSON ({error.msg})") from error
    if not isinstance(event, dict):
        raise _bad(number, "not a JSON object")
    missing = [f for f in (*audit.CONTENT_FIELDS, "prev_hash", "hash") if f not in event]
    if missing:
        raise _bad(number, f"lacks {', '.join(missing)}")
    seq, prev_hash, hash_ = event["seq"], event["prev_hash"], event["hash"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise _bad(number, "seq must be a whole number of at least 1")
    if not all(isinstance(h, str) and _HASH.match(h) for h in (prev_hash, hash_)):
        raise _bad(number, "prev_hash and hash must be 64 lowercase hex digits")
    if _recomputed(event, number) != hash_:
        raise _bad(number, f"event {seq}'s hash does not match its content")
    return AnchorPoint(seq, hash_), prev_hash


def _recomputed(event: dict[str, Any], number: int) -> str:
    hash_format = event.get("hash_format", _FORMAT_BEFORE_NAMED)
    content = {name: event[name] for name in audit.CONTENT_FIELDS}
    try:
        return audit.content_hash(event["prev_hash"], content, hash_format)
    except ValueError as error:  # a hash format unknown here, or NaN (no canonical form)
        raise _bad(number, str(error)) from error


def _bad(number: int, rule: str) -> InvalidInput:
    return InvalidInput(
        f"line {number}: {rule}: the export was edited, damaged or is not an audit export",
        field="export",
    )


def compare(session: Session, points: Iterable[AnchorPoint], anchor: str) -> AnchorCheck:
    """Walk the anchored events (in order) beside the stored ones; name the first one lost.

    `anchor` names it in sentences: "the checkpoint made …", "the export".
    """
    query = select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq)
    with closing(session.execute(query.execution_options(yield_per=1000))) as rows:
        stored = iter(rows)
        current = next(stored, None)
        intact_before: int | None = 0  # the anchored event just before this one, if intact
        for point in points:
            if point.seq == 0:  # a checkpoint of an empty log anchors nothing
                continue
            while current is not None and current.seq < point.seq:
                current = next(stored, None)
            if current is None or current.seq != point.seq:
                return AnchorCheck(point.seq, _lost(session, point, anchor))
            if current.hash != point.hash:
                exact = intact_before == point.seq - 1
                return AnchorCheck(point.seq, _changed(point, anchor, exact))
            intact_before = point.seq
    return AnchorCheck()


def _lost(session: Session, point: AnchorPoint, anchor: str) -> str:
    last = audit.last_seq(session)
    if last == 0:
        return f"the log holds no events, but {anchor} recorded event {point.seq}: it was emptied"
    if last < point.seq:
        return (
            f"the log now ends at event {last}, but {anchor} recorded event {point.seq}: "
            f"the events from {last + 1} on were deleted"
        )
    return f"event {point.seq}, which {anchor} recorded, is no longer stored: it was deleted"


def _changed(point: AnchorPoint, anchor: str, exact: bool) -> str:
    if exact:
        return (
            f"event {point.seq} is not the event {anchor} recorded: it was altered and the "
            "chain rehashed after it"
        )
    return (
        f"event {point.seq} no longer has the hash {anchor} recorded ({point.hash[:16]}…): it "
        f"or an event before it was altered and the chain rehashed"
    )
