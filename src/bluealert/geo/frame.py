"""One longitude frame for the whole United States, continuous across the antimeridian.

Guam, the Northern Mariana Islands and the western Aleutians lie east of the antimeridian,
the rest of the country west of it. In ordinary longitudes a shape that joins them (Aleutians
West, Alaska, a circle around Adak) runs from -179° to +179° and becomes a band around the
world. So the geo layer computes with longitudes west of Greenwich only: a longitude east of
Greenwich is taken 360° west (Guam at 144.8° E is -215.2°). The frame's seam is at Greenwich,
far from any US place. Coordinates come into the frame where they enter the geo layer and
go back to ±180° only where they leave it (WEA polygons, centroids).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

ANTIMERIDIAN = -180.0

Coords = npt.NDArray[np.float64]
Lon = TypeVar("Lon", float, Coords)


def to_frame(lon: float) -> float:
    return lon - 360.0 if lon > 0 else lon


def from_frame(lon: float) -> float:
    return lon + 360.0 if lon < ANTIMERIDIAN else lon


def lons_to_frame(lons: Coords) -> Coords:
    return np.where(lons > 0, lons - 360.0, lons)


def geometry_to_frame(geometry: BaseGeometry) -> BaseGeometry:
    """A shape given in ordinary (lon, lat) degrees, in the frame."""

    def shift(coords: Coords) -> Coords:
        return np.column_stack([lons_to_frame(coords[:, 0]), coords[:, 1]])

    framed: BaseGeometry = shapely.transform(geometry, shift)
    return framed


def near(lon: Lon, centre: Lon | float) -> Lon:
    """`lon` moved by whole turns to lie within 180° of `centre` (a frame longitude)."""
    moved: Lon = lon + 360.0 * np.round((centre - lon) / 360.0)  # whole turns: no drift
    return moved


def ring_to_frame(lons: Sequence[float]) -> list[float]:
    """A drawn ring's longitudes in the frame, each step taken the short way round: a ring
    drawn across the antimeridian is the small shape it looks like on a map of the Pacific."""
    framed = [to_frame(lons[0])]
    for lon in lons[1:]:
        framed.append(near(lon, framed[-1]))
    return framed
