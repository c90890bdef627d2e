"""Expiry over HTTP (issue 8): an approval after the requested expiry is a 409 problem naming
expires_at, with nothing changed; an expiry the plan caps is said in the response's version."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.web.conftest import SignedIn, Web
from tests.integration.web.test_alert_api import CLAIMS, _draft_body, _post, people

__all__ = ["people"]  # the fixture, used by name

HOUR = timedelta(hours=1)


def _pending(web: Web, people: dict[str, SignedIn], hours: float) -> str:
    asked = (web.clock.now + timedelta(hours=hours)).isoformat()
    drafted = _post(people["dep.odell"], "/api/v1/alerts", _draft_body(web, expires_at=asked))
    assert drafted.status_code == 201, drafted.text
    reference = str(drafted.json()["reference"])
    submitted = _post(people["sgt.reyes"], f"/api/v1/alerts/{reference}/submit", {"attest": CLAIMS})
    assert submitted.status_code == 200, submitted.text
    return reference


def test_approving_after_the_requested_expiry_is_a_409_naming_the_field(
    web: Web, people: dict[str, SignedIn]
) -> None:
    reference = _pending(web, people, 0.25)
    web.clock.advance(minutes=20)  # within the signed-in sessions' idle limit
    reader = people["tx.kim"].client
    before = reader.get(f"/api/v1/alerts/{reference}/restricted").json()
    refused = _post(people["tx.kim"], f"/api/v1/alerts/{reference}/approve")
    assert refused.status_code == 409
    problem = refused.json()
    assert refused.headers["content-type"] == "application/problem+json"
    assert (problem["type"], problem["field"]) == ("/problems/transition-refused", "expires_at")
    assert "has already passed" in problem["detail"]
    assert reader.get(f"/api/v1/alerts/{reference}/restricted").json() == before


def test_an_expiry_the_plan_caps_is_said_in_the_response(
    web: Web, people: dict[str, SignedIn]
) -> None:
    reference = _pending(web, people, 100)
    approved = _post(people["tx.kim"], f"/api/v1/alerts/{reference}/approve")
    assert approved.status_code == 200, approved.text
    body = approved.json()
    [version] = body["versions"]
    assert version["content"]["expires_at"] == body["expires_at"]
    [notice] = version["notices"]
    assert (notice["field"], notice["rule"]) == ("expires_at", "plan_max_duration")
    applies = (web.clock.now + 24 * HOUR).isoformat()
    assert notice["message"].endswith(f"it expires at {applies}")
