"""Matching exactly at the edges, on SQLite and PostgreSQL: ZIP centroids, radii measured on
the ground, counties almost covered, slivers, the antimeridian, coasts, and the SQL plan."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, text

from bluealert.app.context import AppContext
from bluealert.app.subscriptions import match_subscribers, subscribe
from bluealert.domain.content import AreaRequest
from bluealert.domain.subscription import Subscription
from bluealert.geo.counties import atlas, county
from bluealert.geo.projection import destination
from bluealert.geo.zips import zip_lookup
from bluealert.store.subscriptions import candidates_query
from bluealert.store.tables import SubscriptionCountyRow, SubscriptionRow

# A circle 1 km east of the Dallas/Tarrant line: 6% of it, 0.015% of Tarrant, is in Tarrant.
BY_TARRANT = AreaRequest(circles=[{"lat": 32.8, "lon": -97.0239, "radius_km": 1.3}])
IN_THE_TARRANT_SLIVER = (32.80057, -97.03615)
# Greeley County, Kansas is a rectangle; this polygon covers all of it but a 150 m strip on
# its west side (99.7% of it).
ALL_BUT_A_STRIP = AreaRequest(
    polygons=[
        [(38.2, -102.044), (38.75, -102.044), (38.75, -101.5), (38.2, -101.5), (38.2, -102.044)]
    ]
)
IN_THE_STRIP = (38.48, -102.045)
AMCHITKA = (51.51, 179.0)  # east of the antimeridian
ADAK = (51.88, -176.65)  # west of it
ATTU = (52.9, 173.1)


def _sub(ctx: AppContext, address: str, **place: Any) -> int:
    return subscribe(
        ctx, actor="test", subscription=Subscription(channel="mqtt", address=address, **place)
    )


def _point(ctx: AppContext, address: str, where: tuple[float, float], radius: float = 0) -> None:
    _sub(ctx, address, place_kind="point", lat=where[0], lon=where[1], radius_km=radius or None)


def _matched(ctx: AppContext, area: AreaRequest) -> set[str]:
    return {m.address for found in match_subscribers(ctx, area) for m in found}


def _circle(where: tuple[float, float], radius_km: float) -> AreaRequest:
    return AreaRequest(circles=[{"lat": where[0], "lon": where[1], "radius_km": radius_km}])


def test_a_zip_is_matched_at_its_centroid(ctx: AppContext) -> None:
    """A ZIP used to be stored without its centroid, so only an alert covering its whole
    county could reach it."""
    _sub(ctx, "zip-75201", place_kind="zip", place="75201")
    centroid = zip_lookup("75201")
    assert _matched(ctx, _circle((centroid.lat, centroid.lon), 3)) == {"zip-75201"}
    elsewhere = destination(centroid.lat, centroid.lon, 180, 20)
    assert _matched(ctx, _circle(elsewhere, 3)) == set()


def test_a_radius_is_measured_on_the_ground_north_and_south(ctx: AppContext) -> None:
    """The distance used to be taken as if every degree were a degree of longitude: a 10 km
    radius 11 km north of Anchorage reached it."""
    box = [(61.15, -149.95), (61.20, -149.95), (61.20, -149.85), (61.15, -149.85)]
    area = AreaRequest(polygons=[[*box, box[0]]])
    north_edge = (61.20, -149.90)
    _point(ctx, "reaches", destination(*north_edge, 0, 9.9), 10)
    _point(ctx, "short", destination(*north_edge, 0, 10.2), 10)
    _point(ctx, "east-reaches", destination(61.175, -149.85, 90, 9.9), 10)
    _point(ctx, "east-short", destination(61.175, -149.85, 90, 10.2), 10)
    assert _matched(ctx, area) == {"reaches", "east-reaches"}


def test_a_county_almost_covered_is_still_refined(ctx: AppContext) -> None:
    """99.7% used to count as whole, matching every point in the county."""
    _point(ctx, "in-the-strip", IN_THE_STRIP)
    _point(ctx, "covered", (38.48, -101.8))
    _sub(ctx, "greeley", place_kind="county", place="20071")
    assert _matched(ctx, ALL_BUT_A_STRIP) == {"covered", "greeley"}


def test_a_subscriber_in_a_sliver_of_a_county_is_found(ctx: AppContext) -> None:
    """Counties under 0.05% covered used to be left out of the lookup altogether."""
    _point(ctx, "in-the-sliver", IN_THE_TARRANT_SLIVER)
    _sub(ctx, "tarrant", place_kind="county", place="48439")
    assert _matched(ctx, BY_TARRANT) == {"in-the-sliver", "tarrant"}


def test_across_the_antimeridian(ctx: AppContext) -> None:
    _point(ctx, "amchitka", AMCHITKA)
    _point(ctx, "adak", ADAK)
    _point(ctx, "attu", ATTU)
    ring = [(51.0, 178.5), (52.0, 178.5), (52.0, -179.5), (51.0, -179.5), (51.0, 178.5)]
    _sub(ctx, "polygon-across", place_kind="polygon", polygon=ring)
    far = [(52.7, 172.5), (53.1, 172.5), (53.1, 173.5), (52.7, 173.5), (52.7, 172.5)]
    _sub(ctx, "polygon-at-attu", place_kind="polygon", polygon=far)
    assert _matched(ctx, _circle((51.7, 179.8), 150)) == {"amchitka", "polygon-across"}
    assert _matched(ctx, _circle(ATTU, 20)) == {"attu", "polygon-at-attu"}
    assert len(_matched(ctx, AreaRequest(counties=["02016"]))) == 5


def test_a_subscriber_on_the_beach_is_taken(ctx: AppContext) -> None:
    """The 1:10m coastline leaves Waikiki in the water: the subscription used to be refused."""
    _point(ctx, "waikiki", (21.276, -157.827))
    assert _matched(ctx, AreaRequest(counties=["15003"])) == {"waikiki"}
    assert _matched(ctx, _circle((21.28, -157.83), 2)) == {"waikiki"}
    assert _matched(ctx, AreaRequest(counties=["15001"])) == set()


def test_a_point_on_a_county_line_belongs_to_both(ctx: AppContext) -> None:
    border = county("48113").geometry.intersection(county("48439").geometry)
    lon, lat = border.coords[0] if hasattr(border, "coords") else border.geoms[0].coords[0]
    _point(ctx, "on-the-line", (lat, lon))
    assert _matched(ctx, AreaRequest(counties=["48439"])) == {"on-the-line"}
    assert _matched(ctx, AreaRequest(counties=["48113"])) == {"on-the-line"}


def _fill(ctx: AppContext, count: int) -> list[str]:
    fips = list(atlas().counties)
    now = datetime(2026, 11, 24, tzinfo=UTC)
    rows = [
        {"id": i + 1, "channel": "email", "address": f"s{i}", "place_kind": "point", "place": ""}
        | {"lat": 32.0, "lon": -96.0, "radius_km": None, "polygon": None, "created_at": now}
        for i in range(count)
    ]
    with ctx.engine.begin() as connection:
        connection.execute(insert(SubscriptionRow), rows)
        connection.execute(
            insert(SubscriptionCountyRow),
            [
                {"county_fips": fips[i % len(fips)], "subscription_id": i + 1, "partial": True}
                for i in range(count)
            ],
        )
        connection.execute(text("ANALYZE"))
    return fips


def test_the_lookup_is_an_index_search(ctx: AppContext) -> None:
    """As the repository runs it: on PostgreSQL through a cursor (yield_per), whose plan is made
    for the first rows; a GROUP BY in the outer query made that a walk of the whole table."""
    fips = _fill(ctx, 20_000)
    query = candidates_query(fips[:20], fips[:5])
    sql = str(query.compile(ctx.engine, compile_kwargs={"literal_binds": True}))
    sqlite = ctx.engine.dialect.name == "sqlite"
    explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN DECLARE candidates CURSOR FOR "
    with ctx.engine.begin() as connection:
        plan = "\n".join(
            str(row[-1] if sqlite else row[0]) for row in connection.exec_driver_sql(explain + sql)
        )
    if sqlite:
        assert "SEARCH subscription_counties USING INDEX" in plan, plan
        assert "SEARCH subscriptions USING INTEGER PRIMARY KEY" in plan, plan
    else:
        # At this size the subscriptions side may be a hash join; bench/geo.py shows the
        # primary-key probe at 10 million.
        assert "Index Scan on pk_subscription_counties" in plan, plan
        assert "Seq Scan on subscription_counties" not in plan, plan
        assert "ix_subscription_counties_subscription" not in plan, plan
