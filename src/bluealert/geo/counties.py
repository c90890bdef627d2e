"""Every US county and county-equivalent: FIPS, SAME code, name, state, centroid, shape.

Data: the Census cartographic boundary files (1:10,000,000) via us-atlas@3, built by
scripts/build_geo_data.py into geo/data/counties.json.gz. Loaded once, lazily.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import shapely
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from bluealert.domain.jurisdictions import BY_FIPS, jurisdiction
from bluealert.errors import NotFound
from bluealert.geo.county_kinds import COUNTY, county_kind, full_name
from bluealert.geo.frame import from_frame, geometry_to_frame, to_frame
from bluealert.geo.topology import county_geometry, decode_arcs, repaired

# A county whose every ring collapsed at 1:10m (51610, Falls Church city) gets a small square
# around its arcs' mean point, so that areas around it still find it.
COLLAPSED_HALF_WIDTH = 0.01


@dataclass(frozen=True)
class County:
    fips: str
    name: str
    state: str
    geometry: BaseGeometry  # (lon, lat) in the geo frame (see geo.frame)
    approximate: bool = False
    kind: str = COUNTY

    @property
    def same(self) -> str:
        return f"0{self.fips}"

    @property
    def centroid(self) -> tuple[float, float]:
        """A point inside the county, as (lat, lon) in ordinary degrees."""
        point = self.geometry.representative_point()
        return point.y, from_frame(point.x)

    @property
    def full_name(self) -> str:
        return full_name(self.name, self.kind)

    @property
    def label(self) -> str:
        return f"{self.full_name}, {self.state}"


@dataclass(frozen=True)
class Atlas:
    counties: dict[str, County]
    adjacency: dict[str, list[str]]
    source: str
    tree: STRtree
    order: list[str]


def _read() -> dict[str, Any]:
    raw = (files("bluealert.geo") / "data" / "counties.json.gz").read_bytes()
    loaded: dict[str, Any] = json.loads(gzip.decompress(raw))
    return loaded


def _framed(shape: BaseGeometry) -> BaseGeometry:
    # Repaired after the move: islands cut at ±180° in the source meet again in the frame.
    return repaired(geometry_to_frame(shape))


def _collapsed_square(entry: dict[str, Any], arcs: list[Any]) -> BaseGeometry:
    indices = [i if i >= 0 else ~i for ring in entry["arcs"] for i in ring]
    centre = shapely.MultiPoint([tuple(p) for i in indices for p in arcs[i]]).centroid
    return box(
        centre.x - COLLAPSED_HALF_WIDTH,
        centre.y - COLLAPSED_HALF_WIDTH,
        centre.x + COLLAPSED_HALF_WIDTH,
        centre.y + COLLAPSED_HALF_WIDTH,
    )


def _county(entry: dict[str, Any], arcs: list[Any]) -> County:
    fips, name = entry["fips"], entry["name"]
    state = BY_FIPS[fips[:2]].usps
    kind = county_kind(fips, state)
    shape = county_geometry(entry["type"], entry["arcs"], arcs)
    if shape is not None:
        return County(fips, name, state, _framed(shape), kind=kind)
    square = _framed(_collapsed_square(entry, arcs))
    return County(fips, name, state, square, approximate=True, kind=kind)


@cache
def atlas() -> Atlas:
    data = _read()
    arcs = decode_arcs(data["arcs"], data["transform"])
    counties = {e["fips"]: _county(e, arcs) for e in data["counties"]}
    order = list(counties)
    tree = STRtree([counties[f].geometry for f in order])
    return Atlas(counties, data["adjacency"], data["source"], tree, order)


def county(fips: str) -> County:
    found = atlas().counties.get(fips)
    if found is None:
        raise NotFound(f"no county with FIPS code {fips!r}", field="county")
    return found


def counties_in_state(state: str) -> list[County]:
    usps = jurisdiction(state).usps
    return [c for c in atlas().counties.values() if c.state == usps]


def neighbours(fips: str) -> list[str]:
    """Counties sharing a border with `fips` (derived from shared TopoJSON arcs)."""
    county(fips)
    return atlas().adjacency.get(fips, [])


def state_neighbours(state: str) -> list[str]:
    usps = jurisdiction(state).usps
    found = {county(n).state for c in counties_in_state(usps) for n in neighbours(c.fips)}
    return sorted(found - {usps})


def counties_intersecting(geometry: BaseGeometry) -> list[County]:
    data = atlas()
    hits = data.tree.query(geometry, predicate="intersects")
    return [data.counties[data.order[i]] for i in sorted(hits)]


def counties_at(lat: float, lon: float) -> list[County]:
    """The counties containing the point (ordinary degrees) by the 1:10m boundaries: one, or
    those that share a border through it."""
    return counties_intersecting(Point(to_frame(lon), lat))


def county_at(lat: float, lon: float) -> County | None:
    hits = counties_at(lat, lon)
    return hits[0] if hits else None
