"""Use cases for the audit log: verify the chain, export it as JSON lines."""

from __future__ import annotations

from collections.abc import Iterator

from bluealert.app.context import AppContext, transaction
from bluealert.store import audit


def verify_audit(ctx: AppContext) -> audit.Verification:
    with transaction(ctx) as tx:
        return audit.verify(tx.session)


def export_audit(ctx: AppContext, subject_id: str | None = None) -> Iterator[str]:
    with transaction(ctx) as tx:
        for row in audit.events(tx.session, subject_id):
            yield audit.as_json_line(row)
