"""Alert areas: a union of counties, whole states, polygons and circles, normalised.

Normalising gives the counties touched (with the share of each covered), the SAME codes
(whole-state codes where a whole state is covered), a description people read, and a polygon
for WEA of at most 100 vertices that contains the whole area, with how much it overshoots.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from shapely import unary_union
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from bluealert.domain.content import AreaRequest
from bluealert.domain.jurisdictions import jurisdiction
from bluealert.errors import InvalidGeometry, NotFound
from bluealert.geo.counties import County, counties_in_state, counties_intersecting, county
from bluealert.geo.projection import area_km2
from bluealert.geo.shapes import check_in_us, circle_polygon, polygon_from_points
from bluealert.geo.wea_polygon import containing_polygon

WHOLE = 0.995  # a county this much covered counts as whole (1:10m borders are approximate)
MAX_NAMED = 6


@dataclass(frozen=True)
class CountyShare:
    county: County
    share: float


@dataclass(frozen=True)
class NormalisedArea:
    geometry: BaseGeometry
    counties: list[CountyShare]
    same_codes: list[str]
    description: str
    wea_polygon: list[tuple[float, float]]
    area_km2: float
    wea_area_km2: float

    @property
    def overshoot(self) -> float:
        """How much larger the WEA polygon is than the area, as a fraction of the area."""
        return (self.wea_area_km2 - self.area_km2) / self.area_km2 if self.area_km2 else 0.0

    @property
    def states(self) -> list[str]:
        return sorted({c.county.state for c in self.counties})


def _county_shapes(area: AreaRequest) -> list[BaseGeometry]:
    shapes = []
    for i, fips in enumerate(area.counties):
        try:
            shapes.append(county(fips).geometry)
        except NotFound as error:
            raise InvalidGeometry(error.message, field=f"area.counties.{i}") from error
    for state in area.states:
        shapes += [c.geometry for c in counties_in_state(state)]
    return shapes


def area_geometry(area: AreaRequest) -> BaseGeometry:
    """The validated union of everything the area names, in (lon, lat) degrees."""
    shapes = _county_shapes(area)
    for i, points in enumerate(area.polygons):
        shapes.append(polygon_from_points(list(points), f"area.polygons.{i}"))
    for i, circle in enumerate(area.circles):
        shape = circle_polygon(circle.lat, circle.lon, circle.radius_km)
        check_in_us(shape, f"area.circles.{i}")
        shapes.append(shape)
    union = unary_union(shapes)
    if union.is_empty:
        raise InvalidGeometry("the area is empty", field="area")
    return union


def _shares(geometry: BaseGeometry) -> list[CountyShare]:
    shares = []
    for found in counties_intersecting(geometry):
        inside = found.geometry.intersection(geometry)
        whole = area_km2(found.geometry)
        share = min(1.0, area_km2(inside) / whole) if whole else 1.0
        if share > 0.0005 or found.approximate:
            shares.append(CountyShare(found, round(share, 4)))
    return sorted(shares, key=lambda s: (-s.share, s.county.fips))


def _same_codes(shares: list[CountyShare], states: list[str]) -> list[str]:
    touched: dict[str, list[CountyShare]] = defaultdict(list)
    for share in shares:
        touched[share.county.state].append(share)
    codes = []
    for state, found in touched.items():
        whole = state in states or (
            len(found) == len(counties_in_state(state)) and all(s.share >= WHOLE for s in found)
        )
        if whole:
            codes.append(f"0{jurisdiction(state).fips}000")
        else:
            codes += [s.county.same for s in found]
    return codes


def describe(shares: list[CountyShare], whole_states: list[str]) -> str:
    """'Dallas, Tarrant and Collin counties, Texas; Bryan County, Oklahoma'."""
    by_state: dict[str, list[str]] = defaultdict(list)
    for share in shares:
        by_state[share.county.state].append(share.county.name)
    parts = []
    for state, names in by_state.items():
        name = jurisdiction(state).name
        if state in whole_states:
            parts.append(name)
            continue
        noun = "parish" if state == "LA" else "county"
        nouns = "parishes" if state == "LA" else "counties"
        if len(names) == 1:
            parts.append(f"{names[0]} {noun.title()}, {name}")
            continue
        shown = names[:MAX_NAMED]
        rest = len(names) - len(shown)
        listed = (
            ", ".join(shown[:-1]) + f" and {shown[-1]}"
            if not rest
            else (", ".join(shown) + f" and {rest} other")
        )
        parts.append(f"{listed} {nouns}, {name}")
    return "; ".join(parts)


def normalise_area(area: AreaRequest) -> NormalisedArea:
    geometry = area_geometry(area)
    shares = _shares(geometry)
    whole_states = [c[1:3] for c in _same_codes(shares, area.states) if c.endswith("000")]
    states_usps = [jurisdiction(fips).usps for fips in whole_states]
    polygon = containing_polygon(geometry)
    centre = (geometry.centroid.y, geometry.centroid.x)
    return NormalisedArea(
        geometry=geometry,
        counties=shares,
        same_codes=_same_codes(shares, area.states),
        description=area.description or describe(shares, states_usps),
        wea_polygon=[(lat, lon) for lon, lat in polygon.exterior.coords],
        area_km2=area_km2(geometry, centre),
        wea_area_km2=area_km2(polygon, centre),
    )


__all__ = ["CountyShare", "NormalisedArea", "Polygon", "area_geometry", "normalise_area"]
