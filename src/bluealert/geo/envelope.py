"""The travel envelope: where a suspect could have got to since last seen, and who to ask.

Without a direction it is a disc of the distance drivable at the assumed speed; with one it
is a 90° sector around the heading (the road they took) plus a small disc for a turn back.
It is a suggestion the coordinator accepts or edits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from shapely import unary_union
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from bluealert.domain.jurisdictions import jurisdiction
from bluealert.errors import InvalidGeometry, InvalidInput
from bluealert.geo.counties import County, counties_intersecting, county_at
from bluealert.geo.projection import destination
from bluealert.geo.shapes import circle_polygon

KM_PER_MILE = 1.609344
DEFAULT_MPH = 65.0
SECTOR_HALF_ANGLE = 45.0
TURN_BACK_SHARE = 0.15
MIN_RADIUS_KM = 1.0
POINTS = {"n": 0, "ne": 45, "e": 90, "se": 135, "s": 180, "sw": 225, "w": 270, "nw": 315}
WORDS = {
    "north": "n",
    "northeast": "ne",
    "east": "e",
    "southeast": "se",
    "south": "s",
    "southwest": "sw",
    "west": "w",
    "northwest": "nw",
}


def parse_heading(text: str | float | None) -> float | None:
    """A bearing in degrees from a number, 'NB', 'northbound', 'north-east', 'SW', …"""
    if text is None or text == "":
        return None
    if isinstance(text, int | float):
        return float(text) % 360
    word = text.strip().lower().replace("-", "").replace(" ", "")
    try:
        return float(word) % 360
    except ValueError:
        pass
    word = word.removesuffix("bound")
    if len(word) == 3 and word.endswith("b"):
        word = word[:2]
    elif len(word) == 2 and word.endswith("b"):
        word = word[0]
    word = WORDS.get(word, word)
    if word not in POINTS:
        raise InvalidInput(
            f"{text!r} is not a heading: give degrees or a direction such as 'northbound' or 'SW'",
            field="heading",
        )
    return float(POINTS[word])


@dataclass(frozen=True)
class Envelope:
    at: datetime
    radius_km: float
    heading: float | None
    geometry: BaseGeometry
    counties: list[County]
    states: list[str]
    flagged_states: list[str]


def _sector(lat: float, lon: float, heading: float, radius_km: float) -> Polygon:
    steps = 24
    arc = [
        destination(
            lat,
            lon,
            heading - SECTOR_HALF_ANGLE + 2 * SECTOR_HALF_ANGLE * i / steps,
            radius_km / math.cos(math.pi * SECTOR_HALF_ANGLE / 180 / steps),
        )
        for i in range(steps + 1)
    ]
    return Polygon([(lon, lat), *[(p[1], p[0]) for p in arc]])


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
    if seen_at.tzinfo is None or at.tzinfo is None:
        raise InvalidInput("times must carry a time zone", field="seen_at")
    if at < seen_at:
        raise InvalidInput("the envelope time is before the last sighting", field="at")
    if not 1 <= speed_mph <= 200:
        raise InvalidInput("the assumed speed is between 1 and 200 mph", field="speed")
    start = county_at(lat, lon)
    if start is None:
        raise InvalidGeometry("the last known location is outside the United States", field="lat")
    hours = (at - seen_at).total_seconds() / 3600
    radius = max(MIN_RADIUS_KM, speed_mph * KM_PER_MILE * hours)
    if heading is None:
        shape: BaseGeometry = circle_polygon(lat, lon, radius)
    else:
        shape = unary_union(
            [
                _sector(lat, lon, heading, radius),
                circle_polygon(lat, lon, max(MIN_RADIUS_KM, TURN_BACK_SHARE * radius)),
            ]
        )
    touched = counties_intersecting(shape)
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
