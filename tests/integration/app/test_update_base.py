"""An update names the version it was based on (issue 8): refused once that is no longer the
current one, checked on the locked alert in the transaction that writes the change, so that two
updates from the same base never both publish. On SQLite and PostgreSQL; one test on PostgreSQL
alone shows the second update waiting on the row lock while the first holds it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select, text

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, transaction
from bluealert.domain.alert import Alert
from bluealert.errors import StaleVersion
from bluealert.store import audit
from bluealert.store.tables import OutboxRow
from tests.conftest import Clock
from tests.integration.app.conftest import active, drafted, seed_people


def _changed(alert: Alert, contact: str) -> Any:
    return alert.content.model_copy(update={"contact": contact})


def _update(ctx: AppContext, alert: Alert, contact: str, base: int, **extra: Any) -> Alert:
    return use_cases.update_alert(
        ctx,
        actor="tx.patel",
        key=alert.reference,
        content=_changed(alert, contact),
        note=contact,
        base=base,
        **extra,
    )


def _updates_sent(ctx: AppContext, alert: Alert) -> list[int]:
    with transaction(ctx) as tx:
        rows = tx.session.scalars(select(OutboxRow).where(OutboxRow.alert_id == alert.id))
        return [r.version for r in rows if r.kind == "update"]


def _audited(ctx: AppContext, alert: Alert) -> list[str]:
    with transaction(ctx) as tx:
        return [e.action for e in audit.events(tx.session, alert.id)]


def test_an_update_from_the_current_version_publishes(ctx: AppContext, clock: Clock) -> None:
    seed_people(ctx)
    alert = active(ctx)
    clock.advance(minutes=5)
    updated = _update(ctx, alert, "Call 911", base=1)
    assert [v.number for v in updated.versions] == [1, 2]
    assert updated.current.content.contact == "Call 911"


def test_an_update_from_an_earlier_version_is_refused_naming_the_current_one(
    ctx: AppContext, clock: Clock
) -> None:
    seed_people(ctx)
    alert = active(ctx)
    clock.advance(minutes=5)
    _update(ctx, alert, "Call 911", base=1)
    before = use_cases.get_alert(ctx, alert.reference)
    with pytest.raises(StaleVersion) as refused:
        _update(ctx, alert, "Call Texas DPS", base=1)
    assert (refused.value.field, refused.value.current) == ("base", 2)
    assert str(refused.value) == (
        f"base: {alert.reference} is at version 2 (written by tx.patel at "
        f"{clock.now.isoformat()}), not version 1 that this update was based on: read it again "
        "and base the update on version 2"
    )
    assert use_cases.get_alert(ctx, alert.reference) == before
    assert _updates_sent(ctx, alert) == [2]
    assert _audited(ctx, alert).count("alert.updated") == 1


def test_a_base_that_is_not_yet_a_version_is_refused(ctx: AppContext) -> None:
    seed_people(ctx)
    alert = active(ctx)
    with pytest.raises(StaleVersion, match="not version 2 that this update was based on"):
        _update(ctx, alert, "Call 911", base=2)
    assert _updates_sent(ctx, alert) == []


def test_a_draft_revised_from_its_version_and_refused_from_another(ctx: AppContext) -> None:
    seed_people(ctx)
    alert = drafted(ctx)
    revised = use_cases.update_alert(
        ctx,
        actor="dep.odell",
        key=alert.reference,
        content=_changed(alert, "Call 911"),
        note="",
        base=1,
    )
    assert (revised.current.number, revised.current.content.contact) == (1, "Call 911")
    with pytest.raises(StaleVersion, match="is at version 1"):
        use_cases.update_alert(
            ctx,
            actor="dep.odell",
            key=alert.reference,
            content=_changed(alert, "Call DPS"),
            note="",
            base=2,
        )


def test_updates_from_the_same_base_at_once_publish_exactly_one(ctx: AppContext) -> None:
    seed_people(ctx)
    alert = active(ctx)
    contacts = [f"Call 911, desk {n}" for n in range(4)]
    start = threading.Barrier(len(contacts))

    def run(contact: str) -> Alert | StaleVersion:
        start.wait()
        try:
            return _update(ctx, alert, contact, base=1)
        except StaleVersion as refused:
            return refused

    with ThreadPoolExecutor(len(contacts)) as pool:
        results = list(pool.map(run, contacts))
    won = [r for r in results if isinstance(r, Alert)]
    refused = [r for r in results if isinstance(r, StaleVersion)]
    assert (len(won), len(refused)) == (1, len(contacts) - 1)
    assert all(r.current == 2 for r in refused)
    stored = use_cases.get_alert(ctx, alert.reference)
    assert [v.number for v in stored.versions] == [1, 2]
    assert stored.current.content.contact == won[0].current.content.contact
    assert _updates_sent(ctx, alert) == [2]


def _wait_for_a_lock_waiter(ctx: AppContext, timeout: float = 20.0) -> None:
    """Until PostgreSQL shows a session of this database waiting on a lock, or fail."""
    deadline = time.monotonic() + timeout
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"
    )
    with ctx.engine.connect() as connection:
        while time.monotonic() < deadline:
            if connection.execute(query).scalar_one() > 0:
                return
            connection.rollback()
            time.sleep(0.02)
    raise AssertionError("the second update never waited on the first one's row lock")


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_on_postgresql_the_second_update_waits_on_the_row_lock_then_is_refused(
    ctx: AppContext,
) -> None:
    """Truly concurrent: the first update holds the locked alert, inside its transaction, until
    PostgreSQL shows the second waiting for the same row; then it publishes, and the second,
    from the same base, reads version 2 under the lock and is refused."""
    seed_people(ctx)
    alert = active(ctx)
    holding = threading.Event()

    def hold(_: Alert) -> None:
        holding.set()
        _wait_for_a_lock_waiter(ctx)

    def first() -> Alert:
        return _update(ctx, alert, "Call 911, desk A", base=1, precondition=hold)

    def second() -> Alert | StaleVersion:
        assert holding.wait(20)
        try:
            return _update(ctx, alert, "Call 911, desk B", base=1)
        except StaleVersion as refused:
            return refused

    calls: list[Callable[[], object]] = [first, second]
    with ThreadPoolExecutor(2) as pool:
        won, lost = (f.result() for f in [pool.submit(c) for c in calls])
    assert isinstance(won, Alert)
    assert won.current.number == 2
    assert isinstance(lost, StaleVersion)
    assert lost.current == 2
    stored = use_cases.get_alert(ctx, alert.reference)
    assert [v.number for v in stored.versions] == [1, 2]
    assert stored.current.content.contact == "Call 911, desk A"
    assert _updates_sent(ctx, alert) == [2]
