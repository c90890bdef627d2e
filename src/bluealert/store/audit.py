"""The tamper-evident audit log: a SHA-256 hash chain over canonical JSON events.

Each event's hash covers the previous event's hash and its own canonical content, and the
chain's head (last seq and hash) is kept in its own row, so that altering, deleting,
inserting or reordering any event, the newest included, breaks verification at that event.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ScalarResult, func, select
from sqlalchemy.orm import Session

from bluealert.store.rows import insert_if_missing, locked
from bluealert.store.tables import AuditEventRow, AuditHeadRow

GENESIS = "0" * 64


def canonical(event: dict[str, Any]) -> bytes:
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


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
    return hashlib.sha256(row.prev_hash.encode() + canonical(_content(row))).hexdigest()


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
    """Append one event to the chain, in the caller's transaction."""
    insert_if_missing(session, AuditHeadRow, id=1, seq=0, hash=GENESIS)
    head = locked(session, AuditHeadRow, 1)
    row = AuditEventRow(
        seq=head.seq + 1,
        at=at.astimezone(UTC),
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        data=json.loads(json.dumps(data or {}, default=str)),
        prev_hash=head.hash,
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
class Verification:
    checked: int
    bad_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_seq is None


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)


def verify(session: Session, progress: Callable[[int], None] | None = None) -> Verification:
    """Walk the chain from the start; report the first event that does not verify.

    `progress` is told how many events were checked, every thousand events.
    """
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    with closing(_rows(session)) as rows:
        for row in rows:
            problem = _check_link(session, row, expected_seq, prev_hash)
            if problem:
                return Verification(checked, *problem)
            expected_seq, prev_hash, checked = row.seq + 1, row.hash, checked + 1
            if progress is not None and checked % 1000 == 0:
                progress(checked)
    head = session.get(AuditHeadRow, 1)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != checked or head_hash != prev_hash:
        return Verification(
            checked,
            min(checked, head_seq) + 1,
            f"the chain ends at event {checked} but its head records event {head_seq}: "
            "the newest events were deleted or the head was altered",
        )
    return Verification(checked)


def _check_link(
    session: Session, row: AuditEventRow, seq: int, prev_hash: str
) -> tuple[int, str] | None:
    if row.seq != seq:
        return seq, f"event {seq} is missing: deleted (the next event found is {row.seq})"
    if row.prev_hash != prev_hash:
        return _broken_link(session, seq, prev_hash)
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
    return json.dumps(
        {**_content(row), "prev_hash": row.prev_hash, "hash": row.hash}, ensure_ascii=False
    )
