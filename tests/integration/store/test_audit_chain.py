"""The audit chain detects each kind of tampering and names the first bad event."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bluealert.app.context import AppContext, transaction
from bluealert.store import audit
from bluealert.store.tables import AuditEventRow, AuditHeadRow


def _write_events(ctx: AppContext, count: int = 6) -> None:
    with transaction(ctx) as tx:
        for i in range(1, count + 1):
            tx.audit(
                "alert.updated",
                actor="tx.kim",
                subject_type="alert",
                subject_id=f"a{i}",
                now=ctx.clock(),
                version=i,
                note=f"change {i}",
            )


def _row(session: Session, seq: int) -> AuditEventRow:
    row = session.get(AuditEventRow, seq)
    assert row is not None
    return row


def alter(session: Session) -> None:
    session.execute(
        update(AuditEventRow)
        .where(AuditEventRow.seq == 3)
        .values(data={"version": 3, "note": "quietly changed"})
    )


def alter_and_rehash(session: Session) -> None:
    row = _row(session, 3)
    row.actor = "intruder"
    row.hash = audit.event_hash(row)


def delete_middle(session: Session) -> None:
    session.execute(delete(AuditEventRow).where(AuditEventRow.seq == 3))


def delete_newest(session: Session) -> None:
    session.execute(delete(AuditEventRow).where(AuditEventRow.seq == 6))


def insert_forged(session: Session) -> None:
    """Shift events 3.. up by one and slip a forged, well-hashed event in at 3."""
    for seq in range(6, 2, -1):
        session.execute(update(AuditEventRow).where(AuditEventRow.seq == seq).values(seq=seq + 1))
    forged = AuditEventRow(
        seq=3,
        at=_row(session, 2).at,
        actor="intruder",
        action="alert.approved",
        subject_type="alert",
        subject_id="x",
        data={},
        prev_hash=_row(session, 2).hash,
        hash_format=audit.HASH_FORMAT,
    )
    forged.hash = audit.event_hash(forged)
    session.add(forged)


def reorder(session: Session) -> None:
    """Swap events 3 and 4 (each keeps its own content and hashes)."""
    session.execute(update(AuditEventRow).where(AuditEventRow.seq == 3).values(seq=-3))
    session.execute(update(AuditEventRow).where(AuditEventRow.seq == 4).values(seq=3))
    session.execute(update(AuditEventRow).where(AuditEventRow.seq == -3).values(seq=4))


def alter_first(session: Session) -> None:
    session.execute(
        update(AuditEventRow).where(AuditEventRow.seq == 1).values(actor="someone else")
    )


def alter_and_rehash_first(session: Session) -> None:
    row = _row(session, 1)
    row.data = {"version": 1, "note": "quietly changed"}
    row.hash = audit.event_hash(row)


def delete_first(session: Session) -> None:
    session.execute(delete(AuditEventRow).where(AuditEventRow.seq == 1))


def swap_first_two(session: Session) -> None:
    session.execute(update(AuditEventRow).where(AuditEventRow.seq == 1).values(seq=-1))
    session.execute(update(AuditEventRow).where(AuditEventRow.seq == 2).values(seq=1))
    session.execute(update(AuditEventRow).where(AuditEventRow.seq == -1).values(seq=2))


def unknown_hash_format(session: Session) -> None:
    _row(session, 2).hash_format = 2


def truncate_head(session: Session) -> None:
    head = session.get(AuditHeadRow, 1)
    assert head is not None
    head.seq = 4


@pytest.mark.parametrize(
    ("tamper", "bad_seq", "words"),
    [
        (alter, 3, "altered"),
        (alter_and_rehash, 3, "altered"),
        (delete_middle, 3, "missing"),
        (delete_newest, 6, "newest events were deleted"),
        (insert_forged, 3, "inserted"),
        (reorder, 3, "inserted or reordered"),
        (truncate_head, 5, "head"),
        (alter_first, 1, "event 1 (alert.updated) was altered"),
        (alter_and_rehash_first, 1, "event 1 was altered, replaced or inserted"),
        (delete_first, 1, "event 1 is missing"),
        (swap_first_two, 1, "event 1 is not the event that followed event 0"),
        (unknown_hash_format, 2, "hash format 2, unknown"),
    ],
)
def test_tampering_is_detected_at_the_first_bad_event(
    ctx: AppContext, tamper: Callable[[Session], None], bad_seq: int, words: str
) -> None:
    _write_events(ctx)
    with transaction(ctx) as tx:
        assert audit.verify(tx.session).ok
    with transaction(ctx) as tx:
        tamper(tx.session)
    with transaction(ctx) as tx:
        result = audit.verify(tx.session)
    assert not result.ok
    assert result.bad_seq == bad_seq, result.problem
    assert words in result.problem


def test_an_untouched_chain_verifies_and_exports(ctx: AppContext) -> None:
    _write_events(ctx, 4)
    with transaction(ctx) as tx:
        result = audit.verify(tx.session)
        lines = [audit.as_json_line(r) for r in audit.events(tx.session)]
        assert tx.session.scalars(select(AuditEventRow.seq)).all() == [1, 2, 3, 4]
    assert (result.ok, result.checked) == (True, 4)
    assert len(lines) == 4
    assert '"prev_hash"' in lines[0]


def test_an_empty_log_verifies(ctx: AppContext) -> None:
    with transaction(ctx) as tx:
        assert audit.verify(tx.session).ok


def test_verification_reports_progress(sqlite_ctx: AppContext) -> None:
    with transaction(sqlite_ctx) as tx:
        for i in range(2500):
            tx.audit(
                "test.event",
                actor="t",
                subject_type="test",
                subject_id=str(i),
                now=sqlite_ctx.clock(),
            )
    from bluealert.app.audit_log import verify_audit

    seen: list[tuple[int, int]] = []
    result = verify_audit(sqlite_ctx, lambda done, total: seen.append((done, total)))
    assert result.ok
    assert seen == [(1000, 2500), (2000, 2500)]
