"""Shapes of an alert area: validated polygons and geodesic circles, in the geo frame.

Points come in as CAP writes them, (lat, lon) in ordinary degrees; shapes go out as shapely
geometry in (lon, lat) of the geo frame (see geo.frame), continuous across the antimeridian.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import Point, Polygon
from shapely.validation import explain_validity

from bluealert.errors import InvalidGeometry
from bluealert.geo.counties import County, counties_intersecting, county_at
from bluealert.geo.frame import from_frame, lons_to_frame, near, ring_to_frame, to_frame
from bluealert.geo.projection import Coords, area_km2, destinations

CIRCLE_SIDES = 64
MAX_DRAWN_KM2 = 2_500_000.0  # larger than Texas and California together: surely a mistake
TERRITORIAL_SEA_KM = 12 * 1.852  # 12 nautical miles

LatLon = tuple[float, float]


def circle_polygons(lats: Coords, lons: Coords, radii_km: Coords) -> npt.NDArray[np.object_]:
    """Polygons that contain the geodesic circles (vertices on the circumscribed radius), in
    the frame: one 64-gon per centre, vectorised."""
    bearings = 360 * np.arange(CIRCLE_SIDES) / CIRCLE_SIDES
    outer = radii_km / math.cos(math.pi / CIRCLE_SIDES)
    ring_lats, ring_lons = destinations(lats[:, None], lons[:, None], bearings, outer[:, None])
    ring_lons = near(ring_lons, lons_to_frame(lons)[:, None])
    polygons: npt.NDArray[np.object_] = shapely.polygons(np.stack([ring_lons, ring_lats], -1))
    return polygons


def circle_polygon(lat: float, lon: float, radius_km: float) -> Polygon:
    """A polygon that contains the geodesic circle (vertices on the circumscribed radius)."""
    one = np.array([lat]), np.array([lon]), np.array([radius_km], dtype=np.float64)
    polygon: Polygon = circle_polygons(*one)[0]
    return polygon


def ring_polygon(points: Sequence[Sequence[float]]) -> Polygon:
    """A ring of (lat, lon) points as a polygon in the frame, unchecked (for stored shapes)."""
    lons = ring_to_frame([p[1] for p in points])
    return Polygon([(lon, p[0]) for lon, p in zip(lons, points, strict=True)])


def _swapped_would_fit(points: list[LatLon]) -> bool:
    if any(not -90 <= lon <= 90 for _, lon in points):
        return False
    swapped = ring_polygon([(lon, lat) for lat, lon in points])
    return swapped.is_valid and bool(counties_intersecting(swapped))


def _why_not_simple(polygon: Polygon) -> str:
    validity = explain_validity(polygon)
    found = re.fullmatch(r"Self-intersection\[(\S+) (\S+)\]", validity)
    if not found:
        return f"the polygon is not simple: {validity}"
    # GEOS names the place as [lon lat] in the frame; people wrote lat,lon.
    lon, lat = from_frame(float(found.group(1))), float(found.group(2))
    return f"the polygon crosses itself at {lat:g},{lon:g} (Self-intersection): edges may not cross"


def _check_ring(points: list[LatLon], field: str) -> None:
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
    corners = len(set(points))
    if corners < 3:
        raise InvalidGeometry(
            f"a polygon needs at least 3 different corners; it has {corners}", field=field
        )


def polygon_from_points(points: list[LatLon], field: str) -> Polygon:
    """Validate a CAP-style ring of (lat, lon) points and return it as a shapely polygon."""
    _check_ring(points, field)
    polygon = ring_polygon(points)
    if polygon.convex_hull.area == 0:
        raise InvalidGeometry(
            "the polygon encloses no area (its points are in a line)", field=field
        )
    if not polygon.is_valid:
        raise InvalidGeometry(_why_not_simple(polygon), field=field)
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


def check_point(lat: float, lon: float) -> None:
    """A real latitude and longitude (NaN and infinity compare false, so they fail here)."""
    if not -90 <= lat <= 90:
        raise InvalidGeometry(f"{lat} is not a latitude (-90 to 90)", field="lat")
    if not -180 <= lon <= 180:
        raise InvalidGeometry(f"{lon} is not a longitude (-180 to 180)", field="lon")


def county_for_point(lat: float, lon: float) -> County:
    """The county containing the point or, for a point the 1:10m coastline leaves in the water
    (Waikiki, a causeway, a bridge), the nearest county within 12 nautical miles."""
    check_point(lat, lon)
    found = county_at(lat, lon)
    if found is not None:
        return found
    nearby = counties_intersecting(circle_polygon(lat, lon, TERRITORIAL_SEA_KM))
    if not nearby:
        raise InvalidGeometry(
            f"{lat},{lon} is outside the United States (more than 12 nautical miles from any "
            "county)",
            field="lat",
        )
    point = Point(to_frame(lon), lat)
    return min(nearby, key=lambda c: c.geometry.distance(point))
