"""GeoJSON shaped like the NWS alerts API (api.weather.gov/alerts): a FeatureCollection."""

from __future__ import annotations

import json
import math
from typing import Any

from bluealert.domain.alert import Alert
from bluealert.formats.context import RenderContext
from bluealert.formats.feeds.entries import FeedEntry, feed_entries

CIRCLE_POINTS = 32
EARTH_RADIUS_KM = 6371.0


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


def _geometry(entry: FeedEntry) -> dict[str, Any] | None:
    rings = [[[lon, lat] for lat, lon in polygon] for polygon in entry.area.polygons]
    rings += [circle_ring(*circle) for circle in entry.area.circles]
    if not rings:
        return None  # county-based alerts carry geocodes, as NWS zone alerts do
    return {"type": "MultiPolygon", "coordinates": [[ring] for ring in rings]}


def _feature(entry: FeedEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "type": "Feature",
        "geometry": _geometry(entry),
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
