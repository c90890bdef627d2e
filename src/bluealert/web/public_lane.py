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
from typing import NamedTuple

from bluealert.app.feeds import FEEDS
from bluealert.web.feed_snapshots import FeedSnapshots
from bluealert.web.listing_cache import CachedListing, ListingCache
from bluealert.web.metrics import Metrics
from bluealert.web.middleware import Scope, Send, log_access, new_request_id, request_id_of
from bluealert.web.prepared import Headers, Prepared
from bluealert.web.rules import Rule

FEED_ROUTE = "/feeds/{name}"
FEED_PATHS = {f"/feeds/{name}": name for name in FEEDS}
LISTING_PATHS = {
    "/api/v1/alerts": "list_public_alerts",
    "/api/v1/alerts/active": "list_active_alerts",
}
LISTING_CACHE_CONTROL = b"no-cache"
GEOJSON = b"application/geo+json"
MOST_PREPARED = 1000  # listings prepared: many distinct pages, start afresh rather than grow
# A request with one of these is left to the app by the protocol layer: a body to read or
# refuse, 100-continue to answer, a proxy's client address to take (uvicorn's middleware).
NOT_PLAIN = frozenset(
    (b"content-length", b"transfer-encoding", b"expect", b"x-forwarded-for", b"x-forwarded-proto")
)


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """RFC 9110 13.1.2: a list of entity tags, or '*'; the weak prefix W/ is ignored."""
    tags = {t.strip().removeprefix(b"W/") for t in if_none_match.split(b",")}
    return b"*" in tags or etag in tags


class Asked(NamedTuple):  # a tuple, not a frozen dataclass: made per request, at a third the cost
    """What the lane reads of a request's headers, in one pass."""

    request_id: bytes  # as given, or empty
    if_none_match: bytes
    geojson: bool
    plain: bool  # none of NOT_PLAIN

    @classmethod
    def of(cls, headers: Headers) -> Asked:
        given = if_none_match = b""
        geojson, plain = False, True
        for key, value in headers:
            if key == b"x-request-id":
                given = value
            elif key == b"if-none-match":
                if_none_match = value
            elif key == b"accept":
                geojson = GEOJSON in value
            elif key in NOT_PLAIN:
                plain = False
        return cls(given, if_none_match, geojson, plain)


class LaneAnswer(NamedTuple):
    route: str  # the route's template, for the log and the latency metric
    status: int  # 200 or 304
    request_id: str
    prepared: Prepared


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
        self.prepared: dict[tuple[str, str], Prepared] = {}

    def decide(self, path: str, query: bytes, asked: Asked) -> LaneAnswer | None:
        """The answer to a GET or HEAD of `path`, when the lane has it in memory; no I/O
        but for a feed's once-a-second look at its files."""
        found = self._find(path, query, asked.geojson)
        if found is None:
            return None
        route, prepared = found
        status = 200
        if asked.if_none_match and etag_matches(asked.if_none_match, prepared.etag):
            status = 304
        given = asked.request_id
        request_id = request_id_of(given) if given else new_request_id()
        return LaneAnswer(route, status, request_id, prepared)

    def record(
        self, method: str, path: str, client: str, answer: LaneAnswer, started: float
    ) -> None:
        """The latency metric and the access-log line, as the middleware gives any route."""
        seconds = time.perf_counter() - started
        self.metrics.observe_request(method, answer.route, answer.status, seconds)
        log_access(method, path, client, answer.route, answer.status, seconds, answer.request_id)

    async def answer(self, scope: Scope, send: Send) -> bool:
        """Answer through ASGI; True when the lane answered, False leaves it to the app."""
        method = scope["type"] == "http" and scope["method"]
        if method not in ("GET", "HEAD"):
            return False
        started = time.perf_counter()
        answer = self.decide(scope["path"], scope["query_string"], Asked.of(scope["headers"]))
        if answer is None:
            return False
        prepared, ok = answer.prepared, answer.status == 200
        headers = prepared.headers if ok else prepared.not_modified_headers
        await send(
            {
                "type": "http.response.start",
                "status": answer.status,
                "headers": [*headers, (b"x-request-id", answer.request_id.encode())],
            }
        )
        body = prepared.body if ok and method == "GET" else b""
        await send({"type": "http.response.body", "body": body})
        self.record(method, scope["path"], (scope.get("client") or ("", 0))[0], answer, started)
        return True

    def _find(self, path: str, query: bytes, geojson: bool) -> tuple[str, Prepared] | None:
        name = FEED_PATHS.get(path)
        if name is not None:
            snapshot = self.snapshots.current(name)
            return None if snapshot is None else (FEED_ROUTE, snapshot.prepared)
        if path in LISTING_PATHS:
            cached = self.listings.trusted_for((path, query, geojson))
            return None if cached is None else (path, self._prepared_listing(cached))
        return None

    def _prepared_listing(self, cached: CachedListing) -> Prepared:
        key = (cached.etag, cached.media_type)
        found = self.prepared.get(key)
        if found is None:
            if len(self.prepared) >= MOST_PREPARED:
                self.prepared.clear()
            media_type, etag = cached.media_type.encode(), cached.etag.encode()
            found = Prepared.of(cached.data, media_type, etag, LISTING_CACHE_CONTROL)
            self.prepared[key] = found
        return found
