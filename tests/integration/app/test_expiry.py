"""Expiry through the use cases on SQLite and PostgreSQL (issue 8): a passed expiry is refused at
submit and approval with the store unchanged; a capped one is stored as it applies, with its
notice kept on the version and in the audit event; linked alerts say when their plan ends
them before the original."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bluealert.app import alerts as use_cases
from bluealert.app import cross_state
from bluealert.app.context import AppContext, transaction
from bluealert.errors import TransitionRefused
from bluealert.store import audit
from bluealert.store.tables import AlertRow, AlertVersionRow, OutboxRow
from tests.conftest import Clock
from tests.integration.app.conftest import TX_CLAIMS, active, drafted, pending, seed_people

HOUR = timedelta(hours=1)


def _rows(ctx: AppContext) -> dict[str, list[tuple[Any, ...]]]:
    """The alert, version and outbox rows: what 'the store is unchanged' compares."""
    with transaction(ctx) as tx:
        found: dict[str, list[tuple[Any, ...]]] = {}
        for table in (AlertRow, AlertVersionRow, OutboxRow):
            rows = tx.session.execute(select(table.__table__)).all()
            found[table.__tablename__] = sorted(map(tuple, rows), key=repr)
        return found


def _events(ctx: AppContext, subject_id: str) -> list[tuple[str, dict[str, Any]]]:
    with transaction(ctx) as tx:
        return [(e.action, e.data) for e in audit.events(tx.session, subject_id)]


def test_approving_after_the_requested_expiry_passed_is_refused_and_changes_nothing(
    ctx: AppContext, clock: Clock
) -> None:
    seed_people(ctx)
    asked = clock.now + 2 * HOUR
    alert = pending(ctx, expires_at=asked.isoformat())
    clock.now = asked
    before = _rows(ctx)
    with pytest.raises(TransitionRefused, match=r"cannot approve .* has already passed") as refused:
        use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)
    assert refused.value.field == "expires_at"
    assert _rows(ctx) == before
    assert [action for action, _ in _events(ctx, alert.id)][-1] == "alert.submitted"


def test_submitting_after_the_requested_expiry_passed_is_refused_and_changes_nothing(
    ctx: AppContext, clock: Clock
) -> None:
    seed_people(ctx)
    asked = clock.now + HOUR
    alert = drafted(ctx, expires_at=asked.isoformat())
    clock.advance(hours=2)
    before = _rows(ctx)
    with pytest.raises(TransitionRefused, match=r"cannot submit .* has already passed"):
        use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=TX_CLAIMS)
    assert _rows(ctx) == before


def test_a_capped_expiry_is_stored_as_it_applies_with_its_notice(
    ctx: AppContext, clock: Clock
) -> None:
    seed_people(ctx)
    asked = clock.now + 72 * HOUR
    alert = pending(ctx, expires_at=asked.isoformat())
    clock.advance(hours=1)
    approved = use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)
    applies = clock.now + 24 * HOUR  # tx.yaml: max_duration_hours 24
    stored = use_cases.get_alert(ctx, alert.reference)
    assert stored == approved
    assert stored.expires_at == stored.current.content.expires_at == applies
    [notice] = stored.current.notices
    assert (notice.field, notice.rule) == ("expires_at", "plan_max_duration")
    assert notice.message == (
        f"the requested expiry {asked.isoformat()} is later than the Texas Blue Alert allows "
        f"(24 hours from {clock.now.isoformat()}): it expires at {applies.isoformat()}"
    )
    action, data = _events(ctx, alert.id)[-1]
    assert action == "alert.approved"
    assert data["expires_at"] == applies.isoformat()
    assert data["notices"] == [notice.model_dump(mode="json")]


def test_an_update_beyond_the_plan_is_capped_in_the_store_and_its_audit_event(
    ctx: AppContext, clock: Clock
) -> None:
    seed_people(ctx)
    alert = active(ctx)
    clock.advance(hours=3)
    asked = clock.now + 30 * HOUR
    content = alert.content.model_copy(update={"expires_at": asked})
    updated = use_cases.update_alert(
        ctx,
        actor="tx.patel",
        key=alert.reference,
        base=alert.current.number,
        content=content,
        note="later",
    )
    stored = use_cases.get_alert(ctx, alert.reference)
    assert stored.expires_at == stored.versions[1].content.expires_at == clock.now + 24 * HOUR
    assert [n.rule for n in stored.versions[1].notices] == ["plan_max_duration"]
    assert stored.versions[0].notices == ()
    assert updated == stored
    action, data = _events(ctx, alert.id)[-1]
    assert action == "alert.updated"
    assert [n["rule"] for n in data["notices"]] == ["plan_max_duration"]


def test_a_renewal_past_the_requested_expiry_stores_the_new_one(
    ctx: AppContext, clock: Clock
) -> None:
    seed_people(ctx)
    alert = active(ctx, expires_at=(clock.now + 5 * HOUR).isoformat())
    clock.advance(hours=4)
    renewed = use_cases.renew_alert(ctx, actor="tx.patel", key=alert.reference)
    stored = use_cases.get_alert(ctx, alert.reference)
    assert stored == renewed
    assert stored.expires_at == stored.current.content.expires_at == clock.now + 24 * HOUR
    assert stored.current.notices == ()


def test_a_linked_alert_stores_the_expiry_that_applies_never_the_one_asked_of_the_original(
    ctx: AppContext, clock: Clock
) -> None:
    seed_people(ctx)
    start = clock.now
    original = active(ctx, expires_at=(start + 30 * HOUR).isoformat())  # Texas caps it at 24
    assert original.current.content.expires_at == start + 24 * HOUR
    request = cross_state.request_activation(
        ctx, actor="tx.kim", key=original.reference, to_state="OK"
    )
    clock.advance(hours=2)
    _, linked = cross_state.accept_activation(ctx, actor="ok.lee", request_id=request.id)
    stored = use_cases.get_alert(ctx, linked.reference)
    # Oklahoma (the national model) allows 24 hours from now, but never past the original.
    assert stored.expires_at == stored.current.content.expires_at == start + 24 * HOUR
    assert stored.current.notices == ()
    action, data = _events(ctx, linked.id)[-1]
    assert (action, data["expires_at"]) == ("alert.approved", (start + 24 * HOUR).isoformat())
