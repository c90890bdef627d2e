"""The Atom/RSS/GeoJSON/JSON feeds, served from the static snapshots with ETag and 304.

The ETag comes from the file's modification time and size: a stat, not a hash, per request,
so that a crowd polling the feed costs little more than a static web server would.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response

from bluealert.app.feeds import FEEDS, feed_dir
from bluealert.web.http import matches
from bluealert.web.state import StateDep, WebState

router = APIRouter(tags=["public"])

FeedName = Literal["alerts.atom", "alerts.rss", "alerts.geojson", "alerts.json"]


def _snapshot(web: WebState, name: str) -> tuple[str, bytes]:
    path = feed_dir(web.ctx) / name
    if not path.is_file():  # before the first snapshot (the timer writes it at start-up)
        web.feeds.refresh(web.ctx)
    stat = path.stat()
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    cached = web.feed_cache.get(name)
    if cached is None or cached[0] != etag:
        cached = (etag, path.read_bytes())
        web.feed_cache[name] = cached
    return cached


@router.get(
    "/feeds/{name}",
    response_class=Response,
    responses={200: {"content": {media: {} for _, media in FEEDS.values()}}},
    summary="A feed of the active public alerts (Atom with CAP fields, RSS 2.0, GeoJSON, JSON)",
)
def get_feed(request: Request, web: StateDep, name: Annotated[FeedName, Path()]) -> Response:
    etag, data = _snapshot(web, name)
    headers = {"etag": etag, "cache-control": "public, max-age=10"}
    if matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=FEEDS[name][1], headers=headers)
