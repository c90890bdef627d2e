"""Where a subscription reaches, as counties (the index) and an exact shape (the refinement)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from bluealert.domain.subscription import Subscription
from bluealert.errors import InvalidGeometry, NotFound
from bluealert.geo.counties import counties_at, counties_in_state, counties_intersecting, county
from bluealert.geo.frame import lons_to_frame
from bluealert.geo.shapes import (
    circle_polygon,
    circle_polygons,
    county_for_point,
    polygon_from_points,
)
from bluealert.geo.zips import zip_lookup


@dataclass(frozen=True)
class Reach:
    counties: list[tuple[str, bool]]  # (FIPS, partial)
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None


def _by_shape(shape: BaseGeometry) -> list[tuple[str, bool]]:
    """The counties the shape overlaps; partial unless it covers the county exactly."""
    shapely.prepare(shape)
    reached = []
    for found in counties_intersecting(shape):
        if found.geometry.intersection(shape).area > 0:
            reached.append((found.fips, not shape.covers(found.geometry)))
    return reached


def _point_reach(lat: float, lon: float, radius_km: float) -> Reach:
    if not radius_km:
        at = counties_at(lat, lon) or [county_for_point(lat, lon)]
        return Reach([(c.fips, True) for c in at], lat, lon, 0.0)
    reached = _by_shape(circle_polygon(lat, lon, radius_km))
    if not reached:
        raise InvalidGeometry("the circle is outside the United States", field="lat")
    return Reach(reached, lat, lon, radius_km)


def _place_reach(kind: str, place: str) -> Reach:
    try:
        if kind == "county":
            return Reach([(county(place).fips, False)])
        if kind == "state":
            return Reach([(c.fips, False) for c in counties_in_state(place)])
        found = zip_lookup(place)
    except NotFound as error:
        raise InvalidGeometry(error.message, field="place") from error
    # The shipped ZIP table has centroids, not outlines: a ZIP is matched at its centroid.
    return Reach([(found.county.fips, True)], found.lat, found.lon, 0.0)


def subscription_reach(subscription: Subscription) -> Reach:
    if subscription.place_kind in ("county", "state", "zip"):
        return _place_reach(subscription.place_kind, subscription.place)
    if subscription.place_kind == "point":
        assert subscription.lat is not None
        assert subscription.lon is not None
        return _point_reach(subscription.lat, subscription.lon, subscription.radius_km or 0.0)
    shape = polygon_from_points(list(subscription.polygon or []), "polygon")
    return Reach(_by_shape(shape))


def points_in_area(
    area: BaseGeometry,
    lats: npt.NDArray[np.float64],
    lons: npt.NDArray[np.float64],
    radii_km: npt.NDArray[np.float64],
) -> npt.NDArray[np.bool_]:
    """Which point subscriptions (with a radius) meet the area (in the geo frame), vectorised.

    A point on or inside the area matches; a circle matches when its polygon (the same 64-gon
    on the circumscribed radius that chose its counties) meets the area."""
    shapely.prepare(area)
    hits = shapely.intersects_xy(area, lons_to_frame(lons), lats)
    circles = ~hits & (radii_km > 0)
    if circles.any():
        shapes = circle_polygons(lats[circles], lons[circles], radii_km[circles])
        hits[circles] = shapely.intersects(area, shapes)
    return np.asarray(hits)
