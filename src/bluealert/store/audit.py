"""The tamper-evident audit log: a SHA-256 hash chain over canonical JSON events.

Each event's hash covers the previous event's hash and its own canonical content, and the
chain's head (last seq and hash) is kept in its own row, so that altering, deleting,
inserting or reordering any event, the newest included, breaks verification at that event.
Rewriting the whole table and its head is caught only against a copy kept elsewhere: a signed
checkpoint or an earlier export (`store.audit_anchors`).

Hash format 1, which every event names in `hash_format` (docs/architecture.md spells it out):
`hash = SHA-256(prev_hash ‖ canonical)`, `prev_hash` as its 64 lowercase hex digits in ASCII
(64 zeros before event 1) and `canonical` the UTF-8 of the JSON object of `seq`, `at` (UTC,
ISO 8601 with `+00:00`), `actor`, `action`, `subject_type`, `subject_id` and `data`, keys sorted
by code point at every level, no whitespace, non-ASCII written as itself. Event data holds
strings, integers, booleans, null, lists and objects only: floats and other types would make
the canonical text depend on the language that writes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ScalarResult, func, select
from sqlalchemy.orm import Session

from bluealert.store.rows import insert_if_missing, locked
from bluealert.store.tables import AuditEventRow, AuditHeadRow

GENESIS = "0" * 64
HASH_FORMAT = 1
CONTENT_FIELDS = ("seq", "at", "actor", "action", "subject_type", "subject_id", "data")


def canonical(event: Mapping[str, Any]) -> bytes:
    """Hash format 1's canonical JSON (see the module docstring)."""
    return json.dumps(
        event, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def content_hash(prev_hash: str, content: Mapping[str, Any], hash_format: int) -> str:
    """The hash of one event's content after `prev_hash`, in the given hash format."""
    if hash_format != HASH_FORMAT:
        raise ValueError(f"hash format {hash_format} is unknown to this bluealert")
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(content)).hexdigest()


def _content(row: AuditEventRow) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at.astimezone(UTC).isoformat(),
        "actor": row.actor,
        "action": row.action,
        "subject_type": row.subject_type,
        "subject_id": row.subject_id,
        "data": row.data,
    }


def event_hash(row: AuditEventRow) -> str:
    return content_hash(row.prev_hash, _content(row), row.hash_format)


