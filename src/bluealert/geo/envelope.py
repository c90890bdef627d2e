"""The travel envelope: where a suspect could have got to since last seen, and who to ask.

Without a direction it is a disc of the distance drivable at the assumed speed; with one it
is a 90° sector around the heading (the road they took) plus a small disc for a turn back.
It is a suggestion the coordinator accepts or edits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from shapely import unary_union
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from bluealert.domain.jurisdictions import jurisdiction
from bluealert.errors import InvalidInput
from bluealert.geo.counties import County, counties_intersecting
from bluealert.geo.frame import near, to_frame
from bluealert.geo.projection import Coords, destinations
from bluealert.geo.shapes import circle_polygon, county_for_point

KM_PER_MILE = 1.609344
DEFAULT_MPH = 65.0
SECTOR_HALF_ANGLE = 45.0
TURN_BACK_SHARE = 0.15
MIN_RADIUS_KM = 1.0
# Beyond this the disc stops being a regional suggestion (and on the sphere, a simple shape).
MAX_RADIUS_KM = 2000.0
MAX_STEPS = 48
COMPASS = "n nne ne ene e ese se sse s ssw sw wsw w wnw nw nnw"
POINTS = {point: 22.5 * i for i, point in enumerate(COMPASS.split(" "))}
WORDS = {"north": "n", "east": "e", "south": "s", "west": "w"}


def _compass_bearing(text: str) -> float:
    """'Northbound' → 0, 'north-north-west' → 337.5, 'SWB' → 225."""
    word = text.strip().lower().replace("-", "").replace(" ", "").removesuffix("bound")
    for name, letter in WORDS.items():
        word = word.replace(name, letter)
    point = word[:-1] if word.endswith("b") and word[:-1] in POINTS else word
    if point not in POINTS:
        raise InvalidInput(
            f"{text!r} is not a heading: give degrees or a direction such as 'northbound' or 'SW'",
            field="heading",
        )
    return POINTS[point]


def _bearing(value: float, text: object) -> float:
    if not math.isfinite(value):
        raise InvalidInput(f"{text!r} is not a heading: degrees must be a number", field="heading")
    return value % 360


def parse_heading(text: str | float | None) -> float | None:
    """A bearing in degrees from a number, 'NB', 'northbound', 'north-east', 'SW', 'NNW', …"""
    if text is None or text == "":
        return None
    if isinstance(text, int | float):
        return _bearing(float(text), text)
    try:
        degrees = float(text)
    except ValueError:
        return _compass_bearing(text)
    return _bearing(degrees, text)


@dataclass(frozen=True)
class Envelope:
    at: datetime
    radius_km: float
    heading: float | None
    geometry: BaseGeometry
    counties: list[County]
    states: list[str]
    flagged_states: list[str]


def _wedge(lat: float, lon: float, heading: float) -> Polygon:
    """The 90° around the heading, out past the largest envelope. The sector at any radius is
    this one fixed wedge cut by the disc, so a later sector always holds an earlier one (rays
    drawn afresh for each radius bend differently in lon/lat and leave slivers behind)."""
    reach = 1.01 * MAX_RADIUS_KM
    along = np.linspace(0.0, reach, 201)[1:]
    left = destinations(lat, lon, heading - SECTOR_HALF_ANGLE, along)
    arc = destinations(
        lat, lon, heading + np.linspace(-SECTOR_HALF_ANGLE, SECTOR_HALF_ANGLE, 25), reach
    )
    right = destinations(lat, lon, heading + SECTOR_HALF_ANGLE, along[::-1])
    lats: Coords = np.concatenate([[lat], left[0], arc[0], right[0]])
    lons: Coords = np.concatenate([[lon], left[1], arc[1], right[1]])
    return Polygon(np.column_stack([near(lons, to_frame(lon)), lats]))


def _radius_km(seen_at: datetime, at: datetime, speed_mph: float) -> float:
    if seen_at.tzinfo is None or at.tzinfo is None:
        raise InvalidInput("times must carry a time zone", field="seen_at")
    if at < seen_at:
        raise InvalidInput("the envelope time is before the last sighting", field="at")
    if not 1 <= speed_mph <= 200:
        raise InvalidInput("the assumed speed is between 1 and 200 mph", field="speed")
    radius = speed_mph * KM_PER_MILE * (at - seen_at).total_seconds() / 3600
    if radius > MAX_RADIUS_KM:
        raise InvalidInput(
            f"by {at.isoformat()} the suspect could be {radius:,.0f} km away, beyond the "
            f"{MAX_RADIUS_KM:,.0f} km an envelope covers: name the states instead",
            field="at",
        )
    return max(MIN_RADIUS_KM, radius)


def _shape(lat: float, lon: float, radius: float, heading: float | None) -> BaseGeometry:
    if heading is None:
        return circle_polygon(lat, lon, radius)
    sector = circle_polygon(lat, lon, radius).intersection(_wedge(lat, lon, heading))
    turn_back = circle_polygon(lat, lon, max(MIN_RADIUS_KM, TURN_BACK_SHARE * radius))
    return unary_union([sector, turn_back])


def travel_envelope(
    *,
    lat: float,
    lon: float,
    seen_at: datetime,
    at: datetime,
    speed_mph: float = DEFAULT_MPH,
    heading: float | None = None,
    home_state: str | None = None,
) -> Envelope:
    start = county_for_point(lat, lon)
    radius = _radius_km(seen_at, at, speed_mph)
    if heading is not None:
        heading = _bearing(heading, heading)
    shape = _shape(lat, lon, radius, heading)
    # A start the coastline leaves in the water is in its nearest county, reached or not.
    found = {c.fips: c for c in [start, *counties_intersecting(shape)]}
    touched = [found[fips] for fips in sorted(found)]
    states = sorted({c.state for c in touched})
    home = jurisdiction(home_state).usps if home_state else start.state
    return Envelope(at, radius, heading, shape, touched, states, [s for s in states if s != home])


def widening_schedule(
    *,
    lat: float,
    lon: float,
    seen_at: datetime,
    start: datetime,
    every: timedelta = timedelta(minutes=30),
    steps: int = 4,
    speed_mph: float = DEFAULT_MPH,
    heading: float | None = None,
    home_state: str | None = None,
) -> list[Envelope]:
    """The envelope at `start` and every `every` after it: when to widen, and to whom."""
    if not 1 <= steps <= MAX_STEPS:
        raise InvalidInput(f"the schedule has 1 to {MAX_STEPS} steps", field="steps")
    if every <= timedelta(0):
        raise InvalidInput("the schedule widens at a positive interval", field="every")
    return [
        travel_envelope(
            lat=lat,
            lon=lon,
            seen_at=seen_at,
            at=start + i * every,
            speed_mph=speed_mph,
            heading=heading,
            home_state=home_state,
        )
        for i in range(steps)
    ]
