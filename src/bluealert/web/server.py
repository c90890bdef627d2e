"""Run the app with uvicorn (uvloop, httptools). SIGTERM and Ctrl-C stop it cleanly:
uvicorn stops accepting, lets requests in flight finish, then the lifespan stops the timers.

`workers > 1` runs that many server processes on one socket (uvicorn's supervisor restarts
any that dies). The store is migrated once, here, before they start; each process then has
its own caches and rate limits, and only one of them at a time runs the timers and the
embedded dispatcher (`dispatch.lease.BackgroundLease`).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

from bluealert.app.context import open_app
from bluealert.app.database import upgrade_database
from bluealert.config import Settings
from bluealert.logs import configure_logging
from bluealert.web.app import BlueAlertApi, create_app

GRACE_SECONDS = 20
SETTINGS_VARIABLE = "BLUEALERT_SERVE_SETTINGS_JSON"  # how worker processes get the settings


class _BatchedWrites:
    """A transport whose writes made in one turn of the event loop leave in one system call.

    uvicorn writes a response's head and its body separately: two sends, and on loopback or
    a LAN two trips through the TCP stack, for what nginx sends with one. Everything but
    `write` and `close` passes through to the real transport."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))

    def flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class BatchedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol on a transport that batches its writes."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        batched = _BatchedWrites(transport, asyncio.get_running_loop())
        super().connection_made(batched)  # type: ignore[arg-type]


def _config(app: Any, host: str, port: int, **more: Any) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        loop="uvloop",
        http=BatchedHttpToolsProtocol,
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
