"""The public listings as last sent, and when they may be sent again without asking the store.

A page is valid while the store's change marker (the audit log's last sequence number: every
change writes an event) is the one it was rendered at and, for active alerts, until the first
of them expires. It is trusted without reading the marker again while this process changed
nothing (the context's `changes` count is the same) and the marker was read within the last
second; a change made by another process (a CLI, another worker) shows within that second.
While one request reads the marker again, the others are answered the page they would have
been answered a moment before, rather than all asking the store at once.

Pages are kept by what was asked (filter, cursor, limit, JSON or GeoJSON), and each request
that asked for one by its path, query string and format, so that the public lane can answer
the same request again before FastAPI parses it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from bluealert.app.context import AppContext
from bluealert.app.public import PublicFilter, change_marker
from bluealert.web.http import etag_of

RECHECK_SECONDS = 1.0
MOST_KEPT = 1000  # many distinct filters: start afresh rather than grow
# filter, shown at all (status), cursor, limit, GeoJSON
ListingKey = tuple[PublicFilter, bool, str | None, int, bool]
RequestKey = tuple[str, bytes, bool]  # path, query string, GeoJSON
Rendered = tuple[bytes, str, datetime | None]  # body, media type, valid until


@dataclass(frozen=True)
class CachedListing:
    marker: int
    until: datetime | None
    data: bytes
    media_type: str
    etag: str
    changes: int  # the context's count when the marker was read
    checked: float  # when the marker was read (monotonic seconds)


class ListingCache:
    def __init__(self, ctx: AppContext, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ctx = ctx
        self.monotonic = monotonic
        self.pages: dict[ListingKey, CachedListing] = {}
        self.asked: dict[RequestKey, ListingKey] = {}
        self.rechecking: set[ListingKey] = set()

    def trusted(self, key: ListingKey) -> CachedListing | None:
        """The page, when it may be sent without asking the store (no I/O here)."""
        cached = self.pages.get(key)
        if cached is None:
            return None
        if cached.changes != self.ctx.changes:
            return None
        if self.monotonic() >= cached.checked + RECHECK_SECONDS and key not in self.rechecking:
            return None
        if cached.until is not None and self.ctx.clock() >= cached.until:
            return None
        return cached

    def trusted_for(self, asked: RequestKey) -> CachedListing | None:
        key = self.asked.get(asked)
        return None if key is None else self.trusted(key)

    async def refresh(
        self, key: ListingKey, asked: RequestKey, render: Callable[[], Rendered]
    ) -> CachedListing:
        """`current` in a thread, the page marked as being rechecked meanwhile."""
        self.rechecking.add(key)
        try:
            return await asyncio.to_thread(self.current, key, asked, render)
        finally:
            self.rechecking.discard(key)

    def current(
        self, key: ListingKey, asked: RequestKey, render: Callable[[], Rendered]
    ) -> CachedListing:
        """The page after reading the marker: the kept one if still valid, else rendered anew.
        Reads the store."""
        changes, checked = self.ctx.changes, self.monotonic()  # before the marker: miss none
        marker, now = change_marker(self.ctx), self.ctx.clock()
        cached = self.pages.get(key)
        if cached is None or cached.marker != marker or (cached.until and now >= cached.until):
            data, media_type, until = render()
            cached = CachedListing(marker, until, data, media_type, etag_of(data), changes, checked)
        else:
            cached = replace(cached, changes=changes, checked=checked)
        if len(self.pages) > MOST_KEPT or len(self.asked) > MOST_KEPT:
            self.pages.clear()
            self.asked.clear()
        self.pages[key] = cached
        self.asked[asked] = key
        return cached
