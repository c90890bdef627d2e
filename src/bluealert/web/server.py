"""Run the app with uvicorn (uvloop, httptools). SIGTERM and Ctrl-C stop it cleanly:
uvicorn stops accepting, lets requests in flight finish, then the lifespan stops the timers."""

from __future__ import annotations

import uvicorn

from bluealert.config import Settings
from bluealert.web.app import create_app

GRACE_SECONDS = 20


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        loop="uvloop",
        http="httptools",
        lifespan="on",
        log_config=None,  # bluealert's JSON lines, not uvicorn's text
        access_log=False,  # the request middleware writes the access log, with request ids
        server_header=False,
        timeout_graceful_shutdown=GRACE_SECONDS,
    )
    uvicorn.Server(config).run()
