"""`create_app(settings)`: the whole HTTP surface, built when asked, never at import time."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute

from bluealert import __version__
from bluealert.app.context import open_app, utc_now
from bluealert.app.database import upgrade_database
from bluealert.app.deliveries import delivery_latency, delivery_outcomes
from bluealert.app.feeds import FeedWriter, feed_dir
from bluealert.app.public import alerts_by_state
from bluealert.app.rate_limits import RateLimiter
from bluealert.app.renderings import RenderTools
from bluealert.config import Settings
from bluealert.logs import get_logger
from bluealert.web import (
    alert_routes,
    delivery_routes,
    dissemination_routes,
    docs_routes,
    feed_routes,
    health_routes,
    network_routes,
    people_routes,
    public_routes,
    registry_routes,
    session_routes,
    tip_routes,
)
from bluealert.web.auth import authorise
from bluealert.web.background import Background
from bluealert.web.feed_snapshots import FeedSnapshots
from bluealert.web.listing_cache import ListingCache
from bluealert.web.metrics import Metrics
from bluealert.web.middleware import Receive, RequestMiddleware, Scope, Send
from bluealert.web.openapi import build_openapi
from bluealert.web.problems import install_problem_handlers
from bluealert.web.public_lane import PublicLane
from bluealert.web.rules import RULES
from bluealert.web.state import WebState

log = get_logger("bluealert.web")

DESCRIPTION = """The Blue Alert network's API. Public endpoints need no login; everything else
takes a session cookie (with its CSRF token for writes) or an API key. Errors are RFC 9457
problem details naming the field and the rule."""


class BlueAlertApi(FastAPI):
    """The FastAPI app with the public lane in front of it: a feed or public listing that is
    in memory and current never reaches FastAPI's middleware, routing or thread pool."""

    public_lane: PublicLane | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lane = self.public_lane
        if lane is not None and await lane.answer(scope, send):
            return
        await super().__call__(scope, receive, send)


def _lifespan(
    web: WebState, background: bool
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        before, after = await asyncio.to_thread(upgrade_database, web.ctx)
        log.info("store_ready", extra={"revision_from": before, "revision_to": after})
        work = Background(web) if background else None
        if work is not None:
            work.start()
        try:
            yield
        finally:
            if work is not None:
                await work.stop()
            web.limiter.close()
            web.ctx.engine.dispose()
            log.info("server_stopped")

    return lifespan


def _count_metrics(web: WebState) -> None:
    web.metrics.add_counts(
        "bluealert_alerts",
        "Alerts by lifecycle state.",
        ["state"],
        lambda: {(state,): n for state, n in alerts_by_state(web.ctx).items()},
    )
    web.metrics.add_counts(
        "bluealert_deliveries",
        "Deliveries by channel and outcome (planned, sending, sent, retrying, dead, …).",
        ["channel", "outcome"],
        lambda: {(c, o): n for (c, o), n in delivery_outcomes(web.ctx).items()},
    )
    web.metrics.add_latency(
        "bluealert_delivery_latency_seconds",
        "Time from approval (or change) to a delivery sent.",
        lambda bounds: delivery_latency(web.ctx, bounds),
    )


def _body_limits(routers: list[APIRouter]) -> list[tuple[re.Pattern[str], int]]:
    """The routes whose rule sets a smaller request size, as the paths they match."""
    return [
        (route.path_regex, limit)
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute)
        and (limit := RULES[route.name].max_body if route.name in RULES else None) is not None
    ]


def create_app(
    settings: Settings, *, clock: Callable[[], datetime] = utc_now, background: bool = True
) -> BlueAlertApi:
    """The app on `settings`; `background=False` leaves out the timers and the embedded
    dispatcher (`web.background`), for tests."""
    ctx, feeds = open_app(settings, clock), FeedWriter()
    web = WebState(
        settings=settings,
        ctx=ctx,
        tools=RenderTools(settings),
        metrics=Metrics(),
        feeds=feeds,
        snapshots=FeedSnapshots(feed_dir(ctx), feeds),
        listings=ListingCache(ctx),
        limiter=RateLimiter.in_data_dir(settings.data_dir, lambda: clock().timestamp()),
    )
    app = BlueAlertApi(
        title="bluealert",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan(web, background),
        dependencies=[Depends(authorise)],  # every route, by its rule in rules.RULES
    )
    app.state.web = web
    app.public_lane = PublicLane(web.snapshots, web.listings, web.metrics, RULES)
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    install_problem_handlers(app)
    routers = [
        module.router
        for module in (
            health_routes,
            public_routes,  # before alert_routes: /alerts/active is not an alert's reference
            feed_routes,
            docs_routes,
            session_routes,
            people_routes,
            alert_routes,
            network_routes,
            registry_routes,
            dissemination_routes,
            delivery_routes,
            tip_routes,
        )
    ]
    for router in routers:
        app.include_router(router)
    _count_metrics(web)
    app.add_middleware(
        RequestMiddleware,
        max_body_bytes=settings.api_max_body_bytes,
        metrics=web.metrics,
        body_limits=_body_limits(routers),
    )
    return app
