"""Local map projections, written out so that no projection library is needed.

Azimuthal equidistant around a centre: true distances and bearings from the centre (circles
and travel envelopes). Lambert azimuthal equal-area: true areas (coverage shares, overshoot).
A sphere of the mean Earth radius; good to a fraction of a percent at county scale.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

Coords = npt.NDArray[np.float64]

EARTH_KM = 6371.0088


def destinations(
    lat: Coords | float, lon: Coords | float, bearing_deg: Coords | float, km: Coords | float
) -> tuple[Coords, Coords]:
    """The points `km` away from (lat, lon) along the initial bearings (arrays broadcast);
    longitudes within ±180°."""
    d, b = np.asarray(km) / EARTH_KM, np.radians(bearing_deg)
    la1, lo1 = np.radians(lat), np.radians(lon)
    la2 = np.arcsin(np.sin(la1) * np.cos(d) + np.cos(la1) * np.sin(d) * np.cos(b))
    lo2 = lo1 + np.arctan2(
        np.sin(b) * np.sin(d) * np.cos(la1), np.cos(d) - np.sin(la1) * np.sin(la2)
    )
    return np.degrees(la2), (np.degrees(lo2) + 540) % 360 - 180


def destination(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """The point `km` away from (lat, lon) along the initial bearing."""
    to_lat, to_lon = destinations(lat, lon, bearing_deg, km)
    return float(to_lat), float(to_lon)


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
