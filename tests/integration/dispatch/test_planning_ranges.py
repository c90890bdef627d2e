"""Planning subscribers a range of ids per committed transaction, on both databases: everyone
inside the area once, however the ids are spread and however many counties the area has; the
ranges handed to the queue as they commit; a plan cut short goes on after its last range."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select, update

from bluealert.app.context import AppContext, transaction
from bluealert.dispatch import planner
from bluealert.dispatch.planner import plan_item
from bluealert.domain.delivery import Event, idempotency_key
from bluealert.store.tables import DeliveryRow, OutboxRow, SubscriptionCountyRow, SubscriptionRow
from tests.integration.dispatch.conftest import approved, subscriber

AREA = ["48113", "48085", "48439"]  # Dallas, Collin, Tarrant
HARRIS = "48201"  # outside the area


def _add(ctx: AppContext, n: int, counties: list[str], *, confirmed: bool = True) -> None:
    now = datetime.now(UTC)
    row = {"id": n, "channel": "webhook", "address": f"http://127.0.0.1:9/{n}",
           "place_kind": "county", "place": counties[0], "language": "en", "created_at": now,
           "confirmed_at": now if confirmed else None, "unsubscribe_token": f"t{n}"}  # fmt: skip
    with transaction(ctx) as tx:
        tx.session.execute(insert(SubscriptionRow), [row])
        reach = [{"county_fips": c, "subscription_id": n, "partial": False} for c in counties]
        tx.session.execute(insert(SubscriptionCountyRow), reach)


def _population(ctx: AppContext) -> set[str]:
    """Subscribers spread over the area's three counties with gaps and a clump in the ids,
    some outside the area or unconfirmed; the recipients that must be planned."""
    expected = set()
    ids = [*range(1, 12), *range(40, 44), 1_000, 1_001, 250_000, *range(250_010, 250_030)]
    for i, n in enumerate(ids):
        _add(ctx, n, [AREA[i % 3]])
        expected.add(f"s{n}")
    _add(ctx, 12, [AREA[0], AREA[2]])  # reaches two of the counties: planned once
    _add(ctx, 13, [HARRIS])
    _add(ctx, 14, [AREA[1]], confirmed=False)
    _add(ctx, 300_000, [HARRIS])  # the highest id, outside the area
    return expected | {"s12"}


def _planned(ctx: AppContext) -> Counter[str]:
    with transaction(ctx) as tx:
        return Counter(tx.session.scalars(select(DeliveryRow.recipient)))


@pytest.fixture
def small_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planner, "CHUNK", 4)  # many ranges from a few subscribers


@pytest.mark.usefixtures("small_ranges")
def test_every_subscriber_inside_the_area_is_planned_once_range_by_range(
    dctx: AppContext,
) -> None:
    expected = _population(dctx)
    approved(dctx, area={"counties": AREA})
    with transaction(dctx) as tx:
        [item] = tx.outbox.pending()
    handed: list[dict[str, list[int]]] = []
    plan = plan_item(dctx, item.id, enqueue=handed.append)
    assert plan is not None
    assert plan.subscribers == len(expected)
    planned = _planned(dctx)
    assert set(planned) == expected
    assert set(planned.values()) == {1}
    assert len(handed) > 5  # range by range, as each committed
    with transaction(dctx) as tx:
        rows = tx.session.execute(select(DeliveryRow.id, DeliveryRow.queued_at)).all()
        done = tx.session.get(OutboxRow, item.id)
        assert done is not None
        assert done.dispatched_at is not None
    assert sorted(i for page in handed for ids in page.values() for i in ids) == sorted(
        i for i, _ in rows
    )
    assert all(queued is not None for _, queued in rows)  # marked queued: no second put


@pytest.mark.usefixtures("small_ranges")
def test_a_plan_cut_short_goes_on_after_its_last_committed_range(dctx: AppContext) -> None:
    expected = _population(dctx)
    approved(dctx, area={"counties": AREA})
    with transaction(dctx) as tx:
        [item] = tx.outbox.pending()
    pages = 0

    def killed_at_the_third_range(page: dict[str, list[int]]) -> None:
        nonlocal pages
        pages += 1  # no partners: every page is a range of subscribers
        if pages == 3:
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        plan_item(dctx, item.id, enqueue=killed_at_the_third_range)
    first = _planned(dctx)
    with transaction(dctx) as tx:
        cut = tx.session.get(OutboxRow, item.id)
        assert cut is not None
        assert cut.dispatched_at is None
        assert cut.planned_through > 0
    again = plan_item(dctx, item.id)
    assert again is not None
    assert 0 < again.subscribers < len(expected)  # went on, did not start over
    planned = _planned(dctx)
    assert set(planned) == expected
    assert set(planned.values()) == {1}
    assert set(first) < set(planned)


def test_the_database_plans_the_sure_subscribers_as_the_planner_plans_those_at_the_edges(
    dctx: AppContext,
) -> None:
    """Subscribers surely inside (a county reached whole) are planned by INSERT … SELECT, those
    at the area's edge (a point in a county the area only touches) by the planner after the
    shapes are compared: the receipts of both are alike but for the recipient."""
    whole = subscriber(dctx, "http://127.0.0.1:9/whole")
    mailed = subscriber(dctx, "alerts@example.org", "email", place_kind="county",
                        place="48113", language="es")  # fmt: skip
    edge = subscriber(dctx, "http://127.0.0.1:9/edge", place_kind="point", lat=32.78,
                      lon=-96.80)  # fmt: skip
    subscriber(dctx, "http://127.0.0.1:9/far", place_kind="point", lat=32.95, lon=-96.45)
    _add(dctx, 9_000, ["48113"], confirmed=False)
    approved(dctx, area={"circles": [{"lat": 32.78, "lon": -96.80, "radius_km": 10}]})
    with transaction(dctx) as tx:
        [item] = tx.outbox.pending()
    handed: list[dict[str, list[int]]] = []
    plan = plan_item(dctx, item.id, enqueue=handed.append)
    assert plan is not None
    assert plan.subscribers == 3
    with transaction(dctx) as tx:
        rows = {r.recipient: r for r in tx.session.scalars(select(DeliveryRow))}
    assert set(rows) == {f"s{whole}", f"s{mailed}", f"s{edge}"}
    assert {(r.channel, r.address, r.language) for r in rows.values()} == {
        ("webhook", "http://127.0.0.1:9/whole", "en"),
        ("email", "alerts@example.org", "es"),
        ("webhook", "http://127.0.0.1:9/edge", "en"),
    }
    for r in rows.values():
        event = Event(r.event)
        assert r.key == idempotency_key(r.alert_id, r.version, event, r.recipient, r.channel)
    alike = ["alert_id", "version", "event", "tier", "state", "priority", "attempts",
             "announced_at", "detail", "lease_until", "sent_at", "next_attempt_at"]  # fmt: skip
    at_edge = rows[f"s{edge}"]
    for r in rows.values():
        assert [getattr(r, name) for name in alike] == [getattr(at_edge, name) for name in alike]
        assert r.queued_at is not None
        assert r.planned_at is not None
    assert at_edge.tier == "public"
    assert at_edge.priority == 1
    assert at_edge.state == "planned"
    assert sorted(i for page in handed for ids in page.values() for i in ids) == sorted(
        r.id for r in rows.values()
    )
    # Planning the range again makes no second receipt, by either way.
    with transaction(dctx) as tx:
        tx.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == item.id)
            .values(planned_through=0, dispatched_at=None)
        )
    again = plan_item(dctx, item.id)
    assert again is not None
    assert again.subscribers == 0
    assert _planned(dctx) == Counter(list(rows))