def _require_json_value(value: Any, where: str) -> None:
    """Refuse what canonical JSON cannot write the same way everywhere (a bug, not bad input)."""
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        _require_text(value, where)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _require_json_value(item, f"{where}.{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"audit data {where}: key {key!r} is not a string")
            _require_text(key, where)
            _require_json_value(item, f"{where}.{key}")
    else:
        raise TypeError(
            f"audit data {where}: a {type(value).__name__} is not allowed; audit data holds "
            "strings, integers, booleans, null, lists and objects (write times with isoformat)"
        )


def _require_text(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise TypeError(f"audit data {where}: {text!r} is not valid Unicode text") from error


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    data: dict[str, Any] | None = None,
) -> AuditEventRow:
    """Append one event to the chain, in the caller's transaction.

    A naive `at` or data canonical JSON cannot hold (see the module docstring) is refused with
    a ValueError or TypeError: it is a programming error, and guessing would store a lie.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"audit event {action}: its time {at.isoformat()} has no time zone")
    for name, text in (("actor", actor), ("subject_id", subject_id)):
        _require_text(text, name)
    _require_json_value(data or {}, "data")
    insert_if_missing(session, AuditHeadRow, id=1, seq=0, hash=GENESIS)
    head = locked(session, AuditHeadRow, 1)
    row = AuditEventRow(
        seq=head.seq + 1,
        at=at.astimezone(UTC),
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        data=json.loads(json.dumps(data or {})),
        prev_hash=head.hash,
        hash_format=HASH_FORMAT,
    )
    row.hash = event_hash(row)
    session.add(row)
    head.seq, head.hash = row.seq, row.hash
    session.flush()
    return row


def _rows(session: Session, subject_id: str | None = None) -> ScalarResult[AuditEventRow]:
    query = select(AuditEventRow).order_by(AuditEventRow.seq)
    if subject_id is not None:
        query = query.where(AuditEventRow.subject_id == subject_id)
    return session.scalars(query.execution_options(yield_per=1000))


def events(session: Session, subject_id: str | None = None) -> Iterator[AuditEventRow]:
    with closing(_rows(session, subject_id)) as rows:
        yield from rows


@dataclass(frozen=True)
class Head:
    """The newest event as the head row records it: what a checkpoint anchors."""

    seq: int
    hash: str
    at: datetime | None = None


@dataclass(frozen=True)
class Verification:
    checked: int
    bad_seq: int | None = None
    problem: str = ""
    head: Head = Head(0, GENESIS)

    @property
    def ok(self) -> bool:
        return self.bad_seq is None


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)


def event_at(session: Session, seq: int) -> AuditEventRow | None:
    return session.get(AuditEventRow, seq)


def last_seq(session: Session) -> int:
    """The highest sequence number stored, 0 for an empty table."""
    return int(session.scalar(select(func.max(AuditEventRow.seq))) or 0)


def head(session: Session) -> Head:
    """The head row's seq and hash, with the time of the event it names (None if missing)."""
    row = session.get(AuditHeadRow, 1)
    if row is None:
        return Head(0, GENESIS)
    newest = event_at(session, row.seq)
    return Head(row.seq, row.hash, newest.at if newest else None)


def verify(session: Session, progress: Callable[[int], None] | None = None) -> Verification:
    """Walk the chain from the start; report the first event that does not verify.

    `progress` is told how many events were checked, every thousand events.
    """
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    recorded = head(session)
    with closing(_rows(session)) as rows:
        for row in rows:
            problem = _check_link(session, row, expected_seq, prev_hash)
            if problem:
                return Verification(checked, *problem, head=recorded)
            expected_seq, prev_hash, checked = row.seq + 1, row.hash, checked + 1
            if progress is not None and checked % 1000 == 0:
                progress(checked)
    if recorded.seq != checked or recorded.hash != prev_hash:
        return Verification(
            checked,
            min(checked, recorded.seq) + 1,
            f"the chain ends at event {checked} but its head records event {recorded.seq}: "
            "the newest events were deleted or the head was altered",
            recorded,
        )
    return Verification(checked, head=recorded)


def _check_link(
    session: Session, row: AuditEventRow, seq: int, prev_hash: str
) -> tuple[int, str] | None:
    if row.seq != seq:
        return seq, f"event {seq} is missing: deleted (the next event found is {row.seq})"
    if row.prev_hash != prev_hash:
        return _broken_link(session, seq, prev_hash)
    if row.hash_format != HASH_FORMAT:
        return seq, f"event {seq} names hash format {row.hash_format}, unknown to this bluealert"
    if event_hash(row) != row.hash:
        return (
            seq,
            f"event {seq} ({row.action}) was altered: its content no longer matches its hash",
        )
    return None


def _broken_link(session: Session, seq: int, prev_hash: str) -> tuple[int, str]:
    """Event `seq` does not name its predecessor's hash: moved here, or the predecessor changed."""
    true_successor = session.scalar(
        select(AuditEventRow.seq).where(
            AuditEventRow.prev_hash == prev_hash, AuditEventRow.seq != seq
        )
    )
    if true_successor is not None or seq == 1:
        return seq, (
            f"event {seq} is not the event that followed event {seq - 1}: events were "
            "inserted or reordered here"
        )
    return seq - 1, (
        f"event {seq - 1} was altered, replaced or inserted: event {seq} recorded a "
        "different hash for its predecessor"
    )


def as_json_line(row: AuditEventRow) -> str:
    """One exported event: its content, `prev_hash`, `hash` and `hash_format`."""
    line = {**_content(row), "prev_hash": row.prev_hash, "hash": row.hash}
    return json.dumps({**line, "hash_format": row.hash_format}, ensure_ascii=False)
