"""Local map projections, written out so that no projection library is needed.

Azimuthal equidistant around a centre: true distances and bearings from the centre (circles
and travel envelopes). Lambert azimuthal equal-area: true areas (coverage shares, overshoot).
A sphere of the mean Earth radius; good to a fraction of a percent at county scale.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

Coords = npt.NDArray[np.float64]

EARTH_KM = 6371.0088


def destination(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """The point `km` away from (lat, lon) along the initial bearing."""
    d, b = km / EARTH_KM, math.radians(bearing_deg)
    la1, lo1 = math.radians(lat), math.radians(lon)
    la2 = math.asin(math.sin(la1) * math.cos(d) + math.cos(la1) * math.sin(d) * math.cos(b))
    lo2 = lo1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(la1), math.cos(d) - math.sin(la1) * math.sin(la2)
    )
    return math.degrees(la2), (math.degrees(lo2) + 540) % 360 - 180


def equal_area(lat0: float, lon0: float) -> Callable[[Coords], Coords]:
    """(lon, lat) degrees → (x, y) km, Lambert azimuthal equal-area around (lat0, lon0)."""
    la0, lo0 = np.radians(lat0), np.radians(lon0)

    def forward(coords: Coords) -> Coords:
        lo, la = np.radians(coords[:, 0]), np.radians(coords[:, 1])
        cos_c = np.sin(la0) * np.sin(la) + np.cos(la0) * np.cos(la) * np.cos(lo - lo0)
        k = np.sqrt(2 / np.maximum(1 + cos_c, 1e-12))
        x = EARTH_KM * k * np.cos(la) * np.sin(lo - lo0)
        y = EARTH_KM * k * (np.cos(la0) * np.sin(la) - np.sin(la0) * np.cos(la) * np.cos(lo - lo0))
        return np.column_stack([x, y])

    return forward


def area_km2(geometry: BaseGeometry, centre: tuple[float, float] | None = None) -> float:
    """The true area in km² (projected around the geometry's own centre by default)."""
    if geometry.is_empty:
        return 0.0
    if centre is None:
        point = geometry.centroid
        centre = (point.y, point.x)
    return float(shapely.transform(geometry, equal_area(*centre)).area)
