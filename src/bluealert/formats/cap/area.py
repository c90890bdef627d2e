"""The CAP <area> of an alert: description, polygons, circles and SAME geocodes."""

from __future__ import annotations

from dataclasses import dataclass, field

from bluealert.domain.content import AreaRequest
from bluealert.domain.jurisdictions import jurisdiction


@dataclass(frozen=True)
class CapArea:
    description: str
    polygons: list[list[tuple[float, float]]] = field(default_factory=list)
    circles: list[tuple[float, float, float]] = field(default_factory=list)
    same_codes: list[str] = field(default_factory=list)


def closed(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return ring if ring and ring[0] == ring[-1] else [*ring, ring[0]]


def same_codes(area: AreaRequest) -> list[str]:
    """Counties as 0SSCCC, whole states as 0SS000 (county subdivision 0: the whole county)."""
    codes = [f"0{jurisdiction(s).fips}000" for s in area.states]
    covered = {c[1:3] for c in codes}
    codes += [f"0{fips}" for fips in area.counties if fips[:2] not in covered]
    return list(dict.fromkeys(codes))


def _description(area: AreaRequest) -> str:
    if area.description:
        return area.description
    parts = [jurisdiction(s).name for s in area.states]
    if area.counties:
        parts.append(f"{len(area.counties)} counties")
    if area.polygons or area.circles:
        parts.append("the area drawn on the map")
    return ", ".join(parts)


def cap_area_from_request(area: AreaRequest) -> CapArea:
    return CapArea(
        description=_description(area),
        polygons=[closed(list(p)) for p in area.polygons],
        circles=[(c.lat, c.lon, c.radius_km) for c in area.circles],
        same_codes=same_codes(area),
    )


def polygon_text(ring: list[tuple[float, float]]) -> str:
    return " ".join(f"{lat:.4f},{lon:.4f}" for lat, lon in ring)


def circle_text(circle: tuple[float, float, float]) -> str:
    lat, lon, radius = circle
    return f"{lat:.4f},{lon:.4f} {radius:g}"
