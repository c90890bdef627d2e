"""Known facts of US geography, areas that never under-cover, and the travel envelope."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from shapely.geometry import Point, Polygon

from bluealert.domain.content import AreaRequest
from bluealert.domain.jurisdictions import JURISDICTIONS
from bluealert.errors import InvalidGeometry, InvalidInput, NotFound
from bluealert.geo.areas import area_geometry, forget_normalised_areas, normalise_area
from bluealert.geo.counties import atlas, counties_in_state, county, neighbours, state_neighbours
from bluealert.geo.envelope import parse_heading, travel_envelope
from bluealert.geo.projection import area_km2
from bluealert.geo.zips import zip_lookup

DALLAS = (32.7767, -96.7970)
T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def test_dallas_county_is_48113_and_borders_tarrant() -> None:
    dallas = county("48113")
    assert (dallas.name, dallas.state, dallas.same) == ("Dallas", "TX", "048113")
    assert "48439" in neighbours("48113")
    assert county("48439").name == "Tarrant"


def test_every_state_and_territory_has_counties_and_the_atlas_is_complete() -> None:
    data = atlas()
    assert len(data.counties) == 3231
    assert {c.state for c in data.counties.values()} == set(JURISDICTIONS)
    assert len(counties_in_state("TX")) == 254
    assert all(c.geometry.is_valid and not c.geometry.is_empty for c in data.counties.values())


def test_the_county_without_geometry_at_this_scale_is_kept_approximately() -> None:
    falls_church = county("51610")
    assert falls_church.approximate
    assert falls_church.geometry.area > 0
    touched = [c.county.fips for c in normalise_area(AreaRequest(counties=["51610"])).counties]
    assert touched[0] == "51610"  # the square may reach into Arlington and Fairfax: never less
    assert set(touched) <= {"51610", *neighbours("51610")}


def test_state_adjacency() -> None:
    assert state_neighbours("TX") == ["AR", "LA", "NM", "OK"]
    assert state_neighbours("HI") == []


def test_a_50_km_circle_around_downtown_dallas() -> None:
    area = normalise_area(
        AreaRequest(circles=[{"lat": DALLAS[0], "lon": DALLAS[1], "radius_km": 50}])
    )
    names = sorted(s.county.name for s in area.counties)
    assert names == [
        "Collin",
        "Dallas",
        "Denton",
        "Ellis",
        "Hunt",
        "Johnson",
        "Kaufman",
        "Rockwall",
        "Tarrant",
    ]
    assert area.area_km2 == pytest.approx(3.14159 * 50**2, rel=0.01)
    assert [s.share for s in area.counties if s.county.name == "Dallas"] == [1.0]


def test_descriptions_read_like_people_write() -> None:
    area = normalise_area(AreaRequest(counties=["48113", "48439", "48085"]))
    assert area.description == "Collin, Dallas and Tarrant counties, Texas"
    two = normalise_area(AreaRequest(counties=["48113", "40013"]))
    assert two.description == "Bryan County, Oklahoma; Dallas County, Texas"


def test_whole_states_become_state_codes() -> None:
    area = normalise_area(AreaRequest(states=["RI"], counties=["09001"]))
    assert list(area.same_codes) == ["009001", "044000"]
    all_of_delaware = [c.fips for c in counties_in_state("DE")]
    assert list(normalise_area(AreaRequest(counties=all_of_delaware)).same_codes) == ["010000"]


def _contains(area: Any) -> bool:
    """Whether the WEA polygons together cover the area (compared in the geo layer's frame)."""
    from shapely import unary_union
    from shapely.geometry import Polygon

    from bluealert.geo.frame import geometry_to_frame

    rings = [Polygon([(lon, lat) for lat, lon in ring]) for ring in area.wea_polygons]
    return bool(geometry_to_frame(unary_union(rings)).covers(area.geometry))


TEXAS_COUNTIES = [c.fips for c in counties_in_state("TX")]
# Centres inside real counties of every state and territory (the Aleutians and Guam too): a
# random lat/lon can fall in the Gulf or in Mexico, which the product rightly refuses.
COUNTY_CENTRES = [c.centroid for c in atlas().counties.values()]
circles = st.builds(
    lambda centre, r: {"lat": centre[0], "lon": centre[1], "radius_km": r},
    st.sampled_from(COUNTY_CENTRES),
    st.floats(0.5, 400),
)
county_sets = st.lists(st.sampled_from(TEXAS_COUNTIES), min_size=1, max_size=40, unique=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(circles, max_size=2), county_sets | st.just([]))
def test_the_wea_polygon_always_contains_the_area(
    circle_list: list[dict[str, float]], counties: list[str]
) -> None:
    if not circle_list and not counties:
        counties = ["48113"]
    area = normalise_area(AreaRequest(circles=circle_list, counties=counties))
    assert len(area.wea_polygon) - 1 <= 100
    assert area.wea_polygon[0] == area.wea_polygon[-1]
    assert _contains(area)
    assert area.overshoot >= -1e-6


@pytest.mark.parametrize(
    ("area", "field", "words"),
    [
        (
            {"polygons": [[(33, -97), (33.5, -96), (33, -96), (33.5, -97), (33, -97)]]},
            "area.polygons.0",
            "Self-intersection",
        ),
        (
            {"polygons": [[(33, -97), (33.5, -97), (33.5, -96.5), (33.2, -96.9)]]},
            "area.polygons.0",
            "ring not closed",
        ),
        ({"polygons": [[(33, -97), (33.5, -97), (33, -97)]]}, "area.polygons.0", "at least 4"),
        (
            {"polygons": [[(10, 10), (10, 11), (11, 11), (10, 10)]]},
            "area.polygons.0",
            "outside the United States",
        ),
        ({"circles": [{"lat": 0, "lon": 0, "radius_km": 10}]}, "area.circles.0", "outside"),
        (
            {"circles": [{"lat": 40, "lon": -100, "radius_km": 1900}]},
            "area.circles.0",
            "surely a mistake",
        ),
        ({"counties": ["99999"]}, "area.counties.0", "no county"),
    ],
)
def test_bad_geometry_gets_a_clear_error(area: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(InvalidGeometry) as raised:
        normalise_area(AreaRequest.model_validate(area))
    assert raised.value.field == field
    assert words in raised.value.message


def test_swapped_coordinates_and_empty_areas_are_named() -> None:
    with pytest.raises(ValidationError, match="look like lon,lat"):
        AreaRequest.model_validate(
            {"polygons": [[(-97, 33), (-97, 33.5), (-96.5, 33.5), (-97, 33)]]}
        )
    with pytest.raises(ValidationError, match="at least one county"):
        AreaRequest.model_validate({})


def test_zip_codes() -> None:
    found = zip_lookup("75201")
    assert (found.county.fips, found.city) == ("48113", "Dallas")
    with pytest.raises(InvalidInput):
        zip_lookup("7520")
    with pytest.raises(NotFound):
        zip_lookup("00000")


def _envelope(
    minutes: float, heading: float | None = None, lat: float = DALLAS[0], lon: float = DALLAS[1]
) -> Any:
    return travel_envelope(
        lat=lat, lon=lon, seen_at=T0, at=T0 + timedelta(minutes=minutes), heading=heading
    )


def test_the_envelope_grows_with_time() -> None:
    sizes = [area_km2(_envelope(m).geometry) for m in (10, 30, 60, 120)]
    assert sizes == sorted(sizes)
    assert sizes[-1] > 10 * sizes[0]
    assert _envelope(60).radius_km == pytest.approx(65 * 1.609344)


def test_the_envelope_bends_with_heading() -> None:
    north, south = _envelope(60, heading=0).geometry, _envelope(60, heading=180).geometry
    assert north.centroid.y > DALLAS[0] > south.centroid.y
    assert area_km2(north) < area_km2(_envelope(60).geometry)


def test_an_envelope_near_a_state_line_flags_the_neighbour() -> None:
    near_red_river = _envelope(30, heading=0, lat=33.6, lon=-97.15)  # Gainesville, TX
    assert "OK" in near_red_river.flagged_states
    assert "TX" not in near_red_river.flagged_states
    assert _envelope(5).flagged_states == []


@pytest.mark.parametrize(
    ("text", "bearing"),
    [
        ("northbound", 0),
        ("NB", 0),
        ("SW", 225),
        ("south-east", 135),
        ("westbound", 270),
        ("90", 90),
        (None, None),
    ],
)
def test_headings_in_words_or_degrees(text: str | None, bearing: float | None) -> None:
    assert parse_heading(text) == bearing


def test_bad_envelope_input_is_named() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_heading("upwards")
    assert raised.value.field == "heading"
    with pytest.raises(InvalidInput) as raised:
        travel_envelope(lat=DALLAS[0], lon=DALLAS[1], seen_at=T0, at=T0 - timedelta(hours=1))
    assert raised.value.field == "at"
    with pytest.raises(InvalidGeometry):
        travel_envelope(lat=0, lon=0, seen_at=T0, at=T0)


def test_a_normalised_area_is_shared_and_nothing_in_it_can_be_changed() -> None:
    request = AreaRequest(
        counties=["48113"], circles=[{"lat": 32.78, "lon": -96.8, "radius_km": 30}]
    )
    area = normalise_area(request)
    assert normalise_area(request) is area  # remembered: the next caller gets this one
    with pytest.raises(FrozenInstanceError):
        area.same_codes = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        area.same_codes.append("048439")  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        area.counties.clear()  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        area.wea_polygons[0][0] = (0.0, 0.0)  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        area.counties[0].share = 0.5  # type: ignore[misc]
    forget_normalised_areas()
    fresh = normalise_area(request)
    assert fresh is not area
    assert (fresh.same_codes, fresh.counties, fresh.wea_polygons) == (
        area.same_codes,
        area.counties,
        area.wea_polygons,
    )


def test_the_area_geometry_is_the_union_of_what_is_named_and_drawn() -> None:
    circle = {"lat": 32.78, "lon": -96.8, "radius_km": 30}
    request = AreaRequest(counties=["48439"], circles=[circle])  # Tarrant, and a circle on Dallas
    geometry = area_geometry(request)
    assert county("48439").geometry.difference(geometry).area < 1e-9  # all of Tarrant
    assert geometry.contains(Point(-96.8, 32.78))
    assert geometry.equals(normalise_area(request).geometry)
    named_only = area_geometry(AreaRequest(counties=["48439"]))
    assert named_only.symmetric_difference(county("48439").geometry).area < 1e-9


def test_a_named_county_is_covered_whole() -> None:
    [share] = normalise_area(AreaRequest(counties=["48113"])).counties
    assert (share.county.fips, share.share, share.covered) == ("48113", 1.0, True)


def test_a_state_is_whole_only_when_every_county_is_covered() -> None:
    # Kent and Sussex named, New Castle only reached by a small circle: not all of Delaware.
    circle = {"lat": 39.58, "lon": -75.6, "radius_km": 3}
    area = normalise_area(AreaRequest(counties=["10001", "10005"], circles=[circle]))
    assert "010000" not in area.same_codes
    assert {"010001", "010003", "010005"} <= set(area.same_codes)


def test_the_largest_wea_polygon_comes_first() -> None:
    area = normalise_area(AreaRequest(counties=["02016"]))  # Aleutians West: two polygons
    sizes = [Polygon([(lon, lat) for lat, lon in ring]).area for ring in area.wea_polygons]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] > sizes[1]
