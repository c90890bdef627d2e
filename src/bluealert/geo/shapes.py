"""Shapes of an alert area: validated polygons and geodesic circles, in (lon, lat) degrees."""

from __future__ import annotations

import math

from shapely.geometry import Polygon
from shapely.validation import explain_validity

from bluealert.errors import InvalidGeometry
from bluealert.geo.counties import counties_intersecting
from bluealert.geo.projection import area_km2, destination

CIRCLE_SIDES = 64
MAX_DRAWN_KM2 = 2_500_000.0  # larger than Texas and California together: surely a mistake

LatLon = tuple[float, float]


def circle_polygon(lat: float, lon: float, radius_km: float) -> Polygon:
    """A polygon that contains the geodesic circle (vertices on the circumscribed radius)."""
    outer = radius_km / math.cos(math.pi / CIRCLE_SIDES)
    ring = [destination(lat, lon, 360 * i / CIRCLE_SIDES, outer)[::-1] for i in range(CIRCLE_SIDES)]
    return Polygon(ring)


def _swapped_would_fit(points: list[LatLon]) -> bool:
    swapped = [(lon, lat) for lat, lon in points]
    if any(not -90 <= lat <= 90 for lat, _ in swapped):
        return False
    try:
        return bool(counties_intersecting(Polygon([(lo, la) for la, lo in swapped]).buffer(0)))
    except ValueError:
        return False


def polygon_from_points(points: list[LatLon], field: str) -> Polygon:
    """Validate a CAP-style ring of (lat, lon) points and return it as a shapely polygon."""
    if len(points) < 4:
        raise InvalidGeometry(
            f"a polygon needs at least 4 points, the first repeated last; it has {len(points)}",
            field=field,
        )
    if points[0] != points[-1]:
        raise InvalidGeometry(
            f"ring not closed: the first point {points[0]} differs from the last {points[-1]}",
            field=field,
        )
    polygon = Polygon([(lon, lat) for lat, lon in points])
    if not polygon.is_valid:
        raise InvalidGeometry(
            f"the polygon is not simple: {explain_validity(polygon)}", field=field
        )
    if polygon.area == 0:
        raise InvalidGeometry("the polygon encloses no area", field=field)
    check_in_us(polygon, field, points)
    return polygon


def check_in_us(shape: Polygon, field: str, points: list[LatLon] | None = None) -> None:
    if counties_intersecting(shape):
        size = area_km2(shape)
        if size > MAX_DRAWN_KM2:
            raise InvalidGeometry(
                f"the shape covers {size:,.0f} km²; more than {MAX_DRAWN_KM2:,.0f} km² is "
                "surely a mistake (name whole states instead)",
                field=field,
            )
        return
    if points and _swapped_would_fit(points):
        raise InvalidGeometry("the points look like lon,lat: write each as lat,lon", field=field)
    raise InvalidGeometry("the shape is outside the United States", field=field)
