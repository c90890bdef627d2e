"""Subscribers matched by county sets and refined exactly at the edges, on both databases."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from pydantic import ValidationError

from bluealert.app.context import AppContext
from bluealert.app.subscriptions import match_subscribers, subscribe, unsubscribe
from bluealert.domain.content import AreaRequest
from bluealert.domain.subscription import Subscription
from bluealert.errors import InvalidGeometry, NotFound
from bluealert.geo.projection import destination

DALLAS = (32.7767, -96.7970)
CIRCLE_50 = AreaRequest(circles=[{"lat": DALLAS[0], "lon": DALLAS[1], "radius_km": 50}])


def _sub(ctx: AppContext, address: str, **place: Any) -> int:
    return subscribe(
        ctx, actor="test", subscription=Subscription(channel="mqtt", address=address, **place)
    )


def _matched(ctx: AppContext, area: AreaRequest, batch: int = 5000) -> set[str]:
    return {m.address for found in match_subscribers(ctx, area, batch) for m in found}


def test_each_kind_of_subscription_at_the_edges(ctx: AppContext) -> None:
    inside = destination(*DALLAS, 90, 48)
    outside = destination(*DALLAS, 90, 53)
    _sub(ctx, "point-inside", place_kind="point", lat=inside[0], lon=inside[1])
    _sub(ctx, "point-outside", place_kind="point", lat=outside[0], lon=outside[1])
    _sub(ctx, "radius-reaching", place_kind="point", lat=outside[0], lon=outside[1], radius_km=5)
    _sub(ctx, "zip-dallas", place_kind="zip", place="75201")
    _sub(ctx, "county-collin", place_kind="county", place="48085")
    _sub(ctx, "county-far", place_kind="county", place="48141")  # El Paso
    _sub(ctx, "state-oklahoma", place_kind="state", place="OK")
    _sub(ctx, "state-texas", place_kind="state", place="TX")
    _sub(
        ctx,
        "polygon-overlapping",
        place_kind="polygon",
        polygon=[(33.1, -96.5), (33.4, -96.5), (33.4, -96.2), (33.1, -96.2), (33.1, -96.5)],
    )
    _sub(
        ctx,
        "polygon-apart",
        place_kind="polygon",
        polygon=[(33.5, -96.0), (33.7, -96.0), (33.7, -95.8), (33.5, -95.8), (33.5, -96.0)],
    )
    assert _matched(ctx, CIRCLE_50) == {
        "point-inside",
        "radius-reaching",
        "zip-dallas",
        "county-collin",
        "state-texas",
        "polygon-overlapping",
    }


def test_a_county_alert_matches_a_zip_inside_it(ctx: AppContext) -> None:
    _sub(ctx, "zip-dallas", place_kind="zip", place="75201")
    _sub(ctx, "zip-austin", place_kind="zip", place="78701")
    assert _matched(ctx, AreaRequest(counties=["48113"])) == {"zip-dallas"}


def test_matching_streams_in_bounded_batches_each_subscription_once(ctx: AppContext) -> None:
    _sub(ctx, "texas", place_kind="state", place="TX")
    for n in range(12):
        point = destination(*DALLAS, 30 * n, 10)
        _sub(ctx, f"p{n}", place_kind="point", lat=point[0], lon=point[1], radius_km=30)
    stream = match_subscribers(ctx, CIRCLE_50, batch=4)
    assert inspect.isgenerator(stream)
    batches = list(stream)
    assert all(len(b) <= 4 for b in batches)
    addresses = [m.address for b in batches for m in b]
    assert sorted(addresses) == sorted({"texas", *(f"p{n}" for n in range(12))})


def test_unsubscribing_and_bad_places(ctx: AppContext) -> None:
    gone = _sub(ctx, "gone", place_kind="county", place="48113")
    unsubscribe(ctx, actor="test", subscription_id=gone)
    assert _matched(ctx, AreaRequest(counties=["48113"])) == set()
    with pytest.raises(NotFound):
        unsubscribe(ctx, actor="test", subscription_id=gone)
    with pytest.raises(InvalidGeometry):
        _sub(ctx, "nowhere", place_kind="county", place="99999")
    with pytest.raises(InvalidGeometry):
        _sub(ctx, "sea", place_kind="point", lat=0.0, lon=0.0)
    with pytest.raises(ValidationError, match="names its zip"):
        Subscription(channel="email", address="x", place_kind="zip")
