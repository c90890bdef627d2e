"""The Atom/RSS/GeoJSON/JSON feeds, served from the static snapshots with ETag and 304.

The route declares the feeds (OpenAPI, the access rule); a crowd's requests are answered
before routing by the feed lane (`web.feed_snapshots`), from the snapshots held in memory.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response

from bluealert.app.feeds import FEEDS
from bluealert.errors import StoreUnavailable
from bluealert.web.feed_snapshots import CACHE_CONTROL, Snapshot
from bluealert.web.http import matches
from bluealert.web.state import StateDep, WebState

router = APIRouter(tags=["public"])

FeedName = Literal["alerts.atom", "alerts.rss", "alerts.geojson", "alerts.json"]


def _snapshot(web: WebState, name: str) -> Snapshot:
    """The feed, written first when there is none yet (the timer writes it at start-up)."""
    found = web.snapshots.current(name)
    if found is None:
        web.feeds.refresh(web.ctx)
        web.snapshots.reload()
        found = web.snapshots.current(name)
    if found is None:
        raise StoreUnavailable(f"the feed snapshot {name} could not be written")
    return found


@router.get(
    "/feeds/{name}",
    response_class=Response,
    responses={200: {"content": {media: {} for _, media in FEEDS.values()}}},
    summary="A feed of the active public alerts (Atom with CAP fields, RSS 2.0, GeoJSON, JSON)",
)
def get_feed(request: Request, web: StateDep, name: Annotated[FeedName, Path()]) -> Response:
    # Reached only when the feed lane could not answer (an unknown name, no snapshot yet);
    # it answers as the lane does.
    snapshot = _snapshot(web, name)
    headers = {"etag": snapshot.etag.decode(), "cache-control": CACHE_CONTROL.decode()}
    if matches(request, headers["etag"]):
        return Response(status_code=304, headers=headers)
    return Response(snapshot.body, media_type=snapshot.media_type, headers=headers)
