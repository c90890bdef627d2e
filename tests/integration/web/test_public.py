"""Public endpoints: filters like the NWS alerts API, the public tier only, ETags, pagination."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from bluealert.app import alerts as use_cases
from bluealert.domain.vocabulary import Status
from tests.integration.web.conftest import LE_NOTE, Web


def _references(web: Web, url: str) -> list[str]:
    answer = web.client.get(url)
    assert answer.status_code == 200, answer.text
    return [a["reference"] for a in answer.json()["alerts"]]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("", True),
        ("?status=actual", True),
        ("?status=exercise", False),
        ("?state=TX", True),
        ("?state=tx", True),
        ("?state=OK", False),
        ("?county=48113", True),  # Dallas County, named in the alert's area
        ("?county=48201", False),  # Harris County (Houston), not in it
        ("?point=32.78,-96.80", True),  # downtown Dallas
        ("?point=29.76,-95.37", False),  # downtown Houston
        ("?since=2026-11-24T02:00:00-06:00", True),  # 08:00 UTC, before the alert went out
        ("?since=2026-11-24T04:00:00-06:00", False),  # 10:00 UTC, after it
    ],
)
def test_filters_choose_the_alerts_of_a_place_and_time(web: Web, query: str, listed: bool) -> None:
    alert = web.active_alert()  # area: Denton and Dallas counties, sent at 09:00 UTC
    expected = [alert.reference] if listed else []
    assert _references(web, f"/api/v1/alerts/active{query}") == expected
    assert _references(web, f"/api/v1/alerts{query}") == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?state=ZZ", "state"),
        ("?county=4811", "county"),
        ("?point=33.2", "point"),
        ("?point=95,-97", "point"),
        ("?since=2026-11-24T04:00:00", "since"),  # no time zone
        ("?status=draft", "status"),
        ("?limit=0", "limit"),
        ("?cursor=%%%", "cursor"),
    ],
)
def test_a_bad_filter_is_a_problem_naming_it(web: Web, query: str, field: str) -> None:
    answer = web.client.get(f"/api/v1/alerts{query}")
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 422
    assert problem["field"] == field
    assert problem["errors"][0]["field"] == field


def test_ended_alerts_are_recent_but_not_active(web: Web) -> None:
    alert = web.active_alert()
    use_cases.cancel_alert(web.ctx, actor="tx.kim", key=alert.reference, reason="found")
    assert _references(web, "/api/v1/alerts/active") == []
    assert _references(web, "/api/v1/alerts") == [alert.reference]
    shown = web.client.get(f"/api/v1/alerts/{alert.reference}").json()
    assert shown["state"] == "cancelled"
    assert shown["msg_type"] == "Cancel"
    assert shown["headline"].startswith("Cancelled:")


def test_an_alert_past_its_expiry_is_not_active_before_the_sweep(web: Web) -> None:
    web.active_alert()
    web.clock.advance(days=3)  # past the plan's longest duration; no sweep has run
    assert _references(web, "/api/v1/alerts/active") == []


def test_drafts_exercises_and_pending_alerts_are_never_public(web: Web) -> None:
    exercise = web.active_alert(status="Exercise")
    actual = exercise.content.model_copy(update={"status": Status.ACTUAL})
    draft = use_cases.draft_alert(web.ctx, actor="sgt.reyes", content=actual)
    for key in (exercise.reference, draft.reference):
        answer = web.client.get(f"/api/v1/alerts/{key}")
        assert answer.status_code == 404
        assert answer.json()["type"] == "/problems/not-found"
        assert web.client.get(f"/api/v1/alerts/{key}/cap").status_code == 404
    assert _references(web, "/api/v1/alerts") == []
    feed = web.client.get("/feeds/alerts.json").json()
    assert feed["alerts"] == []


def test_public_responses_carry_no_law_enforcement_field(web: Web) -> None:
    alert = web.active_alert()
    bodies = [
        web.client.get("/api/v1/alerts").text,
        web.client.get("/api/v1/alerts/active").text,
        web.client.get(f"/api/v1/alerts/{alert.reference}").text,
        web.client.get("/api/v1/alerts", headers={"accept": "application/geo+json"}).text,
        web.client.get(f"/api/v1/alerts/{alert.reference}/cap").text,
        web.client.get(f"/cap/BLU-{alert.reference}-v1.xml").text,
        *(web.client.get(f"/feeds/alerts.{kind}").text for kind in ("atom", "rss", "json")),
        web.client.get("/feeds/alerts.geojson").text,
    ]
    for body in bodies:
        assert LE_NOTE not in body
        assert "Deputy Lee Fictional" not in body  # identity not released (next-of-kin gate)
        assert "law_enforcement_notes" not in body
        assert "attestations" not in body
        assert "sgt.reyes" not in body
        assert "tx.kim" not in body
    shown = web.client.get(f"/api/v1/alerts/{alert.reference}").json()
    assert set(shown["content"]) == {
        "kind", "status", "plan", "requesting_agency", "incident", "officers", "suspects",
        "vehicles", "instructions", "contact", "area", "public_text",
    }  # fmt: skip
    assert shown["content"]["officers"][0]["name"] is None


def test_the_restricted_cap_is_never_served_publicly(web: Web) -> None:
    alert = web.active_alert()
    assert web.client.get(f"/cap/BLU-{alert.reference}-v1-LE.xml").status_code == 404
    assert web.client.get(f"/cap/BLU-{alert.reference}-v2.xml").status_code == 404
    cap = etree.fromstring(web.client.get(f"/cap/BLU-{alert.reference}-v1.xml").content)
    ns = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
    assert cap.findtext("cap:identifier", namespaces=ns) == f"BLU-{alert.reference}-v1"
    assert cap.findtext("cap:scope", namespaces=ns) == "Public"


def test_an_alert_has_an_etag_and_answers_304_until_it_changes(web: Web) -> None:
    alert = web.active_alert()
    url = f"/api/v1/alerts/{alert.reference}"
    first = web.client.get(url)
    etag = first.headers["etag"]
    assert web.client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert web.client.get(url, headers={"if-none-match": f'"x", W/{etag}'}).status_code == 304
    use_cases.renew_alert(web.ctx, actor="tx.patel", key=alert.reference)
    changed = web.client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    assert changed.headers["etag"] != etag


def test_pages_follow_the_cursor_without_repeating(web: Web) -> None:
    made = []
    for _ in range(3):
        made.append(web.active_alert().reference)
        web.clock.advance(minutes=1)
    seen, cursor = [], None
    while True:
        url = "/api/v1/alerts?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = web.client.get(url).json()
        seen += [a["reference"] for a in body["alerts"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(made))  # newest first, each once


def test_geojson_is_a_feature_collection_when_asked_for(web: Web) -> None:
    alert = web.active_alert(area={"circles": [{"lat": 32.78, "lon": -96.8, "radius_km": 20}]})
    answer = web.client.get("/api/v1/alerts/active", headers={"accept": "application/geo+json"})
    assert answer.headers["content-type"] == "application/geo+json"
    collection = json.loads(answer.content)
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["properties"]["parameters"]["reference"] == [alert.reference]
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")  # RFC 7946


def test_feeds_answer_304_and_change_when_an_alert_goes_out(web: Web) -> None:
    empty = web.client.get("/feeds/alerts.atom")
    assert empty.status_code == 200
    assert empty.headers["content-type"].startswith("application/atom+xml")
    etag = empty.headers["etag"]
    assert web.client.get("/feeds/alerts.atom", headers={"if-none-match": etag}).status_code == 304
    assert not web.client.app.state.web.feeds.refresh(web.ctx)  # nothing changed: not rewritten
    alert = web.active_alert()
    assert web.client.app.state.web.feeds.refresh(web.ctx)
    fresh = web.client.get("/feeds/alerts.atom", headers={"if-none-match": etag})
    assert fresh.status_code == 200
    assert alert.reference in fresh.text
    assert (web.data_dir / "feeds" / "alerts.atom").read_bytes() == fresh.content
    assert web.client.get("/feeds/alerts.html").status_code == 422


def test_the_public_photo_is_served_only_for_a_public_alert(web: Web) -> None:
    sha = "0" * 64
    assert web.client.get(f"/photos/{sha}").status_code == 404
    assert web.client.get("/photos/not-a-digest").status_code == 422
