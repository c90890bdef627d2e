"""Use cases for the audit log: verify the chain, export it as JSON lines."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from bluealert.app.context import AppContext, transaction
from bluealert.store import audit


def verify_audit(
    ctx: AppContext, progress: Callable[[int, int], None] | None = None
) -> audit.Verification:
    """Verify the chain; `progress(done, total)` is called as it goes."""
    with transaction(ctx) as tx:
        total = audit.count(tx.session) if progress else 0
        report = (lambda done: progress(done, total)) if progress else None
        return audit.verify(tx.session, report)


def export_audit(ctx: AppContext, subject_id: str | None = None) -> Iterator[str]:
    with transaction(ctx) as tx:
        for row in audit.events(tx.session, subject_id):
            yield audit.as_json_line(row)
