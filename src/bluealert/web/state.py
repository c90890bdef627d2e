"""What every request reaches through dependencies: the app context and the node's tools."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, cast

from fastapi import Depends, Request

from bluealert.app.context import AppContext
from bluealert.app.feeds import FeedWriter
from bluealert.app.renderings import RenderTools
from bluealert.config import Settings
from bluealert.web.metrics import Metrics
from bluealert.web.rate_limit import RateLimiter


@dataclass(frozen=True)
class CachedListing:
    """A public listing as sent, valid while the store's change marker is `marker` and, for
    active alerts, until the first of them expires."""

    marker: int
    until: datetime | None
    data: bytes
    media_type: str
    etag: str


@dataclass
class WebState:
    settings: Settings
    ctx: AppContext
    tools: RenderTools
    metrics: Metrics
    feeds: FeedWriter = field(default_factory=FeedWriter)
    feed_cache: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    listings: dict[Hashable, CachedListing] = field(default_factory=dict)


def web_state(request: Request) -> WebState:
    return cast(WebState, request.app.state.web)


def app_context(state: Annotated[WebState, Depends(web_state)]) -> AppContext:
    return state.ctx


StateDep = Annotated[WebState, Depends(web_state)]
ContextDep = Annotated[AppContext, Depends(app_context)]
