"""Where a subscription reaches, as counties (the index) and an exact shape (the refinement)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from bluealert.domain.subscription import Subscription
from bluealert.errors import InvalidGeometry, NotFound
from bluealert.geo.counties import counties_in_state, counties_intersecting, county
from bluealert.geo.projection import EARTH_KM
from bluealert.geo.shapes import circle_polygon, polygon_from_points
from bluealert.geo.zips import zip_lookup

WHOLE_COUNTY = 0.995


@dataclass(frozen=True)
class Reach:
    counties: list[tuple[str, bool]]  # (FIPS, partial)
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None


def _by_shape(shape: BaseGeometry) -> list[tuple[str, bool]]:
    reached = []
    for found in counties_intersecting(shape):
        inside = found.geometry.intersection(shape).area
        if inside > 0 or shape.geom_type == "Point":
            reached.append((found.fips, inside < WHOLE_COUNTY * found.geometry.area))
    return reached


def subscription_reach(subscription: Subscription) -> Reach:
    kind = subscription.place_kind
    try:
        if kind == "county":
            return Reach([(county(subscription.place).fips, False)])
        if kind == "state":
            return Reach([(c.fips, False) for c in counties_in_state(subscription.place)])
        if kind == "zip":
            found = zip_lookup(subscription.place)
            return Reach([(found.county.fips, True)], found.lat, found.lon, 0.0)
    except NotFound as error:
        raise InvalidGeometry(error.message, field="place") from error
    if kind == "point":
        assert subscription.lat is not None
        assert subscription.lon is not None
        radius = subscription.radius_km or 0.0
        shape = (
            circle_polygon(subscription.lat, subscription.lon, radius)
            if radius
            else Point(subscription.lon, subscription.lat)
        )
        reached = _by_shape(shape)
        if not reached:
            raise InvalidGeometry("the point is outside the United States", field="lat")
        return Reach(reached, subscription.lat, subscription.lon, radius)
    shape = polygon_from_points(list(subscription.polygon or []), "polygon")
    return Reach(_by_shape(shape))


def points_in_area(
    area: BaseGeometry,
    lats: npt.NDArray[np.float64],
    lons: npt.NDArray[np.float64],
    radii_km: npt.NDArray[np.float64],
) -> npt.NDArray[np.bool_]:
    """Which point subscriptions (with a radius) meet the area, vectorised.

    A point inside matches; a circle matches when the area lies within its radius of the point
    (distance to the area, in degrees converted at the point's latitude — exact enough at the
    edges that matter, and never missing a point that is inside)."""
    inside = shapely.contains_xy(area, lons, lats)
    if not (radii_km > 0).any():
        return np.asarray(inside)
    points = shapely.points(lons, lats)
    distance_deg = shapely.distance(area, points)
    km_per_deg = np.pi * EARTH_KM / 180 * np.maximum(np.cos(np.radians(lats)), 0.2)
    return np.asarray(inside | (distance_deg * km_per_deg * 0.999 <= radii_km))
