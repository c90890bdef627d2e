"""The store on SQLite and PostgreSQL: schema, round trips, references, outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bluealert.app.context import AppContext, transaction
from bluealert.domain import lifecycle
from bluealert.domain.alert import Alert
from bluealert.store import migrate
from bluealert.store.outbox import OutboxKind
from bluealert.store.tables import AlertRow, OutboxRow
from tests import factories as f
from tests.conftest import Clock


def _seed_users(ctx: AppContext) -> None:
    with transaction(ctx) as tx:
        for user in f.ALL_USERS:
            tx.users.add(user, ctx.clock())


def _active_alert(ctx: AppContext) -> Alert:
    now = ctx.clock()
    plan = f.plan()
    alert = lifecycle.draft(
        f.alert_content(now),
        user=f.ORIGINATOR,
        plan=plan,
        alert_id=ctx.make_id(),
        reference="TX-2026-0001",
        now=now,
    )
    alert = lifecycle.submit(alert, user=f.ORIGINATOR, plan=plan, now=now)
    return lifecycle.approve(alert, user=f.TX_COORDINATOR, plan=plan, now=now)


def test_migrations_produce_exactly_the_models_schema(ctx: AppContext) -> None:
    assert migrate.current_revision(ctx.engine) is not None
    assert migrate.schema_differences(ctx.engine) == []


def test_alert_round_trip(ctx: AppContext, clock: Clock) -> None:
    _seed_users(ctx)
    alert = _active_alert(ctx)
    with transaction(ctx) as tx:
        tx.alerts.save(alert)
    with transaction(ctx) as tx:
        by_id = tx.alerts.get(alert.id)
        by_reference = tx.alerts.get("tx-2026-0001")
    assert by_id == alert
    assert by_reference == alert
    assert by_id.expires_at is not None
    assert by_id.expires_at.utcoffset() is not None


def test_published_versions_are_never_rewritten(ctx: AppContext, clock: Clock) -> None:
    _seed_users(ctx)
    alert = _active_alert(ctx)
    with transaction(ctx) as tx:
        tx.alerts.save(alert)
    tampered = alert.current.model_copy(update={"note": "rewritten"})
    with transaction(ctx) as tx:
        tx.alerts.save(alert.model_copy(update={"versions": (tampered,)}))
    with transaction(ctx) as tx:
        assert tx.alerts.get(alert.id).current.note == ""


def test_user_round_trip(ctx: AppContext) -> None:
    _seed_users(ctx)
    with transaction(ctx) as tx:
        assert tx.users.get("tx.kim") == f.TX_COORDINATOR
        assert [u.username for u in tx.users.everyone()] == sorted(u.username for u in f.ALL_USERS)


def test_references_count_per_state_and_year(ctx: AppContext) -> None:
    with transaction(ctx) as tx:
        made = [tx.alerts.next_reference("TX", 2026) for _ in range(3)]
        made += [tx.alerts.next_reference("OK", 2026), tx.alerts.next_reference("TX", 2027)]
    assert made == ["TX-2026-0001", "TX-2026-0002", "TX-2026-0003", "OK-2026-0001", "TX-2027-0001"]


def test_a_rolled_back_change_leaves_no_alert_and_no_outbox_row(ctx: AppContext) -> None:
    _seed_users(ctx)
    alert = _active_alert(ctx)

    def crash_before_commit() -> None:
        with transaction(ctx) as tx:
            tx.alerts.save(alert)
            tx.outbox.add(alert.id, 1, OutboxKind.PUBLISH, ctx.clock())
            raise RuntimeError("crash before commit")

    with pytest.raises(RuntimeError):
        crash_before_commit()
    with transaction(ctx) as tx:
        assert tx.session.scalar(select(func.count()).select_from(AlertRow)) == 0
        assert tx.session.scalar(select(func.count()).select_from(OutboxRow)) == 0
        assert tx.outbox.pending() == []


def test_outbox_items_are_pending_until_dispatched(ctx: AppContext) -> None:
    _seed_users(ctx)
    alert = _active_alert(ctx)
    with transaction(ctx) as tx:
        tx.alerts.save(alert)
        tx.outbox.add(alert.id, 1, OutboxKind.PUBLISH, ctx.clock())
    with transaction(ctx) as tx:
        [item] = tx.outbox.pending()
        assert (item.alert_id, item.version, item.kind) == (alert.id, 1, OutboxKind.PUBLISH)
        tx.outbox.mark_dispatched(item.id, ctx.clock())
    with transaction(ctx) as tx:
        assert tx.outbox.pending() == []
