"""What every request reaches through dependencies: the app context and the node's tools."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, cast

from fastapi import Depends, Request

from bluealert.app.context import AppContext
from bluealert.app.feeds import FeedWriter
from bluealert.app.rate_limits import RateLimiter
from bluealert.app.renderings import RenderTools
from bluealert.config import Settings
from bluealert.web.feed_snapshots import FeedSnapshots
from bluealert.web.listing_cache import ListingCache
from bluealert.web.metrics import Metrics


@dataclass
class WebState:
    settings: Settings
    ctx: AppContext
    tools: RenderTools
    metrics: Metrics
    feeds: FeedWriter
    snapshots: FeedSnapshots
    listings: ListingCache
    limiter: RateLimiter


# Both async, though they do no I/O: FastAPI runs a plain `def` dependency in its thread pool,
# a hop that cost every route more than the rest of the dependency resolution.
async def web_state(request: Request) -> WebState:
    return cast(WebState, request.app.state.web)


async def app_context(state: Annotated[WebState, Depends(web_state)]) -> AppContext:
    return state.ctx


StateDep = Annotated[WebState, Depends(web_state)]
ContextDep = Annotated[AppContext, Depends(app_context)]
