"""Public endpoints, no login: alerts as JSON or GeoJSON, one alert, its CAP and SAME audio.

Filters follow the NWS alerts API (api.weather.gov/alerts): `status`, an area (`state`,
`county`, `point=lat,lon`) and `since`. Only Actual alerts that went out are ever public.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import AwareDatetime

from bluealert.app.public import (
    PublicFilter,
    public_alert,
    public_alerts,
    public_photo,
)
from bluealert.app.renderings import render_alert
from bluealert.domain.alert import Alert
from bluealert.domain.model import check_state
from bluealert.errors import InvalidInput, NotFound
from bluealert.formats.context import RenderContext
from bluealert.formats.feeds.geojson import render_geojson
from bluealert.web.http import conditional
from bluealert.web.listing_cache import ListingKey
from bluealert.web.pagination import CursorQuery, LimitQuery, page
from bluealert.web.schemas.public import AlertPublic, AlertsPublic
from bluealert.web.state import StateDep, WebState

router = APIRouter(tags=["public"])

GEOJSON = "application/geo+json"
POINT = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
CAP_IDENTIFIER = re.compile(r"^BLU-(?P<reference>[A-Z]{2}-\d{4}-\d{4,})-v(?P<number>\d{1,4})$")

StatusQuery = Annotated[
    Literal["actual", "exercise", "test"] | None,
    Query(description="CAP status. Exercises and tests are never public: they list nothing."),
]
StateQuery = Annotated[
    str | None, Query(description="USPS code: alerts whose area reaches it.", max_length=2)
]
CountyQuery = Annotated[
    str | None, Query(description="5-digit county FIPS code.", pattern=r"^\d{5}$")
]
PointQuery = Annotated[
    str | None, Query(description="`lat,lon`: alerts whose area holds it.", max_length=40)
]
SinceQuery = Annotated[
    AwareDatetime | None, Query(description="Sent at or after (with a time zone).")
]
ReferencePath = Annotated[
    str, Path(description="Alert reference, e.g. TX-2026-0007.", max_length=40)
]
GEOJSON_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {GEOJSON: {"schema": {"type": "object", "title": "FeatureCollection"}}},
        "description": "JSON, or GeoJSON when asked with `Accept: application/geo+json`.",
    }
}


def _point(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    found = POINT.match(text)
    if not found:
        raise InvalidInput("write the point as lat,lon in degrees, e.g. 33.2,-97.1", field="point")
    lat, lon = float(found[1]), float(found[2])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput("latitude within ±90 and longitude within ±180", field="point")
    return lat, lon


def _filter(
    active: bool, state: str | None, county: str | None, point: str | None, since: datetime | None
) -> PublicFilter:
    try:
        usps = check_state(state) if state else None
    except ValueError as error:
        raise InvalidInput(str(error), field="state") from None
    return PublicFilter(active, usps, county, _point(point), since)


def wants_geojson(accept: str) -> bool:
    return GEOJSON in accept


async def _listing(
    request: Request,
    web: WebState,
    wanted: PublicFilter,
    shown: bool,
    cursor: str | None,
    limit: int,
) -> Response:
    """The page from the cache while it is trusted (on the event loop, no database); else the
    marker is read again in a thread, and the page rendered again only if it changed."""
    geojson = wants_geojson(request.headers.get("accept", ""))
    key: ListingKey = (wanted, shown, cursor, limit, geojson)
    cached = web.listings.trusted(key)
    if cached is None:
        asked = (request.url.path, request.scope["query_string"], geojson)
        render = partial(_render_listing, web, *key)
        cached = await web.listings.refresh(key, asked, render)
    return conditional(request, cached.data, cached.media_type, etag=cached.etag)


def _render_listing(
    web: WebState,
    wanted: PublicFilter,
    shown: bool,
    cursor: str | None,
    limit: int,
    geojson: bool,
) -> tuple[bytes, str, datetime | None]:
    found = public_alerts(web.ctx, wanted) if shown else []
    expiries = [a.expires_at for a in found if a.expires_at is not None]
    until = min(expiries) if wanted.active_only and expiries else None
    chosen, next_cursor = page(found, lambda a: a.id, cursor, limit)
    if geojson:
        render_ctx = RenderContext(
            now=web.ctx.clock(), sender=web.settings.cap_sender, base_url=web.settings.base_url
        )
        return render_geojson(chosen, render_ctx), GEOJSON, until
    body = AlertsPublic(
        alerts=[AlertPublic.of(a, web.settings.base_url) for a in chosen], next_cursor=next_cursor
    )
    return body.model_dump_json().encode(), "application/json", until


@router.get(
    "/api/v1/alerts",
    response_model=AlertsPublic,
    responses=GEOJSON_RESPONSE,
    summary="Recent public alerts (active and ended)",
)
async def list_public_alerts(
    request: Request,
    web: StateDep,
    status: StatusQuery = None,
    state: StateQuery = None,
    county: CountyQuery = None,
    point: PointQuery = None,
    since: SinceQuery = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 100,
) -> Response:
    wanted = _filter(False, state, county, point, since)
    return await _listing(request, web, wanted, status in (None, "actual"), cursor, limit)


@router.get(
    "/api/v1/alerts/active",
    response_model=AlertsPublic,
    responses=GEOJSON_RESPONSE,
    summary="Active public alerts",
)
async def list_active_alerts(
    request: Request,
    web: StateDep,
    status: StatusQuery = None,
    state: StateQuery = None,
    county: CountyQuery = None,
    point: PointQuery = None,
    since: SinceQuery = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 100,
) -> Response:
    wanted = _filter(True, state, county, point, since)
    return await _listing(request, web, wanted, status in (None, "actual"), cursor, limit)


@router.get("/api/v1/alerts/{reference}", response_model=AlertPublic, summary="One public alert")
def get_public_alert(request: Request, web: StateDep, reference: ReferencePath) -> Response:
    alert = public_alert(web.ctx, reference)
    body = AlertPublic.of(alert, web.settings.base_url).model_dump_json().encode()
    return conditional(request, body, "application/json")


CAP_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/cap+xml": {}}, "description": "Signed CAP 1.2"}
}
WAV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"audio/wav": {}}, "description": "SAME header, message, EOM"}
}


def _public_rendering(
    request: Request, web: StateDep, alert: Alert, fmt: str, number: int | None = None
) -> Response:
    rendering = render_alert(web.ctx, alert, fmt, web.tools, number=number)
    signed = {"x-cap-signed": "yes" if web.tools.signer else "no"} if fmt == "cap" else {}
    return conditional(request, rendering.data, rendering.media_type, headers=signed)


@router.get(
    "/api/v1/alerts/{reference}/cap",
    response_class=Response,
    responses=CAP_RESPONSE,
    summary="The public CAP 1.2 message of the current version, signed by this node",
)
def get_public_cap(request: Request, web: StateDep, reference: ReferencePath) -> Response:
    return _public_rendering(request, web, public_alert(web.ctx, reference), "cap")


@router.get(
    "/cap/{identifier}.xml",
    response_class=Response,
    responses=CAP_RESPONSE,
    summary="A public CAP message by its identifier (the feeds link here)",
)
def get_cap_by_identifier(
    request: Request, web: StateDep, identifier: Annotated[str, Path(max_length=60)]
) -> Response:
    found = CAP_IDENTIFIER.match(identifier)
    if not found:
        raise NotFound(f"no public CAP message {identifier!r}")
    alert = public_alert(web.ctx, found["reference"])
    number = int(found["number"])
    if not 1 <= number <= len(alert.versions) or alert.versions[number - 1].published_at is None:
        raise NotFound(f"no public CAP message {identifier!r}")
    return _public_rendering(request, web, alert, "cap", number)


@router.get(
    "/api/v1/alerts/{reference}/same-audio",
    response_class=Response,
    responses=WAV_RESPONSE,
    summary="The SAME audio (header, spoken message, end of message) as WAV",
)
def get_public_same_audio(request: Request, web: StateDep, reference: ReferencePath) -> Response:
    return _public_rendering(request, web, public_alert(web.ctx, reference), "same-audio")


@router.get(
    "/photos/{sha256}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}}}},
    summary="A suspect photo that a public alert shows",
)
def get_public_photo(
    request: Request, web: StateDep, sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
) -> Response:
    media_type, data = public_photo(web.ctx, sha256)
    return conditional(request, data, media_type, cache="public, max-age=86400")
