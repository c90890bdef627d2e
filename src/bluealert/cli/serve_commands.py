"""`bluealert serve`: the API, public endpoints and feeds, with the expiry timer."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from bluealert.cli.output import err_console, reported_errors
from bluealert.config import load_settings
from bluealert.logs import configure_logging
from bluealert.web.server import serve as run_server


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            help="Server processes on the one socket (one of them runs the timers; caches are "
            "each process's own, rate limits the data directory's).",
            min=1,
            max=64,
        ),
    ] = 1,
) -> None:
    """Serve the API on HOST:PORT until Ctrl-C or SIGTERM; an empty store is created first."""
    with reported_errors():
        settings = load_settings()
        configure_logging(os.environ.get("BLUEALERT_LOG_LEVEL", "INFO"))
        processes = f", {workers} processes" if workers > 1 else ""
        err_console.print(
            f"bluealert serving on http://{host}:{port}{processes} (API docs at /api/docs)"
        )
        run_server(settings, host, port, workers)
