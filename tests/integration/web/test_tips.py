"""Tips: the public tells what it saw about an active alert; law enforcement reads and reviews.

A tip is law-enforcement data: never in a public answer. Submitting is public, rate-limited,
size-limited and validated field by field; a refused tip leaves nothing stored.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bluealert.app import alerts as use_cases
from bluealert.app.audit_log import export_audit
from bluealert.app.tips import list_tips
from bluealert.domain.tips import SAFETY_ADVICE
from bluealert.domain.vocabulary import Status
from tests.integration.web.conftest import Web

WITNESS = "Silver pickup, TX plate ABC-1234, heading north on I-35 past exit 468"
CONTACT = "witness@example.org, 555-0142"


def _tip(web: Web, **overrides: Any) -> dict[str, Any]:
    return {
        "seen": WITNESS,
        "location": "I-35 northbound at exit 468, Denton",
        "seen_at": (web.clock.now - timedelta(minutes=10)).isoformat(),
        "contact": CONTACT,
        "lat": 33.2148,
        "lon": -97.1331,
    } | overrides


def _post(web: Web, reference: str, body: Any) -> Any:
    return web.client.post(f"/api/v1/alerts/{reference}/tips", json=body)


def _stored(web: Web, reference: str) -> int:
    return len(list_tips(web.ctx, alert_key=reference))


def test_a_tip_is_received_and_only_a_receipt_comes_back(web: Web) -> None:
    alert = web.active_alert()
    answer = _post(web, alert.reference, _tip(web))
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert set(receipt) == {"id", "alert", "received_at", "advice"}
    assert receipt["alert"] == alert.reference
    assert receipt["advice"] == SAFETY_ADVICE
    assert WITNESS not in answer.text
    assert "witness@example.org" not in answer.text
    (stored,) = list_tips(web.ctx, alert_key=alert.reference)
    assert stored.id == receipt["id"]
    assert stored.submission.seen == WITNESS
    assert stored.submission.contact == CONTACT
    assert stored.received_at == web.clock.now
    assert stored.reviewed_at is None


def test_a_tip_is_audited_without_its_words_or_contact(web: Web) -> None:
    alert = web.active_alert()
    _post(web, alert.reference, _tip(web))
    assert web.audit_actions()[-1] == "tip.received"
    (event,) = [json.loads(e) for e in export_audit(web.ctx) if "tip.received" in e]
    assert event["actor"] == "public"
    assert event["data"] == {"alert": alert.reference, "with_contact": True, "with_point": True}
    assert WITNESS not in json.dumps(event)
    assert "555-0142" not in json.dumps(event)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"seen": None}, "seen"),
        ({"seen": "   "}, "seen"),  # blank once trimmed
        ({"seen": "x" * 2001}, "seen"),
        ({"location": ""}, "location"),
        ({"location": "x" * 301}, "location"),
        ({"seen_at": "2026-11-24T08:50:00"}, "seen_at"),  # no time zone
        ({"seen_at": "yesterday"}, "seen_at"),
        ({"contact": "x" * 201}, "contact"),
        ({"lat": 91}, "lat"),
        ({"lon": -181}, "lon"),
        ({"lon": None}, "lat"),  # a point gives both, or neither
        ({"license_plate": "ABC1234"}, "license_plate"),  # no field beyond the form's
    ],
)
def test_a_bad_tip_is_a_problem_naming_the_field(
    web: Web, change: dict[str, Any], field: str
) -> None:
    alert = web.active_alert()
    body = {k: v for k, v in (_tip(web) | change).items() if v is not None}
    answer = _post(web, alert.reference, body)
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["field"] == field
    assert problem["errors"][0]["field"] == field
    assert _stored(web, alert.reference) == 0


def test_a_sighting_in_the_future_is_refused_beyond_clock_skew(web: Web) -> None:
    alert = web.active_alert()
    ahead = (web.clock.now + timedelta(minutes=5, seconds=1)).isoformat()
    refused = _post(web, alert.reference, _tip(web, seen_at=ahead))
    assert refused.status_code == 422
    assert refused.json()["field"] == "seen_at"
    assert "future" in refused.json()["detail"]
    skewed = (web.clock.now + timedelta(minutes=5)).isoformat()  # a phone a little ahead
    assert _post(web, alert.reference, _tip(web, seen_at=skewed)).status_code == 201
    assert _stored(web, alert.reference) == 1


def test_an_optional_contact_and_point_may_be_left_out(web: Web) -> None:
    alert = web.active_alert()
    bare = {k: v for k, v in _tip(web).items() if k not in ("contact", "lat", "lon")}
    assert _post(web, alert.reference, bare).status_code == 201
    (stored,) = list_tips(web.ctx, alert_key=alert.reference)
    assert (stored.submission.contact, stored.submission.lat) == (None, None)


def test_no_tip_for_an_unknown_or_non_public_alert(web: Web) -> None:
    assert _post(web, "TX-2026-9999", _tip(web)).status_code == 404
    exercise = web.active_alert(status="Exercise")
    actual = exercise.content.model_copy(update={"status": Status.ACTUAL})
    draft = use_cases.draft_alert(web.ctx, actor="sgt.reyes", content=actual)
    for key in (exercise.reference, draft.reference):
        answer = _post(web, key, _tip(web))
        assert answer.status_code == 404  # not public: "not found", never "refused"
        assert answer.json()["type"] == "/problems/not-found"
        assert _stored(web, key) == 0


def test_no_tip_for_an_ended_alert(web: Web) -> None:
    cancelled = web.active_alert()
    use_cases.cancel_alert(web.ctx, actor="tx.kim", key=cancelled.reference, reason="found")
    answer = _post(web, cancelled.reference, _tip(web))
    assert answer.status_code == 409
    assert "cancelled" in answer.json()["detail"]
    past_due = web.active_alert()
    web.clock.advance(days=3)  # past its expiry; the sweep has not run yet
    late = _post(web, past_due.reference, _tip(web))
    assert late.status_code == 409
    assert "expired" in late.json()["detail"]
    assert _stored(web, cancelled.reference) == _stored(web, past_due.reference) == 0


def test_tips_are_rate_limited_per_address(web: Web) -> None:
    alert = web.active_alert()
    limit = web.client.app.state.web.settings.public_write_rate_per_minute
    for _ in range(limit):
        assert _post(web, alert.reference, _tip(web)).status_code == 201
    refused = _post(web, alert.reference, _tip(web))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["type"] == "/problems/too-many-requests"
    assert _stored(web, alert.reference) == limit
    web.clock.advance(seconds=61)
    assert _post(web, alert.reference, _tip(web)).status_code == 201


def test_a_tip_larger_than_its_limit_is_refused_before_it_is_read(web: Web) -> None:
    alert = web.active_alert()
    padded = json.dumps(_tip(web)) + " " * 16 * 1024
    answer = web.client.post(
        f"/api/v1/alerts/{alert.reference}/tips",
        content=padded,
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 413
    assert "16384 bytes" in answer.json()["detail"]
    assert _stored(web, alert.reference) == 0
    photo_sized = web.client.post("/api/v1/photos", content=b"x" * 20_000)
    assert photo_sized.status_code != 413  # other routes keep the API's own limit


def test_law_enforcement_lists_tips_and_marks_them_reviewed(web: Web) -> None:
    alert = web.active_alert()
    first = _post(web, alert.reference, _tip(web)).json()["id"]
    web.clock.advance(minutes=1)
    second = _post(web, alert.reference, _tip(web, seen="Same truck at a gas station")).json()
    coordinator = web.sign_in("tx.kim")
    url = f"/api/v1/alerts/{alert.reference}/tips"
    listed = coordinator.client.get(url).json()
    assert [t["id"] for t in listed["tips"]] == [first, second["id"]]
    assert listed["tips"][0]["contact"] == CONTACT
    assert listed["tips"][0]["seen"] == WITNESS
    assert listed["next_cursor"] is None
    reviewed = coordinator.client.post(
        f"{url}/{first}/review", json={"note": "DPS unit sent"}, headers=coordinator.headers()
    )
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["reviewed_by"] == "tx.kim"
    assert reviewed.json()["review_note"] == "DPS unit sent"
    assert reviewed.json()["reviewed_at"] is not None
    assert web.audit_actions()[-1] == "tip.reviewed"
    unreviewed = coordinator.client.get(f"{url}?reviewed=false").json()["tips"]
    assert [t["id"] for t in unreviewed] == [second["id"]]
    done = coordinator.client.get(f"{url}?reviewed=true").json()["tips"]
    assert [t["id"] for t in done] == [first]
    paged = coordinator.client.get(f"{url}?limit=1").json()
    assert [t["id"] for t in paged["tips"]] == [first]
    rest = coordinator.client.get(f"{url}?limit=1&cursor={paged['next_cursor']}").json()
    assert [t["id"] for t in rest["tips"]] == [second["id"]]


def test_reviewing_a_tip_of_another_alert_or_none_is_not_found(web: Web) -> None:
    alert, other = web.active_alert(), web.active_alert()
    tip = _post(web, other.reference, _tip(web)).json()["id"]
    coordinator = web.sign_in("tx.kim")
    for reference, tip_id in ((alert.reference, tip), (alert.reference, "no-such-tip")):
        answer = coordinator.client.post(
            f"/api/v1/alerts/{reference}/tips/{tip_id}/review",
            json={},
            headers=coordinator.headers(),
        )
        assert answer.status_code == 404
        assert answer.json()["field"] == "tip"
    too_long = coordinator.client.post(
        f"/api/v1/alerts/{other.reference}/tips/{tip}/review",
        json={"note": "x" * 501},
        headers=coordinator.headers(),
    )
    assert too_long.status_code == 422
    assert too_long.json()["field"] == "note"
    assert list_tips(web.ctx, alert_key=other.reference, reviewed=True) == []


def test_tips_stay_readable_after_the_alert_ends(web: Web) -> None:
    alert = web.active_alert()
    tip = _post(web, alert.reference, _tip(web)).json()["id"]
    use_cases.cancel_alert(web.ctx, actor="tx.kim", key=alert.reference, reason="found")
    supervisor = web.sign_in("sgt.reyes")
    listed = supervisor.client.get(f"/api/v1/alerts/{alert.reference}/tips").json()["tips"]
    assert [t["id"] for t in listed] == [tip]


def test_no_public_answer_carries_a_tip(web: Web) -> None:
    alert = web.active_alert()
    assert _post(web, alert.reference, _tip(web)).status_code == 201
    web.client.app.state.web.feeds.refresh(web.ctx)
    public = [
        "/api/v1/alerts",
        "/api/v1/alerts/active",
        f"/api/v1/alerts/{alert.reference}",
        f"/api/v1/alerts/{alert.reference}/cap",
        f"/cap/BLU-{alert.reference}-v1.xml",
        "/feeds/alerts.atom",
        "/feeds/alerts.rss",
        "/feeds/alerts.json",
        "/feeds/alerts.geojson",
    ]
    for path in public:
        answer = web.client.get(path)
        assert answer.status_code == 200, path
        assert "ABC-1234" not in answer.text, path
        assert "555-0142" not in answer.text, path
    anonymous = web.client.get(f"/api/v1/alerts/{alert.reference}/tips")
    assert anonymous.status_code == 401
    assert "ABC-1234" not in anonymous.text
