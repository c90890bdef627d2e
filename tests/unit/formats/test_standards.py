"""Details that outside readers and validators check: teletype addressing, GeoJSON per
RFC 7946, RSS enclosures, and text that reads cleanly where something was dropped."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from typing import Any

import pytest
import shapely
import shapely.geometry
import shapely.geometry.polygon
import shapely.validation
from lxml import etree

from bluealert.domain.alert import Alert, sample_alert
from bluealert.formats.context import RenderContext
from bluealert.formats.feeds.geojson import render_geojson, wound_rings
from bluealert.formats.feeds.rss import render_rss
from bluealert.formats.renderers import render
from bluealert.formats.teletype import compose_teletypes
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
CTX = RenderContext(now=NOW)
# A box across the Red River north of Wichita Falls: the river (about 34.0° N here) is the
# Texas-Oklahoma line.
RED_RIVER = [[33.8, -98.7], [33.8, -98.3], [34.3, -98.3], [34.3, -98.7], [33.8, -98.7]]
# 250 km around Memphis reaches Tennessee, Arkansas, Mississippi, Missouri, Kentucky,
# Illinois (Cairo, about 215 km) and Alabama (the Shoals, about 210 km).
MEMPHIS = {"lat": 35.15, "lon": -90.05, "radius_km": 250}


def _alert(**overrides: Any) -> Alert:
    return sample_alert(f.alert_content(NOW, **overrides), now=NOW, reference="TX-2026-0007")


def test_teletype_addresses_the_states_a_polygon_reaches() -> None:
    [message] = compose_teletypes(_alert(area={"counties": ["48485"], "polygons": [RED_RIVER]}))
    assert message.destinations == ["TX", "OK"]
    assert message.text.splitlines()[2] == "TX,OK"


def test_more_than_five_states_become_several_messages_not_a_refusal() -> None:
    messages = compose_teletypes(_alert(area={"circles": [MEMPHIS]}))
    reached = {"TN", "AR", "MS", "MO", "KY", "IL", "AL"}
    assert [m.destinations for m in messages] == [
        ["TX", "AL", "AR", "IL", "KY"],
        ["MO", "MS", "TN"],
    ]
    assert {s for m in messages for s in m.destinations} == reached | {"TX"}
    bodies = {tuple(m.text.splitlines()[3:]) for m in messages}
    assert len(bodies) == 1, "each group gets the same message"
    rendered = render("teletype", _alert(area={"circles": [MEMPHIS]}), CTX).decode()
    assert rendered.split("\n\n") == [m.text for m in messages]


def test_teletype_never_names_an_officer_officer() -> None:
    officers = [{"agency": dict(f.AGENCY), "status": "assaulted"}]
    [message] = compose_teletypes(_alert(kind="officer_assaulted_deadly_weapon", officers=officers))
    [line] = [line for line in message.text.splitlines() if line.startswith("OFFICER:")]
    assert line == "OFFICER: ASSAULTED, LONE PRAIRIE COUNTY SHERIFF'S OFFICE (FICTIONAL)"


def _signed_area(ring: list[list[float]]) -> float:
    """The shoelace formula: positive when the ring runs counter-clockwise (x east, y north)."""
    pairs = itertools.pairwise(ring)
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs) / 2


def _polygons_of(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon"
    return list(geometry["coordinates"])


def assert_rfc7946(geometry: dict[str, Any]) -> None:
    """Valid (shapely), every ring closed, exteriors counter-clockwise and holes clockwise
    (RFC 7946 §3.1.6, checked by our own arithmetic), longitudes within ±180° (§3.1.9)."""
    shape = shapely.geometry.shape(geometry)
    assert shape.is_valid, shapely.validation.explain_validity(shape)
    for polygon in _polygons_of(geometry):
        exterior, *holes = polygon
        assert all(ring[0] == ring[-1] for ring in polygon)
        assert _signed_area(exterior) > 0, "exterior ring runs clockwise"
        assert all(_signed_area(hole) < 0 for hole in holes), "hole runs counter-clockwise"
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in exterior)


def _geometry(**overrides: Any) -> dict[str, Any]:
    collection = json.loads(render_geojson([_alert(**overrides)], CTX))
    geometry: dict[str, Any] = collection["features"][0]["geometry"]
    return geometry


def test_geojson_merges_a_circle_and_a_polygon_into_one_valid_counter_clockwise_shape() -> None:
    circle = {"lat": 33.2, "lon": -97.1, "radius_km": 20}
    geometry = _geometry(area={"counties": ["48121"], "circles": [circle]})
    assert_rfc7946(geometry)
    assert geometry["type"] == "Polygon", "the circle lies inside the area's polygon: one shape"
    shape = shapely.geometry.shape(geometry)
    centre = shapely.geometry.Point(-97.1, 33.2)
    assert shape.contains(centre.buffer(0.15)), "the circle (20 km ≈ 0.18°) is inside"


def test_geojson_cuts_an_area_across_the_antimeridian_into_valid_pieces() -> None:
    adak = {"lat": 51.88, "lon": -176.66, "radius_km": 400}  # reaches past 180° (≈ 5.8° of lon)
    geometry = _geometry(plan="AK", area={"circles": [adak]})
    assert_rfc7946(geometry)
    assert geometry["type"] == "MultiPolygon"
    lons = [lon for polygon in _polygons_of(geometry) for lon, _ in polygon[0]]
    assert min(lons) == -180.0
    assert max(lons) == 180.0
    assert any(lon > 170 for lon in lons)


def test_geojson_winds_holes_clockwise() -> None:
    outer = shapely.geometry.box(-98, 32, -96, 34)
    hole = shapely.geometry.box(-97.5, 32.5, -96.5, 33.5)
    clockwise = shapely.geometry.polygon.orient(
        shapely.geometry.Polygon(outer.exterior, [hole.exterior]), sign=-1.0
    )
    rings = wound_rings(clockwise)
    assert_rfc7946({"type": "Polygon", "coordinates": rings})
    assert _signed_area(rings[0]) == pytest.approx(4.0)
    assert _signed_area(rings[1]) == pytest.approx(-1.0)


class AppendingSigner:
    """Stands in for the XML signer: the signed document is longer than the built one."""

    def sign(self, document: bytes) -> bytes:
        return document + b"<!-- " + b"s" * 1000 + b" -->\n"


@pytest.mark.parametrize("signer", [None, AppendingSigner()])
def test_rss_enclosures_give_the_length_of_the_cap_they_link(signer: Any) -> None:
    ctx = RenderContext(now=NOW, signer=signer)
    alert = _alert()
    served = render("cap", alert, ctx)  # what the enclosure's URL serves
    [item] = etree.fromstring(render_rss([alert], ctx)).iterfind("channel/item")
    enclosure = item.find("enclosure")
    assert enclosure is not None
    assert enclosure.get("url", "").endswith("/cap/BLU-TX-2026-0007-v1.xml")
    assert int(enclosure.get("length", "0")) == len(served)
    assert len(served) > 1000


def test_a_dropped_emoji_leaves_no_stray_space_in_teletype() -> None:
    suspect = {"name": "Jordan 🙂 Sample 🙂", "sex": "male", "clothing": "red 🧥 jacket"}
    [message] = compose_teletypes(_alert(suspects=[suspect], contact="Call 911 📞, or the sheriff"))
    lines = message.text.splitlines()
    assert "SUSPECT: JORDAN SAMPLE, MALE, RED JACKET" in lines
    assert "CONTACT: CALL 911, OR THE SHERIFF" in lines
    assert not [
        line for line in lines if " ," in line or "  " in line.lstrip() or line != line.rstrip()
    ]
