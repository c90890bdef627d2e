"""Which other states to ask for a cross-state activation, by the plan's neighbour policy.

Whatever the policy, a state the alert's own area reaches into is named: the alert cannot go
out there without that state. `adjacent_states` adds the states whose counties border the
area; `states_in_travel_envelope` adds the states the suspect could have reached by now from
the latest sighting (the travel envelope at the assumed speed and heading).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bluealert.domain.content import AlertContent, AreaRequest, Place
from bluealert.domain.plan import NeighbourPolicy
from bluealert.errors import InvalidInput
from bluealert.geo.areas import normalise_area
from bluealert.geo.counties import County, county, neighbours
from bluealert.geo.envelope import DEFAULT_MPH, parse_heading, travel_envelope


@dataclass(frozen=True)
class StateToAsk:
    state: str
    reason: str


@dataclass(frozen=True)
class Advice:
    """The states to ask, and a note when part of the policy could not be applied."""

    states: list[StateToAsk]
    note: str = ""


@dataclass(frozen=True)
class Sighting:
    lat: float
    lon: float
    at: datetime
    heading: float | None
    where: str


def latest_sighting(content: AlertContent) -> Sighting | None:
    """The newest place with coordinates: a vehicle's last sighting, else the incident."""
    found = [
        _sighting(v.last_seen.place, v.last_seen.at, _heading(v.direction_of_travel))
        for v in content.vehicles
        if v.last_seen is not None
    ]
    found.append(_sighting(content.incident.location, content.incident.occurred_at, None))
    located = [s for s in found if s is not None]
    return max(located, key=lambda s: s.at, default=None)


def _sighting(place: Place, at: datetime, heading: float | None) -> Sighting | None:
    if place.lat is None or place.lon is None:
        return None
    return Sighting(place.lat, place.lon, at, heading, place.description)


def _heading(direction: str | None) -> float | None:
    """The first word of a direction of travel as a heading ('northbound I-35' → 0°)."""
    words = (direction or "").split()
    try:
        return parse_heading(words[0]) if words else None
    except InvalidInput:
        return None


def states_to_ask(
    content: AlertContent,
    *,
    policy: NeighbourPolicy,
    home: str,
    now: datetime,
    speed_mph: float = DEFAULT_MPH,
) -> Advice:
    """Other states to ask, each once, with the first reason that names it."""
    area = normalise_area(content.area)
    area_fips = {share.county.fips for share in area.counties}
    asks = [
        StateToAsk(s, f"the alert's area reaches into {s}")
        for s in sorted({share.county.state for share in area.counties})
    ]
    if policy is NeighbourPolicy.ADJACENT_STATES:
        bordering = {county(n).state for fips in area_fips for n in neighbours(fips)}
        asks += [StateToAsk(s, f"{s} borders the alert's area") for s in sorted(bordering)]
    note = ""
    if policy is NeighbourPolicy.STATES_IN_TRAVEL_ENVELOPE:
        try:
            asks += _reachable(content, home=home, now=now, speed_mph=speed_mph)
        except InvalidInput as error:  # the last sighting is too old for an envelope to help
            note = f"no travel envelope: {error.message}; record a newer sighting"
    named: dict[str, StateToAsk] = {}
    for ask in asks:
        if ask.state != home:
            named.setdefault(ask.state, ask)
    return Advice(list(named.values()), note)


def _reachable(
    content: AlertContent, *, home: str, now: datetime, speed_mph: float
) -> list[StateToAsk]:
    seen = latest_sighting(content)
    if seen is None or seen.at > now:
        return []
    envelope = travel_envelope(
        lat=seen.lat,
        lon=seen.lon,
        seen_at=seen.at,
        at=now,
        speed_mph=speed_mph,
        heading=seen.heading,
        home_state=home,
    )
    minutes = (now - seen.at).total_seconds() / 60
    return [
        StateToAsk(
            s,
            f"the suspect could be in {s}: {envelope.radius_km:,.0f} km at {speed_mph:.0f} mph "
            f"in the {minutes:,.0f} minutes since last seen at {seen.where}",
        )
        for s in envelope.flagged_states
    ]


def area_in_state(
    content: AlertContent, state: str, *, now: datetime, speed_mph: float = DEFAULT_MPH
) -> AreaRequest:
    """Where a linked alert runs in `state`: the counties of the original's area there; else
    that state's counties bordering the area; else those the suspect could have reached (the
    travel envelope); else the whole state. Never the original's counties in another state."""
    area = normalise_area(content.area)
    found = [share.county for share in area.counties if share.county.state == state]
    if not found:
        bordering = {n for share in area.counties for n in neighbours(share.county.fips)}
        found = [c for c in map(county, bordering) if c.state == state]
    if not found:
        found = [c for c in _envelope_counties(content, now, speed_mph) if c.state == state]
    if not found:
        return AreaRequest(states=[state])
    return AreaRequest(counties=sorted({c.fips for c in found}))


def _envelope_counties(content: AlertContent, now: datetime, speed_mph: float) -> list[County]:
    seen = latest_sighting(content)
    if seen is None or seen.at > now:
        return []
    try:
        envelope = travel_envelope(
            lat=seen.lat,
            lon=seen.lon,
            seen_at=seen.at,
            at=now,
            speed_mph=speed_mph,
            heading=seen.heading,
            home_state=content.plan,
        )
    except InvalidInput:  # the last sighting is too old for an envelope to help
        return []
    return envelope.counties
