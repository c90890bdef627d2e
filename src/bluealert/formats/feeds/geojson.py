"""GeoJSON shaped like the NWS alerts API (api.weather.gov/alerts): a FeatureCollection.

Geometry per RFC 7946: the area's polygons and circles merged into one valid (Multi)Polygon
(no part inside another), exterior rings counter-clockwise and holes clockwise (§3.1.6),
cut at the antimeridian with every longitude within ±180° (§3.1.9).
"""

from __future__ import annotations

import json
import math
from typing import Any

import shapely
from shapely import affinity
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from bluealert.domain.alert import Alert
from bluealert.formats.context import RenderContext
from bluealert.formats.feeds.entries import FeedEntry, feed_entries
from bluealert.geo.frame import ANTIMERIDIAN, ring_to_frame

CIRCLE_POINTS = 32
EARTH_RADIUS_KM = 6371.0
DECIMALS = 5  # about a metre
# The geo frame's two sides of the antimeridian (geo.frame: longitudes west of Greenwich).
EASTERN, WESTERN = box(-540, -90, ANTIMERIDIAN, 90), box(ANTIMERIDIAN, -90, 0, 90)


def circle_ring(lat: float, lon: float, radius_km: float) -> list[list[float]]:
    """A closed ring of lon,lat points around a circle (GeoJSON order)."""
    ring = []
    for i in range(CIRCLE_POINTS + 1):
        bearing = 2 * math.pi * (i % CIRCLE_POINTS) / CIRCLE_POINTS
        d = radius_km / EARTH_RADIUS_KM
        la1, lo1 = math.radians(lat), math.radians(lon)
        la2 = math.asin(
            math.sin(la1) * math.cos(d) + math.cos(la1) * math.sin(d) * math.cos(bearing)
        )
        lo2 = lo1 + math.atan2(
            math.sin(bearing) * math.sin(d) * math.cos(la1),
            math.cos(d) - math.sin(la1) * math.sin(la2),
        )
        ring.append([round(math.degrees(lo2), 5), round(math.degrees(la2), 5)])
    return ring


def _in_frame(ring: list[list[float]]) -> Polygon:
    """A [lon, lat] ring as a polygon in the geo frame, continuous across the antimeridian."""
    lons = ring_to_frame([lon for lon, _ in ring])
    return Polygon(zip(lons, (lat for _, lat in ring), strict=True))


def _polygons(shape: BaseGeometry) -> list[Polygon]:
    if isinstance(shape, Polygon):
        return [] if shape.is_empty else [shape]
    return [p for part in getattr(shape, "geoms", []) for p in _polygons(part)]


def _cut_at_antimeridian(shape: BaseGeometry) -> list[Polygon]:
    """The pieces each side of the antimeridian, in ordinary longitudes."""
    east = affinity.translate(shape.intersection(EASTERN), xoff=360.0)
    return _polygons(shape.intersection(WESTERN)) + _polygons(east)


def wound_rings(polygon: Polygon) -> list[list[list[float]]]:
    """Exterior counter-clockwise, holes clockwise (RFC 7946 §3.1.6)."""
    wound = orient(polygon, sign=1.0)
    rings = [wound.exterior, *wound.interiors]
    return [[[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords] for ring in rings]


def area_geometry(entry: FeedEntry) -> dict[str, Any] | None:
    """The area's WEA polygons and circles as one valid GeoJSON geometry (None without any)."""
    rings = [[[lon, lat] for lat, lon in polygon] for polygon in entry.area.polygons]
    rings += [circle_ring(*circle) for circle in entry.area.circles]
    if not rings:
        return None
    merged = shapely.make_valid(shapely.unary_union([_in_frame(r) for r in rings]))
    pieces = [wound_rings(p) for p in _cut_at_antimeridian(merged)]
    if len(pieces) == 1:
        return {"type": "Polygon", "coordinates": pieces[0]}
    return {"type": "MultiPolygon", "coordinates": pieces}


def _feature(entry: FeedEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "type": "Feature",
        "geometry": area_geometry(entry),
        "properties": {
            "@id": entry.id,
            "id": entry.cap_identifier,
            "areaDesc": entry.area.description,
            "geocode": {"SAME": entry.area.same_codes},
            "sent": entry.sent,
            "effective": entry.sent,
            "expires": entry.expires,
            "status": entry.status,
            "messageType": entry.msg_type,
            "category": "Security",
            "severity": "Severe",
            "certainty": entry.certainty,
            "urgency": "Immediate",
            "event": "Blue Alert",
            "sender": entry.sender,
            "senderName": entry.sender_name,
            "headline": entry.title,
            "description": entry.summary,
            "instruction": entry.instruction,
            "response": "Avoid",
            "parameters": {"reference": [entry.reference]},
            "capUrl": entry.cap_url,
        },
    }


def render_geojson(alerts: list[Alert], ctx: RenderContext) -> bytes:
    collection = {
        "type": "FeatureCollection",
        "title": "Active Blue Alerts",
        "updated": ctx.now.isoformat(timespec="seconds"),
        "features": [_feature(e) for e in feed_entries(alerts, ctx)],
    }
    return json.dumps(collection, indent=2).encode()
