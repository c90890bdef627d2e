"""Concurrent writers: references stay unique and the audit chain stays one chain."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bluealert.app.context import AppContext, transaction
from bluealert.store import audit

WRITERS = 4
EACH = 10


def _take_references(ctx: AppContext) -> list[str]:
    taken = []
    for _ in range(EACH):
        with transaction(ctx) as tx:
            taken.append(tx.alerts.next_reference("TX", 2026))
            tx.audit(
                "reference.taken",
                actor="test",
                subject_type="reference",
                subject_id=taken[-1],
                now=ctx.clock(),
            )
    return taken


def test_parallel_transactions_never_share_a_reference_or_fork_the_chain(
    ctx: AppContext,
) -> None:
    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(pool.map(lambda _: _take_references(ctx), range(WRITERS)))
    references = [r for batch in results for r in batch]
    assert len(set(references)) == WRITERS * EACH
    assert max(references) == f"TX-2026-{WRITERS * EACH:04d}"
    with transaction(ctx) as tx:
        result = audit.verify(tx.session)
    assert (result.ok, result.checked) == (True, WRITERS * EACH), result.problem
