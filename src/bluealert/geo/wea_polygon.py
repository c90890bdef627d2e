"""Polygons of at most 100 vertices in all that contain an area: they may overshoot, never miss.

Douglas-Peucker with tolerance t keeps the simplified ring within t of the original, so the
simplified polygon grown by t (mitred corners, no extra vertices) contains the original. The
tolerance grows until the vertex count fits; coordinates are then rounded outward.

CAP coordinates stop at ±180°, so an area across the antimeridian (the western Aleutians) gets
two polygons, one on each side, rather than one that would span the world.
"""

from __future__ import annotations

from shapely import affinity, unary_union
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from bluealert.geo.frame import ANTIMERIDIAN

MAX_VERTICES = 100
DECIMALS = 4
ROUNDING_MARGIN = 2 * 10**-DECIMALS

LatLonRing = tuple[tuple[float, float], ...]  # immutable: normalised areas are shared


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


def _sides_of_antimeridian(polygon: Polygon) -> list[Polygon]:
    """The polygon cut at the antimeridian: itself, or one piece on each side (each piece's
    hull if the cut leaves it in several; a hull stays on its own side of the cut)."""
    minx, miny, maxx, maxy = polygon.bounds
    if not minx < ANTIMERIDIAN < maxx:
        return [polygon]
    halves = [box(minx, miny, ANTIMERIDIAN, maxy), box(ANTIMERIDIAN, miny, maxx, maxy)]
    pieces = [polygon.intersection(half) for half in halves]
    return [p if isinstance(p, Polygon) else _outline(p) for p in pieces]


def _vertices(polygons: list[Polygon]) -> int:
    return sum(len(p.exterior.coords) - 1 for p in polygons)


def containing_polygons(geometry: BaseGeometry, max_vertices: int = MAX_VERTICES) -> list[Polygon]:
    """Polygons in the frame whose union covers `geometry`, none crossing the antimeridian."""
    outline = _outline(geometry)
    tolerance = 0.002
    while True:
        simplified = outline.simplify(tolerance, preserve_topology=True)
        grown = _grown(simplified, tolerance + ROUNDING_MARGIN)
        pieces = [_rounded(p) for p in _sides_of_antimeridian(grown)]
        if _vertices(pieces) <= max_vertices and unary_union(pieces).covers(geometry):
            return pieces
        tolerance *= 1.5


def cap_ring(polygon: Polygon) -> LatLonRing:
    """A polygon on one side of the antimeridian as CAP writes it: (lat, lon) within ±180°."""
    if polygon.bounds[2] <= ANTIMERIDIAN:
        polygon = affinity.translate(polygon, xoff=360.0)
    return tuple((lat, round(lon, DECIMALS)) for lon, lat in polygon.exterior.coords)
