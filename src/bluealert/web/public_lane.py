"""The public lane: answers before FastAPI the public GETs whose answer is already in memory.

A crowd polls the feeds and the public listings. The lane answers `GET`/`HEAD` of a feed from
its snapshot (`web.feed_snapshots`), and of `/api/v1/alerts` or `/api/v1/alerts/active` with
the same query string (and format) as a request the route answered before, while that page
is trusted (`web.listing_cache`): no routing, no parameter parsing, no thread pool. It sets
what every response carries (the request id, the security headers) and the ETag, answers 304
to a matching `If-None-Match`, and logs and times the request as the middleware does, under
the route's template. Everything else (another method or path, a query never answered yet, a
page that must be checked against the store) goes on to the app, whose routes answer the same.

The lane serves only routes whose rule (`web.rules`) is public with no rate limit: it checks
that when it is built.
"""

from __future__ import annotations

import time

from bluealert.app.feeds import FEEDS
from bluealert.web.feed_snapshots import FeedSnapshots
from bluealert.web.listing_cache import ListingCache
from bluealert.web.metrics import Metrics
from bluealert.web.middleware import (
    SECURITY_HEADERS,
    Scope,
    Send,
    log_request,
    new_request_id,
    request_id_of,
)
from bluealert.web.rules import Rule

FEED_ROUTE = "/feeds/{name}"
FEED_PATHS = {f"/feeds/{name}": name for name in FEEDS}
LISTING_PATHS = {
    "/api/v1/alerts": "list_public_alerts",
    "/api/v1/alerts/active": "list_active_alerts",
}
GEOJSON = b"application/geo+json"
Headers = list[tuple[bytes, bytes]]


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """RFC 9110 13.1.2: a list of entity tags, or '*'; the weak prefix W/ is ignored."""
    tags = {t.strip().removeprefix(b"W/") for t in if_none_match.split(b",")}
    return b"*" in tags or etag in tags


class PublicLane:
    def __init__(
        self,
        snapshots: FeedSnapshots,
        listings: ListingCache,
        metrics: Metrics,
        rules: dict[str, Rule],
    ) -> None:
        for name in ("get_feed", *LISTING_PATHS.values()):
            if not rules[name].public or rules[name].rate is not None:
                raise ValueError(f"the public lane cannot serve {name}: it is not public")
        self.snapshots = snapshots
        self.listings = listings
        self.metrics = metrics

    async def answer(self, scope: Scope, send: Send) -> bool:
        """True when the lane answered; False leaves the request to the app."""
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return False
        path = scope["path"]
        if path in FEED_PATHS:
            return await self._feed(scope, send, FEED_PATHS[path])
        if path in LISTING_PATHS:
            return await self._listing(scope, send, path)
        return False

    async def _feed(self, scope: Scope, send: Send, name: str) -> bool:
        snapshot = self.snapshots.current(name)
        if snapshot is None:
            return False
        await self._send(scope, send, FEED_ROUTE, snapshot.etag, snapshot.headers, snapshot.body)
        return True

    async def _listing(self, scope: Scope, send: Send, path: str) -> bool:
        accept = next((v for k, v in scope["headers"] if k == b"accept"), b"")
        cached = self.listings.trusted_for((path, scope["query_string"], GEOJSON in accept))
        if cached is None:
            return False
        headers = [
            (b"content-type", cached.media_type.encode()),
            (b"content-length", str(len(cached.data)).encode()),
            (b"etag", cached.etag.encode()),
            (b"cache-control", b"no-cache"),
            *SECURITY_HEADERS,
        ]
        await self._send(scope, send, path, cached.etag.encode(), headers, cached.data)
        return True

    async def _send(
        self, scope: Scope, send: Send, route: str, etag: bytes, headers: Headers, body: bytes
    ) -> None:
        started = time.perf_counter()
        given, if_none_match = b"", b""
        for key, value in scope["headers"]:
            if key == b"x-request-id":
                given = value
            elif key == b"if-none-match":
                if_none_match = value
        request_id = request_id_of(given) if given else new_request_id()
        status = 200
        if if_none_match and etag_matches(if_none_match, etag):
            status, body = 304, b""
            headers = [h for h in headers if h[0] not in (b"content-type", b"content-length")]
        elif scope["method"] == "HEAD":
            body = b""
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*headers, (b"x-request-id", request_id.encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
        seconds = time.perf_counter() - started
        self.metrics.observe_request(scope["method"], route, status, seconds)
        log_request(scope, route, status, seconds, request_id, None)
