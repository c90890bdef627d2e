"""Alert areas: a union of counties, whole states, polygons and circles, normalised.

Normalising gives the counties touched (with the share of each covered), the SAME codes
(whole-state codes where a whole state is covered), a description people read, and polygons
for WEA of at most 100 vertices in all that contain the whole area, with how much they
overshoot.

A county or state named is covered whole, and only it: boundaries at 1:10m can overlap a
neighbour by a sliver (Falls Church, kept as a small square, overlaps Arlington and Fairfax),
and a named county must not pull its neighbours in. Other counties come in only when a drawn
polygon or circle reaches into them, however little.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import shapely
from shapely import unary_union
from shapely.geometry.base import BaseGeometry

from bluealert.domain.content import AreaRequest
from bluealert.domain.jurisdictions import jurisdiction
from bluealert.errors import InvalidGeometry, NotFound
from bluealert.geo.counties import County, counties_in_state, counties_intersecting, county
from bluealert.geo.descriptions import describe
from bluealert.geo.projection import area_km2
from bluealert.geo.shapes import check_in_us, circle_polygon, polygon_from_points
from bluealert.geo.wea_polygon import LatLonRing, cap_ring, containing_polygons

WHOLE = 0.995  # a county this much covered counts as whole for SAME (1:10m borders approximate)
NOISE = 1e-9  # overlaps below this share of the drawn shapes are floating-point slivers


@dataclass(frozen=True)
class CountyShare:
    county: County
    share: float
    covered: bool = False  # the area covers the county entirely (exactly, not by WHOLE)


@dataclass(frozen=True)
class NormalisedArea:
    """Immutable all through (tuples, frozen shares, shapely geometry): one is shared by every
    caller that normalises the same area (see normalise_area)."""

    geometry: BaseGeometry  # (lon, lat) in the geo frame (see geo.frame)
    counties: tuple[CountyShare, ...]
    same_codes: tuple[str, ...]
    description: str
    wea_polygons: tuple[LatLonRing, ...]  # largest first; two only across the antimeridian
    area_km2: float
    wea_area_km2: float

    @property
    def wea_polygon(self) -> LatLonRing:
        """The largest WEA polygon: the only one unless the area crosses the antimeridian."""
        return self.wea_polygons[0]

    @property
    def overshoot(self) -> float:
        """How much larger the WEA polygons are than the area, as a fraction of the area."""
        if not self.area_km2:  # pragma: no mutate (a normalised area is never of zero size)
            return 0.0
        return (self.wea_area_km2 - self.area_km2) / self.area_km2

    @property
    def states(self) -> list[str]:
        return sorted({c.county.state for c in self.counties})


def _named(area: AreaRequest) -> list[County]:
    named: dict[str, County] = {}
    for i, fips in enumerate(area.counties):
        try:
            named[fips] = county(fips)
        except NotFound as error:
            raise InvalidGeometry(error.message, field=f"area.counties.{i}") from error
    for state in area.states:
        named |= {c.fips: c for c in counties_in_state(state)}
    return list(named.values())


def _drawn(area: AreaRequest) -> BaseGeometry | None:
    shapes = []
    for i, points in enumerate(area.polygons):
        shapes.append(polygon_from_points(list(points), f"area.polygons.{i}"))
    for i, circle in enumerate(area.circles):
        shape = circle_polygon(circle.lat, circle.lon, circle.radius_km)
        check_in_us(shape, f"area.circles.{i}")
        shapes.append(shape)
    return unary_union(shapes) if shapes else None


def _union(named: list[County], drawn: BaseGeometry | None) -> BaseGeometry:
    union = unary_union([c.geometry for c in named] + ([drawn] if drawn is not None else []))
    if union.is_empty:
        raise InvalidGeometry("the area is empty", field="area")
    return union


def area_geometry(area: AreaRequest) -> BaseGeometry:
    """The validated union of everything the area names, in (lon, lat) of the geo frame."""
    return _union(_named(area), _drawn(area))


def _drawn_share(found: County, drawn: BaseGeometry, drawn_km2: float) -> CountyShare | None:
    if drawn.covers(found.geometry):
        return CountyShare(found, 1.0, covered=True)
    inside = area_km2(found.geometry.intersection(drawn))
    if inside <= NOISE * drawn_km2:
        return None
    return CountyShare(found, round(min(1.0, inside / area_km2(found.geometry)), 4))


def _shares(named: list[County], drawn: BaseGeometry | None) -> list[CountyShare]:
    shares = {c.fips: CountyShare(c, 1.0, covered=True) for c in named}
    if drawn is not None:
        shapely.prepare(drawn)  # pragma: no mutate (speed only: many intersection tests)
        drawn_km2 = area_km2(drawn)
        for found in counties_intersecting(drawn):
            share = None if found.fips in shares else _drawn_share(found, drawn, drawn_km2)
            if share is not None:
                shares[found.fips] = share
    return sorted(shares.values(), key=lambda s: (-s.share, s.county.fips))


def _same_codes(shares: list[CountyShare], states: list[str]) -> list[str]:
    touched: dict[str, list[CountyShare]] = defaultdict(list)
    for share in shares:
        touched[share.county.state].append(share)
    codes = []
    for state, found in touched.items():
        whole = state in states or (
            len(found) == len(counties_in_state(state))
            and all(s.covered or s.share >= WHOLE for s in found)
        )
        if whole:
            codes.append(f"0{jurisdiction(state).fips}000")
        else:
            codes += [s.county.same for s in found]
    return codes


def normalise_area(area: AreaRequest) -> NormalisedArea:
    """Counties with shares, SAME codes, a description and the WEA polygons of an area.

    Every rendering of a version asks for its area, so the result is remembered by the area's
    canonical JSON; it is shared between callers, so nothing in it can be changed.
    """
    return _normalised(area.model_dump_json())


def forget_normalised_areas() -> None:
    """Empty the memory of normalised areas (a benchmark times a new alert's area each round)."""
    _normalised.cache_clear()


@lru_cache(maxsize=256)
def _normalised(area_json: str) -> NormalisedArea:
    area = AreaRequest.model_validate_json(area_json)
    named, drawn = _named(area), _drawn(area)
    geometry = _union(named, drawn)
    shares = _shares(named, drawn)
    same_codes = _same_codes(shares, area.states)
    whole_states = [jurisdiction(c[1:3]).usps for c in same_codes if c.endswith("000")]
    pieces = sorted(containing_polygons(geometry), key=lambda p: -p.area)
    centre = (geometry.centroid.y, geometry.centroid.x)
    return NormalisedArea(
        geometry=geometry,
        counties=tuple(shares),
        same_codes=tuple(same_codes),
        description=area.description or describe([s.county for s in shares], whole_states),
        wea_polygons=tuple(cap_ring(p) for p in pieces),
        area_km2=area_km2(geometry, centre),
        wea_area_km2=sum(area_km2(p, centre) for p in pieces),
    )


__all__ = [
    "CountyShare",
    "NormalisedArea",
    "area_geometry",
    "forget_normalised_areas",
    "normalise_area",
]
