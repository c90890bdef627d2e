"""The public lane: feeds and repeated public listings answered from memory, before FastAPI,
with every header, log line and metric the app gives; the app for everything else."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bluealert.app import alerts as use_cases
from bluealert.app.context import open_app
from bluealert.app.feeds import FeedWriter
from bluealert.config import Settings
from bluealert.logs import JsonFormatter
from bluealert.web import create_app, feed_routes, public_routes
from bluealert.web.feed_snapshots import RECHECK_SECONDS
from bluealert.web.middleware import SECURITY_HEADERS
from bluealert.web.public_lane import PublicLane
from bluealert.web.rules import LOGIN, RULES
from tests.integration.web.conftest import Web


class Monotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _not_the_app(*_: object, **__: object) -> object:
    raise AssertionError("the app's route was reached")


def test_a_feed_is_answered_before_the_app_with_every_header(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert web.client.get("/feeds/alerts.atom").status_code == 200  # the first snapshot
    monkeypatch.setattr(feed_routes, "_snapshot", _not_the_app)
    answer = web.client.get("/feeds/alerts.atom", headers={"x-request-id": "feed-1"})
    assert answer.status_code == 200
    assert answer.content == (web.data_dir / "feeds" / "alerts.atom").read_bytes()
    assert answer.headers["content-type"] == "application/atom+xml"
    assert answer.headers["content-length"] == str(len(answer.content))
    assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', answer.headers["etag"])
    assert answer.headers["cache-control"] == "public, max-age=10"
    assert answer.headers["x-request-id"] == "feed-1"
    for name, value in SECURITY_HEADERS:
        assert answer.headers[name.decode()] == value.decode()
    made = web.client.get("/feeds/alerts.rss", headers={"x-request-id": "bad id"})
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    assert made.headers["content-type"] == "application/rss+xml"


@pytest.mark.parametrize(
    ("given", "status"),
    [
        ("{etag}", 304),
        ('"other", {etag}', 304),
        ("W/{etag}", 304),
        ("*", 304),
        ('"other"', 200),
    ],
)
def test_a_feed_answers_304_to_a_matching_if_none_match(web: Web, given: str, status: int) -> None:
    etag = web.client.get("/feeds/alerts.json").headers["etag"]
    asked = {"if-none-match": given.format(etag=etag)}
    answer = web.client.get("/feeds/alerts.json", headers=asked)
    assert answer.status_code == status
    assert answer.headers["etag"] == etag
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert (answer.content == b"") == (status == 304)


def test_head_gives_the_headers_without_the_body(web: Web) -> None:
    body = web.client.get("/feeds/alerts.geojson").content
    answer = web.client.head("/feeds/alerts.geojson")
    assert answer.status_code == 200
    assert answer.content == b""
    assert answer.headers["content-length"] == str(len(body))


def test_what_the_lane_does_not_answer_goes_to_the_app(web: Web) -> None:
    assert web.client.get("/feeds/alerts.atom").status_code == 200
    wrong_method = web.client.post("/feeds/alerts.atom")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["content-type"] == "application/problem+json"
    assert web.client.get("/feeds/alerts.html").status_code == 422


def test_before_the_first_snapshot_the_route_writes_it(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path), background=False)
    with TestClient(app, base_url="https://testserver") as client:  # migrates; no timer
        assert not (tmp_path / "feeds").exists()
        answer = client.get("/feeds/alerts.json")
        assert answer.status_code == 200
        assert answer.json()["alerts"] == []
        assert (tmp_path / "feeds" / "alerts.json").read_bytes() == answer.content
        assert app.state.web.snapshots.current("alerts.json").body == answer.content


def test_this_process_s_new_snapshot_is_answered_at_once(web: Web) -> None:
    before = web.client.get("/feeds/alerts.atom")
    alert = web.active_alert()
    assert web.client.app.state.web.feeds.refresh(web.ctx)
    after = web.client.get("/feeds/alerts.atom")
    assert after.headers["etag"] != before.headers["etag"]
    assert alert.reference in after.text


def test_another_process_s_snapshot_is_answered_within_the_recheck(web: Web) -> None:
    clock = Monotonic()
    web.client.app.state.web.snapshots.clock = clock
    web.client.app.state.web.snapshots.reload()
    before = web.client.get("/feeds/alerts.atom")
    alert = web.active_alert()
    other = open_app(Settings(data_dir=web.data_dir), web.clock)  # e.g. `bluealert worker`
    assert FeedWriter().refresh(other)
    other.engine.dispose()
    assert web.client.get("/feeds/alerts.atom").headers["etag"] == before.headers["etag"]
    clock.now += RECHECK_SECONDS
    after = web.client.get("/feeds/alerts.atom")
    assert after.headers["etag"] != before.headers["etag"]
    assert alert.reference in after.text


def test_lane_answers_are_logged_and_timed_like_the_app_s(
    web: Web, caplog: pytest.LogCaptureFixture
) -> None:
    etag = web.client.get("/feeds/alerts.atom").headers["etag"]
    with caplog.at_level(logging.INFO, logger="bluealert.web.access"):
        web.client.get("/feeds/alerts.atom", headers={"x-request-id": "lane-2"})
        web.client.get("/feeds/alerts.atom", headers={"if-none-match": etag})
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records]
    assert [(line["route"], line["status"]) for line in lines] == [
        ("/feeds/{name}", 200),
        ("/feeds/{name}", 304),
    ]
    assert lines[0]["request_id"] == "lane-2"
    assert lines[0]["action"] == "http_request"
    assert lines[0]["path"] == "/feeds/alerts.atom"
    text = web.client.get("/metrics").text
    assert (
        'bluealert_http_request_duration_seconds_count{method="GET",route="/feeds/{name}",'
        'status="304"} 1.0'
    ) in text


def test_a_listing_asked_again_is_answered_before_the_app(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    alert = web.active_alert()
    first = web.client.get("/api/v1/alerts?status=actual")
    assert [a["reference"] for a in first.json()["alerts"]] == [alert.reference]
    monkeypatch.setattr(public_routes, "_filter", _not_the_app)
    again = web.client.get("/api/v1/alerts?status=actual")
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["content-type"] == "application/json"
    assert again.headers["referrer-policy"] == "no-referrer"
    not_modified = web.client.get(
        "/api/v1/alerts?status=actual", headers={"if-none-match": first.headers["etag"]}
    )
    assert not_modified.status_code == 304
    with pytest.raises(AssertionError, match="route was reached"):  # another query: the app
        web.client.get("/api/v1/alerts?status=actual&limit=5")


def test_geojson_and_json_of_the_same_query_are_kept_apart(web: Web) -> None:
    web.active_alert()
    as_json = web.client.get("/api/v1/alerts/active")
    geo = {"accept": "application/geo+json"}
    as_geojson = web.client.get("/api/v1/alerts/active", headers=geo)
    assert web.client.get("/api/v1/alerts/active").content == as_json.content
    again = web.client.get("/api/v1/alerts/active", headers=geo)
    assert again.headers["content-type"] == "application/geo+json"
    assert again.json()["type"] == "FeatureCollection"
    assert again.content == as_geojson.content


def test_a_change_made_here_is_listed_at_once(web: Web) -> None:
    assert web.client.get("/api/v1/alerts").json()["alerts"] == []
    alert = web.active_alert()
    listed = web.client.get("/api/v1/alerts").json()["alerts"]
    assert [a["reference"] for a in listed] == [alert.reference]
    use_cases.cancel_alert(web.ctx, actor="tx.kim", key=alert.reference, reason="found")
    assert web.client.get("/api/v1/alerts/active").json()["alerts"] == []


def test_a_change_made_elsewhere_is_listed_within_the_recheck(web: Web) -> None:
    clock = Monotonic()
    web.client.app.state.web.listings.monotonic = clock
    assert web.client.get("/api/v1/alerts/active").json()["alerts"] == []
    other = open_app(Settings(data_dir=web.data_dir), web.clock)  # the CLI, another worker
    web.ctx, here = other, web.ctx
    alert = web.active_alert()
    web.ctx = here
    other.engine.dispose()
    assert web.client.get("/api/v1/alerts/active").json()["alerts"] == []  # trusted still
    clock.now += RECHECK_SECONDS
    listed = web.client.get("/api/v1/alerts/active").json()["alerts"]
    assert [a["reference"] for a in listed] == [alert.reference]


def test_while_one_request_rechecks_the_others_get_the_page(web: Web) -> None:
    clock = Monotonic()
    listings = web.client.app.state.web.listings
    listings.monotonic = clock
    web.client.get("/api/v1/alerts")
    (key,) = listings.pages
    clock.now += RECHECK_SECONDS
    assert listings.trusted(key) is None
    listings.rechecking.add(key)
    assert listings.trusted(key) is listings.pages[key]
    web.active_alert()  # a change made here is never hidden, rechecking or not
    assert listings.trusted(key) is None


def test_an_active_listing_is_not_trusted_past_an_alert_s_expiry(web: Web) -> None:
    alert = web.active_alert()
    listed = web.client.get("/api/v1/alerts/active").json()["alerts"]
    assert [a["reference"] for a in listed] == [alert.reference]
    web.clock.advance(days=3)  # past its expiry; no sweep has run, nothing was written
    assert web.client.get("/api/v1/alerts/active").json()["alerts"] == []


def test_the_lane_serves_only_public_routes_without_a_rate_limit(web: Web) -> None:
    state = web.client.app.state.web
    for name in ("get_feed", "list_public_alerts", "list_active_alerts"):
        with pytest.raises(ValueError, match=name):
            PublicLane(state.snapshots, state.listings, state.metrics, {**RULES, name: LOGIN})
