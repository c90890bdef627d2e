"""What every request reaches through dependencies: the app context and the node's tools."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, cast

from fastapi import Depends, Request

from bluealert.app.context import AppContext
from bluealert.app.feeds import FeedWriter
from bluealert.app.renderings import RenderTools
from bluealert.config import Settings
from bluealert.web.metrics import Metrics


@dataclass
class WebState:
    settings: Settings
    ctx: AppContext
    tools: RenderTools
    metrics: Metrics
    feeds: FeedWriter = field(default_factory=FeedWriter)
    feed_cache: dict[str, tuple[str, bytes]] = field(default_factory=dict)


def web_state(request: Request) -> WebState:
    return cast(WebState, request.app.state.web)


def app_context(state: Annotated[WebState, Depends(web_state)]) -> AppContext:
    return state.ctx


StateDep = Annotated[WebState, Depends(web_state)]
ContextDep = Annotated[AppContext, Depends(app_context)]
