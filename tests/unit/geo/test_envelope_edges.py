"""The travel envelope at the edges: coasts, the Canadian border, the antimeridian, headings
in words and degrees, time that only widens it, and a schedule that makes sense."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bluealert.errors import InvalidInput
from bluealert.geo.envelope import Envelope, parse_heading, travel_envelope, widening_schedule
from bluealert.geo.projection import area_km2

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
DALLAS = (32.7767, -96.7970)
WAIKIKI = (21.276, -157.827)  # on the beach; the 1:10m coastline puts it in the water
BLAINE = (48.995, -122.75)  # the Peace Arch crossing into British Columbia
ADAK = (51.88, -176.65)


def _envelope(
    where: tuple[float, float], minutes: float, heading: float | None = None, **options: float
) -> Envelope:
    return travel_envelope(
        lat=where[0],
        lon=where[1],
        seen_at=T0,
        at=T0 + timedelta(minutes=minutes),
        heading=heading,
        **options,
    )


@pytest.mark.parametrize(
    ("where", "fips"),
    [
        (WAIKIKI, "15003"),
        ((24.70, -81.17), "12087"),  # Seven Mile Bridge, Florida Keys
        ((38.99, -76.38), "24003"),  # Chesapeake Bay Bridge
        ((45.82, -84.73), "26097"),  # Mackinac Bridge
    ],
)
def test_a_start_on_the_coast_or_a_bridge_is_in_the_nearest_county(
    where: tuple[float, float], fips: str
) -> None:
    envelope = _envelope(where, 1)
    assert fips in [c.fips for c in envelope.counties]


def test_a_start_far_at_sea_is_named() -> None:
    with pytest.raises(InvalidInput) as raised:
        _envelope((25.77, -79.5), 30)  # 60 km off Miami, in the Straits of Florida
    assert raised.value.field == "lat"
    assert "12 nautical miles" in raised.value.message


def test_an_envelope_at_the_coast_heading_out_to_sea_keeps_its_county() -> None:
    envelope = _envelope(WAIKIKI, 30, heading=parse_heading("southbound"))
    assert [c.fips for c in envelope.counties] == ["15003"]
    assert envelope.flagged_states == []


def test_near_the_canadian_border_only_us_counties_and_no_flag() -> None:
    north = _envelope(BLAINE, 60, heading=parse_heading("NB"))
    assert north.states == ["WA"]
    assert north.flagged_states == []
    assert "53073" in [c.fips for c in north.counties]  # Whatcom
    south = _envelope(BLAINE, 60, heading=parse_heading("180"))
    assert len(south.counties) > len(north.counties)


def test_an_envelope_across_the_antimeridian_is_the_same_shape_either_way() -> None:
    east, west = _envelope(ADAK, 180, heading=90), _envelope(ADAK, 180, heading=270)
    assert west.geometry.bounds[0] < -180 < west.geometry.bounds[2]
    assert area_km2(west.geometry) == pytest.approx(area_km2(east.geometry), rel=1e-6)
    assert area_km2(_envelope(ADAK, 180).geometry) == pytest.approx(
        3.14159 * west.radius_km**2, rel=0.01
    )


@pytest.mark.parametrize("heading", [None, 0.0, 135.0, 270.0])
def test_the_envelope_only_ever_widens(heading: float | None) -> None:
    earlier = None
    for minutes in (0, 1, 10, 30, 60, 90, 180, 360, 600):
        envelope = _envelope(DALLAS, minutes, heading=heading)
        if earlier is not None:
            assert envelope.geometry.buffer(1e-9).covers(earlier.geometry)
            assert {c.fips for c in earlier.counties} <= {c.fips for c in envelope.counties}
        earlier = envelope


@pytest.mark.parametrize(
    ("text", "bearing"),
    [
        ("-90", 270.0),
        ("450", 90.0),
        (" 22.5 ", 22.5),
        ("NNW", 337.5),
        ("north-northwest", 337.5),
        ("east north east", 67.5),
        ("SWB", 225.0),
        ("Southbound", 180.0),
        ("E", 90.0),
        (315, 315.0),
    ],
)
def test_headings_in_words_and_degrees(text: str | float, bearing: float) -> None:
    assert parse_heading(text) == bearing


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", float("nan"), float("inf"), "b", "up"])
def test_headings_that_are_not_directions_are_named(text: str | float) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_heading(text)
    assert raised.value.field == "heading"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lat": float("nan")}, "lat"),
        ({"lon": float("inf")}, "lon"),
        ({"lat": 200.0}, "lat"),
        ({"heading": float("nan")}, "heading"),
        ({"speed_mph": float("nan")}, "speed"),
    ],
)
def test_envelope_numbers_that_are_not_numbers_are_named(
    change: dict[str, float], field: str
) -> None:
    arguments = {"lat": DALLAS[0], "lon": DALLAS[1], "seen_at": T0, "at": T0, **change}
    with pytest.raises(InvalidInput) as raised:
        travel_envelope(**arguments)  # type: ignore[arg-type]
    assert raised.value.field == field


def test_an_envelope_too_long_after_the_sighting_is_refused_not_wrapped() -> None:
    """At 100 hours the disc would be wider than a hemisphere; it used to come back as Guam."""
    with pytest.raises(InvalidInput) as raised:
        _envelope(DALLAS, 100 * 60)
    assert raised.value.field == "at"
    assert "name the states" in raised.value.message
    assert _envelope(DALLAS, 18 * 60).radius_km < 2000


def test_the_widening_schedule_widens_every_step() -> None:
    schedule = widening_schedule(
        lat=DALLAS[0], lon=DALLAS[1], seen_at=T0, start=T0 + timedelta(minutes=20)
    )
    assert [e.at - T0 for e in schedule] == [timedelta(minutes=m) for m in (20, 50, 80, 110)]
    radii = [e.radius_km for e in schedule]
    assert radii == sorted(set(radii))
    assert [len(e.counties) for e in schedule] == sorted(len(e.counties) for e in schedule)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"steps": 0}, "steps"),
        ({"steps": -1}, "steps"),
        ({"steps": 10_000}, "steps"),
        ({"every": timedelta(0)}, "every"),
        ({"every": timedelta(minutes=-30)}, "every"),
    ],
)
def test_a_schedule_that_would_not_widen_is_refused(options: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        widening_schedule(lat=DALLAS[0], lon=DALLAS[1], seen_at=T0, start=T0, **options)  # type: ignore[arg-type]
    assert raised.value.field == field
