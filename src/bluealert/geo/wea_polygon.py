"""One polygon of at most 100 vertices that contains an area: it may overshoot, never miss.

Douglas-Peucker with tolerance t keeps the simplified ring within t of the original, so the
simplified polygon grown by t (mitred corners, no extra vertices) contains the original. The
tolerance grows until the vertex count fits; coordinates are then rounded outward.
"""

from __future__ import annotations

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

MAX_VERTICES = 100
DECIMALS = 4
ROUNDING_MARGIN = 2 * 10**-DECIMALS


def _outline(geometry: BaseGeometry) -> Polygon:
    """The area as one polygon without holes: itself, or its convex hull when in pieces."""
    if isinstance(geometry, Polygon):
        return Polygon(geometry.exterior)
    hull = geometry.convex_hull
    if isinstance(hull, Polygon):
        return hull
    return Polygon(hull.buffer(ROUNDING_MARGIN).exterior)


def _grown(polygon: Polygon, distance: float) -> Polygon:
    grown = polygon.buffer(distance, join_style="mitre", mitre_limit=10.0)
    if isinstance(grown, MultiPolygon):
        grown = max(grown.geoms, key=lambda g: g.area)
    return Polygon(grown.exterior)


def _rounded(polygon: Polygon) -> Polygon:
    return Polygon([(round(x, DECIMALS), round(y, DECIMALS)) for x, y in polygon.exterior.coords])


def containing_polygon(geometry: BaseGeometry, max_vertices: int = MAX_VERTICES) -> Polygon:
    outline = _outline(geometry)
    tolerance = 0.002
    while True:
        simplified = outline.simplify(tolerance, preserve_topology=True)
        candidate = _rounded(_grown(simplified, tolerance + ROUNDING_MARGIN))
        if len(candidate.exterior.coords) - 1 <= max_vertices and candidate.covers(geometry):
            return candidate
        tolerance *= 1.5
