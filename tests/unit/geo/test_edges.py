"""Edge geography: the antimeridian, Alaska, Hawaii and the territories, independent cities,
the county without a shape, tiny areas and slivers, and the polygons people get wrong."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from shapely import unary_union
from shapely.geometry import Polygon

from bluealert.domain.content import AreaRequest
from bluealert.domain.jurisdictions import jurisdiction
from bluealert.errors import InvalidGeometry
from bluealert.geo.areas import NormalisedArea, normalise_area
from bluealert.geo.counties import atlas, county
from bluealert.geo.frame import to_frame
from bluealert.geo.projection import area_km2, destination

ADAK = (51.88, -176.65)
ATTU = (52.9, 173.1)
# A circle 1 km east of the Dallas/Tarrant line with a 1.3 km radius: 6% of it is in Tarrant,
# which is 0.015% of Tarrant.
BY_TARRANT = {"lat": 32.8, "lon": -97.0239, "radius_km": 1.3}


def _normalised(**area: Any) -> NormalisedArea:
    return normalise_area(AreaRequest.model_validate(area))


def _framed(ring: list[tuple[float, float]]) -> Polygon:
    return Polygon([(to_frame(lon), lat) for lat, lon in ring])


def _assert_sane_wea(area: NormalisedArea) -> None:
    """Closed rings of at most 100 vertices in all, each within ±180° and none spanning the
    world, that together contain the area."""
    assert sum(len(ring) - 1 for ring in area.wea_polygons) <= 100
    for ring in area.wea_polygons:
        lons = [lon for _, lon in ring]
        assert ring[0] == ring[-1]
        assert all(-180 <= lon <= 180 for lon in lons)
        assert max(lons) - min(lons) < 180
    assert unary_union([_framed(r) for r in area.wea_polygons]).covers(area.geometry)


def test_aleutians_west_crosses_the_antimeridian_without_spanning_the_world() -> None:
    area = _normalised(counties=["02016"])
    _assert_sane_wea(area)
    assert len(area.wea_polygons) == 2
    assert list(area.same_codes) == ["002016"]
    assert area.description == "Aleutians West Census Area, Alaska"
    assert 10_000 < area.area_km2 < 14_000


def test_all_of_alaska() -> None:
    area = _normalised(states=["AK"])
    _assert_sane_wea(area)
    assert list(area.same_codes) == ["002000"]
    assert area.description == "Alaska"
    assert 1_400_000 < area.area_km2 < 1_800_000
    assert area.overshoot > 0


@pytest.mark.parametrize("state", ["AK", "HI", "PR", "VI", "GU", "AS", "MP", "DC"])
def test_every_non_contiguous_jurisdiction_is_a_state_area(state: str) -> None:
    area = _normalised(states=[state])
    _assert_sane_wea(area)
    assert list(area.same_codes) == [f"0{jurisdiction(state).fips}000"]
    assert area.description == jurisdiction(state).name


@pytest.mark.parametrize(
    ("fips", "same", "description"),
    [
        ("15003", "015003", "Honolulu County, Hawaii"),
        ("72127", "072127", "San Juan Municipio, Puerto Rico"),
        ("78030", "078030", "St. Thomas Island, U.S. Virgin Islands"),
        ("66010", "066000", "Guam"),
        ("60010", "060010", "Eastern District, American Samoa"),
        ("69110", "069110", "Saipan Municipality, Northern Mariana Islands"),
        ("02020", "002020", "Anchorage Municipality, Alaska"),
        ("02110", "002110", "Juneau City and Borough, Alaska"),
        ("22071", "022071", "Orleans Parish, Louisiana"),
    ],
)
def test_county_areas_beyond_the_lower_48(fips: str, same: str, description: str) -> None:
    area = _normalised(counties=[fips])
    _assert_sane_wea(area)
    assert list(area.same_codes) == [same]
    assert area.description == description


@pytest.mark.parametrize(
    ("centre", "radius", "fips"),
    [
        (ADAK, 400, "02016"),
        (ATTU, 50, "02016"),
        ((21.3, -157.85), 20, "15003"),
        ((18.45, -66.1), 20, "72127"),
        ((18.34, -64.93), 5, "78030"),
        ((13.45, 144.78), 20, "66010"),
        ((-14.28, -170.7), 10, "60010"),
        ((15.2, 145.75), 5, "69110"),
    ],
)
def test_circles_beyond_the_lower_48(centre: tuple[float, float], radius: float, fips: str) -> None:
    area = _normalised(circles=[{"lat": centre[0], "lon": centre[1], "radius_km": radius}])
    _assert_sane_wea(area)
    assert fips in [s.county.fips for s in area.counties]
    assert area.area_km2 == pytest.approx(3.14159 * radius**2, rel=0.01)


def test_a_circle_across_the_antimeridian_is_one_circle() -> None:
    area = _normalised(circles=[{"lat": ADAK[0], "lon": ADAK[1], "radius_km": 400}])
    assert len(area.wea_polygons) == 2
    assert area.overshoot < 0.01


def test_a_polygon_drawn_across_the_antimeridian_is_the_small_shape() -> None:
    ring = [(51.5, 179.0), (52.5, 179.0), (52.5, -179.0), (51.5, -179.0), (51.5, 179.0)]
    area = _normalised(polygons=[ring])
    _assert_sane_wea(area)
    assert list(area.same_codes) == ["002016"]
    assert area.geometry.bounds[2] - area.geometry.bounds[0] == pytest.approx(2.0)


def test_guam_and_hawaii_together_stay_in_the_pacific() -> None:
    area = _normalised(states=["GU", "HI"])
    _assert_sane_wea(area)
    assert list(area.same_codes) == ["015000", "066000"]


def test_a_county_centroid_is_in_ordinary_degrees() -> None:
    lat, lon = county("66010").centroid
    assert 13 < lat < 14
    assert 144 < lon < 145


@pytest.mark.parametrize(
    ("counties", "description"),
    [
        (["24510"], "the city of Baltimore, Maryland"),
        (["24005"], "Baltimore County, Maryland"),
        (["29510"], "the city of St. Louis, Missouri"),
        (["51760", "51087"], "Henrico County and the city of Richmond, Virginia"),
        (["51059", "51600"], "Fairfax County and the city of Fairfax, Virginia"),
        (["51610", "51510"], "the cities of Alexandria and Falls Church, Virginia"),
        (["32510"], "Carson City, Nevada"),
    ],
)
def test_independent_cities_are_not_called_counties(counties: list[str], description: str) -> None:
    assert _normalised(counties=counties).description == description


def test_many_places_of_mixed_kinds_are_summed_up() -> None:
    cities = [f"51{n}" for n in (510, 520, 530, 540, 550, 570, 580)]
    area = _normalised(counties=["51013", *cities])
    assert area.description.endswith(" and 2 more, Virginia")
    assert area.description.startswith("Arlington County and the cities of Alexandria, ")


def test_falls_church_named_alone_does_not_bring_its_neighbours() -> None:
    assert list(_normalised(counties=["51610"]).same_codes) == ["051610"]
    assert list(_normalised(counties=["51013"]).same_codes) == ["051013"]
    assert list(_normalised(counties=["51059"]).same_codes) == ["051059"]
    lat, lon = county("51610").centroid
    around = _normalised(circles=[{"lat": lat, "lon": lon, "radius_km": 3}])
    assert {"051610", "051013", "051059"} <= set(around.same_codes)


def test_a_tiny_polygon_keeps_its_county() -> None:
    ring = [(32.78, -96.80), (32.781, -96.80), (32.781, -96.799), (32.78, -96.80)]
    area = _normalised(polygons=[ring])
    assert list(area.same_codes) == ["048113"]
    assert area.description == "Dallas County, Texas"
    _assert_sane_wea(area)


def test_a_tiny_circle_keeps_its_county() -> None:
    area = _normalised(circles=[{"lat": 32.7767, "lon": -96.797, "radius_km": 0.1}])
    assert list(area.same_codes) == ["048113"]


@pytest.mark.parametrize("radius", [0.0, 1e-9, 0.09])
def test_a_circle_finer_than_wea_can_target_is_refused(radius: float) -> None:
    with pytest.raises(ValidationError, match=r"greater than or equal to 0\.1"):
        AreaRequest(circles=[{"lat": 32.7767, "lon": -96.797, "radius_km": radius}])


def test_a_drawn_shape_reaching_a_little_into_a_county_names_it() -> None:
    area = _normalised(circles=[BY_TARRANT])
    assert list(area.same_codes) == ["048113", "048439"]
    tarrant = next(s for s in area.counties if s.county.fips == "48439")
    assert 0 < tarrant.share < 0.0005
    assert not tarrant.covered


def test_covered_means_exactly_covered() -> None:
    area = _normalised(circles=[{"lat": 32.7767, "lon": -96.797, "radius_km": 50}])
    covered = {s.county.name for s in area.counties if s.covered}
    assert covered == {"Dallas"}
    assert all(s.share == 1.0 for s in area.counties if s.covered)


def test_a_polygon_covering_a_whole_state_gets_the_state_code() -> None:
    colorado = [(36.9, -109.1), (41.1, -109.1), (41.1, -102.0), (36.9, -102.0), (36.9, -109.1)]
    area = _normalised(polygons=[colorado])
    assert area.same_codes[0] == "008000"
    assert not [c for c in area.same_codes if c.startswith("008") and c != "008000"]
    assert area.description.startswith("Colorado; ")


def test_every_county_is_a_clean_area() -> None:
    """make_valid alone left stray lines in 11 counties, which made every area holding them a
    collection whose WEA polygon fell back to a convex hull."""
    for found in atlas().counties.values():
        assert found.geometry.geom_type in ("Polygon", "MultiPolygon"), found.fips
        assert found.geometry.is_valid
    texas = _normalised(states=["TX"])
    assert texas.overshoot < 0.15


def test_a_circle_over_the_border_stops_at_it() -> None:
    detroit = _normalised(circles=[{"lat": 42.33, "lon": -83.05, "radius_km": 50}])
    assert detroit.states == ["MI"]
    assert detroit.area_km2 == pytest.approx(3.14159 * 50**2, rel=0.01)
    el_paso = _normalised(circles=[{"lat": 31.76, "lon": -106.49, "radius_km": 50}])
    assert el_paso.states == ["NM", "TX"]


def test_a_circle_mostly_at_sea_names_the_coast_it_reaches() -> None:
    lat, lon = destination(25.77, -80.13, 90, 15)  # 15 km off Miami Beach
    area = _normalised(circles=[{"lat": lat, "lon": lon, "radius_km": 20}])
    assert list(area.same_codes) == ["012086"]
    _assert_sane_wea(area)
    land = area_km2(area.geometry.intersection(county("12086").geometry))
    assert land < 0.5 * area.area_km2


@pytest.mark.parametrize(
    ("ring", "words"),
    [
        (
            [(33, -97), (33.5, -96), (33, -96), (33.5, -97), (33, -97)],
            "crosses itself at 33.25,-96.5",
        ),
        ([(33, -97), (33.5, -97), (34, -97), (33, -97)], "in a line"),
        ([(33, -97), (33, -97), (33.5, -97), (33, -97)], "3 different corners"),
        ([(33, -97), (33.5, -97), (33.5, -96.5)], "at least 4 points"),
    ],
)
def test_bad_polygons_are_named_in_lat_lon(ring: list[tuple[float, float]], words: str) -> None:
    with pytest.raises(InvalidGeometry) as raised:
        _normalised(polygons=[ring])
    assert raised.value.field == "area.polygons.0"
    assert words in raised.value.message


def test_duplicate_consecutive_points_are_harmless() -> None:
    ring = [(33, -97), (33.5, -97), (33.5, -96.5), (33, -96.5), (33, -97)]
    doubled = [ring[0], ring[1], ring[1], ring[2], ring[3], ring[3], ring[4]]
    assert _normalised(polygons=[doubled]).same_codes == _normalised(polygons=[ring]).same_codes
