"""Decode the shipped TopoJSON: quantized, delta-encoded arcs into county polygons."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

Points = npt.NDArray[np.float64]


def decode_arcs(arcs: list[list[list[int]]], transform: dict[str, list[float]]) -> list[Points]:
    scale, translate = np.array(transform["scale"]), np.array(transform["translate"])
    return [np.cumsum(np.array(arc, dtype=np.float64), axis=0) * scale + translate for arc in arcs]


def _ring(indices: list[int], arcs: list[Points]) -> Points:
    parts: list[Points] = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(points if not parts else points[1:])
    return np.concatenate(parts)


def _polygon(rings: list[list[int]], arcs: list[Points]) -> Polygon | None:
    """A polygon, or None when its outer ring collapsed in quantization."""
    decoded = [_ring(r, arcs) for r in rings]
    outer = decoded[0]
    if len(np.unique(outer, axis=0)) < 3:
        return None
    holes = [h for h in decoded[1:] if len(np.unique(h, axis=0)) >= 3]
    polygon = Polygon(outer, holes)
    return polygon if polygon.area > 0 else None


def repaired(shape: BaseGeometry) -> BaseGeometry:
    """A valid area: invalid rings fixed, and nothing but polygons kept (a plain make_valid
    leaves the stray lines of rings that collapsed into an edge)."""
    if shape.is_valid:
        return shape
    fixed = shapely.make_valid(shape, method="structure", keep_collapsed=False)
    polygons = [p for p in shapely.get_parts(fixed) if isinstance(p, Polygon | MultiPolygon)]
    union: BaseGeometry = shapely.unary_union(polygons)
    return union


def county_geometry(kind: str, refs: Any, arcs: list[Points]) -> BaseGeometry | None:
    """The county's shape, repaired where quantization made it invalid; None if it vanished."""
    polygons = [_polygon(p, arcs) for p in (refs if kind == "MultiPolygon" else [refs])]
    kept = [p for p in polygons if p is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)
