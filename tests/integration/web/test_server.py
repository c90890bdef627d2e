"""The server around the routes: health, metrics, problems, limits, headers, logs, timers."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bluealert.app import alerts as use_cases
from bluealert.app.demo_data import seed_demo_people
from bluealert.config import Settings
from bluealert.domain.vocabulary import AlertState
from bluealert.logs import JsonFormatter
from bluealert.web import create_app
from tests.conftest import Clock
from tests.integration.web.conftest import Web
from tests.integration.web.server_process import free_port
from tests.waiting import wait_for


def test_health_and_readiness(web: Web) -> None:
    assert web.client.get("/healthz").json() == {"status": "ok"}
    ready = web.client.get("/readyz").json()
    assert ready["status"] == "ok"
    assert re.fullmatch(r"\d{4}", ready["schema_revision"])


def test_not_ready_before_the_store_is_migrated(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path), background=False)
    client = TestClient(app, base_url="https://testserver")  # no lifespan: nothing migrated
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["database"] == "not migrated"


def test_metrics_count_alerts_by_state_and_time_requests(web: Web) -> None:
    web.active_alert()
    web.client.get("/api/v1/alerts")
    text = web.client.get("/metrics").text
    assert 'bluealert_alerts{state="active"} 1.0' in text
    assert 'bluealert_alerts{state="draft"} 0.0' in text
    assert (
        'bluealert_http_request_duration_seconds_count{method="GET",route="/api/v1/alerts",'
        'status="200"} 1.0'
    ) in text


@pytest.mark.parametrize(
    ("method", "path", "status", "kind"),
    [
        ("GET", "/no/such/route", 404, "/problems/not-found"),
        ("GET", "/api/v1/alerts/TX-2026-9999", 404, "/problems/not-found"),
        ("DELETE", "/healthz", 405, "/problems/method-not-allowed"),
    ],
)
def test_errors_are_problem_details(
    web: Web, method: str, path: str, status: int, kind: str
) -> None:
    answer = web.client.request(method, path)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"] == kind
    assert problem["status"] == status
    assert problem["instance"] == path
    assert problem["request_id"] == answer.headers["x-request-id"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, api_max_body_bytes=1000), background=False)
    client = TestClient(app, base_url="https://testserver")
    declared = client.post("/api/v1/alerts", content=b"x" * 1001)
    assert declared.status_code == 413
    assert declared.json()["type"] == "/problems/request-too-large"


def test_every_response_has_the_security_headers(web: Web) -> None:
    for path in ("/healthz", "/api/v1/alerts", "/no/such/route", "/api/docs"):
        headers = web.client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy.split("style")[0]
        assert "frame-ancestors 'none'" in policy
        assert headers["strict-transport-security"].startswith("max-age=")
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_request_ids_are_kept_or_made_and_logged_as_json(
    web: Web, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="bluealert.web.access"):
        kept = web.client.get("/healthz", headers={"x-request-id": "abc-123"})
        made = web.client.get("/healthz", headers={"x-request-id": "bad id\nwith newline"})
    assert kept.headers["x-request-id"] == "abc-123"
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records]
    assert [line["request_id"] for line in lines] == ["abc-123", made.headers["x-request-id"]]
    assert lines[0]["action"] == "http_request"
    assert lines[0]["route"] == "/healthz"
    assert lines[0]["status"] == 200


def test_openapi_31_and_docs_served_without_a_cdn(web: Web) -> None:
    spec = web.client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    page = web.client.get("/api/docs").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(s.startswith("/api/docs/assets/") for s in sources)
    assert "<script>" not in page  # no inline script: the CSP would block it
    for source in sources:
        asset = web.client.get(source)
        assert asset.status_code == 200
        assert len(asset.content) > 50
    bundle = web.client.get("/api/docs/assets/swagger-ui-bundle.js").text
    assert "SwaggerUIBundle" in bundle


def test_the_timer_expires_alerts_on_time(tmp_path: Path, clock: Clock) -> None:
    settings = Settings(data_dir=tmp_path, expiry_interval_seconds=0.05)
    app = create_app(settings, clock=clock)
    with TestClient(app, base_url="https://testserver") as client:
        web = Web(client, app.state.web.ctx, clock, settings.data_dir)
        seed_demo_people(web.ctx)
        alert = web.active_alert(expires_at=(clock.now + timedelta(hours=1)).isoformat())
        clock.advance(hours=2)
        wait_for(
            lambda: use_cases.get_alert(web.ctx, alert.reference).state is not AlertState.ACTIVE,
            10,
            "the timer to expire the alert",
        )
        assert use_cases.get_alert(web.ctx, alert.reference).state is AlertState.EXPIRED


@pytest.mark.parametrize(
    ("url", "ready"),
    [
        ("amqp://guest:guest@127.0.0.1:5672/", True),  # the RabbitMQ on this machine
        (f"amqp://guest:guest@127.0.0.1:{free_port()}/", False),  # nothing listens there
    ],
)
def test_ready_only_when_the_configured_broker_answers(
    tmp_path: Path, url: str, ready: bool
) -> None:
    app = create_app(Settings(data_dir=tmp_path, broker_url=url), background=False)
    with TestClient(app, base_url="https://testserver") as client:
        answer = client.get("/readyz")
    assert answer.status_code == (200 if ready else 503)
    assert (
        answer.json()["broker"] == "ok"
        if ready
        else "cannot reach the broker" in (answer.json()["broker"])
    )
