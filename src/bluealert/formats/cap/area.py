"""The CAP <area> of an alert: description, polygons, circles and SAME geocodes."""

from __future__ import annotations

from dataclasses import dataclass

from bluealert.domain.content import AreaRequest
from bluealert.geo.areas import normalise_area
from bluealert.geo.wea_polygon import LatLonRing


@dataclass(frozen=True)
class CapArea:
    description: str
    polygons: tuple[LatLonRing, ...] = ()
    circles: tuple[tuple[float, float, float], ...] = ()
    same_codes: tuple[str, ...] = ()


def cap_area_from_request(area: AreaRequest) -> CapArea:
    """The normalised area: its WEA polygons (≤ 100 vertices, containing it all; two across
    the antimeridian), the circles as drawn, SAME codes for every county touched, and a
    description people read."""
    normalised = normalise_area(area)
    return CapArea(
        description=normalised.description,
        polygons=normalised.wea_polygons,
        circles=tuple((c.lat, c.lon, c.radius_km) for c in area.circles),
        same_codes=normalised.same_codes,
    )


def polygon_text(ring: LatLonRing) -> str:
    return " ".join(f"{lat:.4f},{lon:.4f}" for lat, lon in ring)


def circle_text(circle: tuple[float, float, float]) -> str:
    lat, lon, radius = circle
    return f"{lat:.4f},{lon:.4f} {radius:g}"
