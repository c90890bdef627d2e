"""The CAP <area> of an alert: description, polygons, circles and SAME geocodes."""

from __future__ import annotations

from dataclasses import dataclass, field

from bluealert.domain.content import AreaRequest
from bluealert.geo.areas import normalise_area


@dataclass(frozen=True)
class CapArea:
    description: str
    polygons: list[list[tuple[float, float]]] = field(default_factory=list)
    circles: list[tuple[float, float, float]] = field(default_factory=list)
    same_codes: list[str] = field(default_factory=list)


def cap_area_from_request(area: AreaRequest) -> CapArea:
    """The normalised area: its WEA polygons (≤ 100 vertices, containing it all; two across
    the antimeridian), the circles as drawn, SAME codes for every county touched, and a
    description people read."""
    normalised = normalise_area(area)
    return CapArea(
        description=normalised.description,
        polygons=normalised.wea_polygons,
        circles=[(c.lat, c.lon, c.radius_km) for c in area.circles],
        same_codes=normalised.same_codes,
    )


def polygon_text(ring: list[tuple[float, float]]) -> str:
    return " ".join(f"{lat:.4f},{lon:.4f}" for lat, lon in ring)


def circle_text(circle: tuple[float, float, float]) -> str:
    lat, lon, radius = circle
    return f"{lat:.4f},{lon:.4f} {radius:g}"
