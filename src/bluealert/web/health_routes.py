"""Liveness, readiness and metrics for the operators' monitoring."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from bluealert.app.database import schema_revision
from bluealert.errors import BlueAlertError
from bluealert.web.metrics import CONTENT_TYPE
from bluealert.web.state import StateDep

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: str
    schema_revision: str | None = None
    broker: str | None = Field(default=None, description="null when no broker is configured")


def broker_problem(url: str, timeout: float = 1.0) -> str | None:
    """Why the broker cannot be reached (a TCP connection to its host and port), or None."""
    parsed = urlsplit(url)
    host, port = parsed.hostname or "localhost", parsed.port or 5672
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as error:
        return f"cannot reach the broker at {host}:{port}: {error.strerror or error}"


@router.get("/healthz", response_model=Health, summary="The process answers")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "A dependency is not reachable"}},
    summary="The database (and broker, when configured) are reachable and migrated",
)
def readyz(web: StateDep, response: Response) -> Readiness:
    try:
        revision = schema_revision(web.ctx)
    except BlueAlertError as error:
        response.status_code = 503
        return Readiness(status="unavailable", database=error.message)
    if revision is None:
        response.status_code = 503
        return Readiness(status="unavailable", database="not migrated")
    broker = None
    if web.settings.broker_url:
        broker = broker_problem(web.settings.broker_url) or "ok"
        if broker != "ok":
            response.status_code = 503
            return Readiness(
                status="unavailable", database="ok", schema_revision=revision, broker=broker
            )
    return Readiness(status="ok", database="ok", schema_revision=revision, broker=broker)


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE.split(";")[0]: {}}}},
    summary="Prometheus metrics",
)
def metrics(web: StateDep) -> Response:
    return Response(web.metrics.exposition(), media_type=CONTENT_TYPE)
