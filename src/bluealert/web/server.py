"""Run the app with uvicorn (uvloop, httptools). SIGTERM and Ctrl-C stop it cleanly:
uvicorn stops accepting, lets requests in flight finish, then the lifespan stops the timers.

`workers > 1` runs that many server processes on one socket (uvicorn's supervisor restarts
any that dies). The store is migrated once, here, before they start; each process then has
its own caches (the rate limits are the data directory's: `store.rate_windows`), and only one
of them at a time runs the timers and the embedded dispatcher (`dispatch.lease.BackgroundLease`).
"""

from __future__ import annotations

import os
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

from bluealert.app.context import open_app
from bluealert.app.database import upgrade_database
from bluealert.config import Settings
from bluealert.logs import configure_logging
from bluealert.web.app import BlueAlertApi, create_app
from bluealert.web.lane_protocol import LaneHttpToolsProtocol

GRACE_SECONDS = 20
SETTINGS_VARIABLE = "BLUEALERT_SERVE_SETTINGS_JSON"  # how worker processes get the settings


def _config(app: Any, host: str, port: int, **more: Any) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        loop="uvloop",
        http=LaneHttpToolsProtocol,  # the public lane answered in the protocol
        ws="none",  # no route speaks WebSocket
        lifespan="on",
        log_config=None,  # bluealert's JSON lines, not uvicorn's text
        access_log=False,  # the request middleware writes the access log, with request ids
        server_header=False,
        timeout_graceful_shutdown=GRACE_SECONDS,
        **more,
    )


def worker_app() -> BlueAlertApi:
    """The app of one worker process, on the settings its parent handed down."""
    configure_logging(os.environ.get("BLUEALERT_LOG_LEVEL", "INFO"))
    return create_app(Settings.model_validate_json(os.environ[SETTINGS_VARIABLE]))


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    if workers == 1:
        uvicorn.Server(_config(create_app(settings), host, port)).run()
        return
    ctx = open_app(settings)
    upgrade_database(ctx)  # once, before the workers race to it
    ctx.engine.dispose()
    os.environ[SETTINGS_VARIABLE] = settings.model_dump_json()
    config = _config(
        "bluealert.web.server:worker_app",
        host,
        port,
        factory=True,
        workers=workers,
        # A worker answers the supervisor's ping only once it has imported everything, which
        # on a busy machine takes longer than uvicorn's 5 s: it would be killed while starting.
        timeout_worker_healthcheck=60,
    )
    Multiprocess(config, sockets=[config.bind_socket()]).run()
