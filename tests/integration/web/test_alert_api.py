"""The alert lifecycle over HTTP, each step by the person the rules allow, and the problems a
wrong step gets."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from lxml import etree
from PIL import Image

from tests.factories import alert_data
from tests.integration.web.conftest import LE_NOTE, SignedIn, Web

CLAIMS = ["officer_status_confirmed", "suspect_not_apprehended", "suspect_poses_serious_risk"]
CAP = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}


def _draft_body(web: Web, **overrides: Any) -> dict[str, Any]:
    data = alert_data(web.clock.now - timedelta(minutes=1), **overrides)
    data.pop("attestations", None)
    data["law_enforcement_notes"] = LE_NOTE
    return data


def _post(signed: SignedIn, url: str, body: Any = None) -> Any:
    return signed.client.post(url, json=body, headers=signed.headers())


@pytest.fixture
def people(web: Web) -> dict[str, SignedIn]:
    names = ("dep.odell", "sgt.reyes", "tx.kim", "tx.patel", "ok.lee", "natl.brooks", "admin")
    return {name: web.sign_in(name) for name in names}


def _active(web: Web, people: dict[str, SignedIn]) -> str:
    drafted = _post(people["dep.odell"], "/api/v1/alerts", _draft_body(web))
    assert drafted.status_code == 201, drafted.text
    reference = drafted.json()["reference"]
    submitted = _post(people["sgt.reyes"], f"/api/v1/alerts/{reference}/submit", {"attest": CLAIMS})
    assert submitted.status_code == 200, submitted.text
    approved = _post(people["tx.kim"], f"/api/v1/alerts/{reference}/approve")
    assert approved.status_code == 200, approved.text
    return str(reference)


def test_draft_submit_approve_as_two_people(web: Web, people: dict[str, SignedIn]) -> None:
    drafted = _post(people["dep.odell"], "/api/v1/alerts", _draft_body(web))
    assert drafted.status_code == 201
    body = drafted.json()
    reference = body["reference"]
    assert drafted.headers["location"] == f"/api/v1/alerts/{reference}"
    assert body["state"] == "draft"
    assert body["versions"][0]["content"]["law_enforcement_notes"] == LE_NOTE
    criteria = people["dep.odell"].client.get(f"/api/v1/alerts/{reference}/criteria").json()
    assert {r["outcome"] for r in criteria["results"]} >= {"met", "unknown"}
    early = _post(people["dep.odell"], f"/api/v1/alerts/{reference}/submit", {"attest": []})
    assert early.status_code == 409
    assert early.json()["type"] == "/problems/criteria-not-met"
    assert early.json()["reasons"]
    submitted = _post(people["sgt.reyes"], f"/api/v1/alerts/{reference}/submit", {"attest": CLAIMS})
    assert submitted.json()["alert"]["state"] == "pending_approval"
    assert submitted.json()["criteria"]["plan"] == "TX"
    wrong_state = _post(people["ok.lee"], f"/api/v1/alerts/{reference}/approve")
    assert wrong_state.status_code == 403
    approved = _post(people["tx.kim"], f"/api/v1/alerts/{reference}/approve")
    assert approved.json()["state"] == "active"
    assert approved.json()["approved_by"] == "tx.kim"
    public = web.client.get(f"/api/v1/alerts/{reference}").json()
    assert public["state"] == "active"


def test_a_coordinator_may_not_approve_her_own_draft(web: Web, people: dict[str, SignedIn]) -> None:
    drafted = _post(people["tx.patel"], "/api/v1/alerts", _draft_body(web))
    reference = drafted.json()["reference"]
    submitted = _post(people["sgt.reyes"], f"/api/v1/alerts/{reference}/submit", {"attest": CLAIMS})
    assert submitted.status_code == 200, submitted.text
    own = _post(people["tx.patel"], f"/api/v1/alerts/{reference}/approve")
    assert own.status_code == 403
    assert "two-person" in own.json()["detail"]
    assert _post(people["tx.kim"], f"/api/v1/alerts/{reference}/approve").status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"plan": "ZZ"}, "plan"),
        ({"kind": "bank_robbery"}, "kind"),
        ({"incident": {"occurred_at": "2026-11-24T08:00:00", "location": {"description": "x"}}},
         "incident.occurred_at"),
        ({"area": {}}, "area"),
        ({"officers": []}, "officers"),
    ],
)  # fmt: skip
def test_a_bad_draft_is_a_422_naming_the_field(
    web: Web, people: dict[str, SignedIn], change: dict[str, Any], field: str
) -> None:
    before = web.client.get("/api/v1/alerts").json()
    answer = _post(people["dep.odell"], "/api/v1/alerts", _draft_body(web) | change)
    assert answer.status_code == 422
    problem = answer.json()
    assert any(e["field"].startswith(field) for e in problem["errors"]), problem
    assert web.client.get("/api/v1/alerts").json() == before


def test_not_json_and_over_the_limit_are_problems_not_500s(
    web: Web, people: dict[str, SignedIn]
) -> None:
    signed = people["dep.odell"]
    broken = signed.client.post(
        "/api/v1/alerts",
        content=b"{not json",
        headers=signed.headers() | {"content-type": "application/json"},
    )
    assert broken.status_code == 422

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(12):
            yield b" " * (1024 * 1024)

    huge = signed.client.post("/api/v1/alerts", content=chunks(), headers=signed.headers())
    assert huge.status_code == 413


def test_every_rendering_of_a_version(web: Web, people: dict[str, SignedIn]) -> None:
    reference = _active(web, people)
    reader = people["tx.kim"].client
    base = f"/api/v1/alerts/{reference}/versions/1"
    public_cap = etree.fromstring(reader.get(f"{base}/cap").content)
    assert public_cap.findtext("cap:scope", namespaces=CAP) == "Public"
    restricted = reader.get(f"{base}/cap-restricted")
    assert restricted.headers["content-type"] == "application/cap+xml"
    assert LE_NOTE in restricted.text
    assert LE_NOTE not in reader.get(f"{base}/cap").text
    assert reader.get(f"{base}/same").text.startswith("ZCZC-")
    wea = reader.get(f"{base}/wea").json()
    assert set(wea) == {"en.90", "en.360", "es.90", "es.360"}
    assert len(wea["en.90"]["text"]) <= 90
    assert reader.get(f"{base}/dms").status_code == 200
    assert reader.get(f"{base}/teletype").status_code == 200
    assert reader.get(f"{base}/pdf").status_code == 422
    assert reader.get(f"/api/v1/alerts/{reference}/versions/9/cap").status_code == 404


def test_update_with_if_match_refuses_a_stale_base(web: Web, people: dict[str, SignedIn]) -> None:
    reference = _active(web, people)
    kim = people["tx.kim"]
    seen = kim.client.get(f"/api/v1/alerts/{reference}/restricted")
    etag = seen.headers["etag"]
    assert (
        kim.client.get(
            f"/api/v1/alerts/{reference}/restricted", headers={"if-none-match": etag}
        ).status_code
        == 304
    )
    content = seen.json()["versions"][-1]["content"]
    content.pop("attestations", None)
    content["vehicles"][0]["plate"]["number"] = "KZT4781"
    update = {"content": content, "note": "full plate"}
    changed = kim.client.put(
        f"/api/v1/alerts/{reference}", json=update, headers=kim.headers() | {"if-match": etag}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["versions"][-1]["number"] == 2
    stale = kim.client.put(
        f"/api/v1/alerts/{reference}", json=update, headers=kim.headers() | {"if-match": etag}
    )
    assert stale.status_code == 412
    assert stale.json()["type"] == "/problems/precondition-failed"


def test_renew_then_resolve_and_cancel_another(web: Web, people: dict[str, SignedIn]) -> None:
    first, second = _active(web, people), _active(web, people)
    renewed = _post(people["tx.patel"], f"/api/v1/alerts/{first}/renew")
    assert renewed.json()["versions"][-1]["msg_type"] == "Update"
    resolved = _post(
        people["sgt.reyes"],
        f"/api/v1/alerts/{first}/resolve",
        {"resolution": "suspect_apprehended"},
    )
    assert resolved.json()["state"] == "resolved"
    no_reason = _post(people["tx.kim"], f"/api/v1/alerts/{second}/cancel", {"reason": ""})
    assert no_reason.status_code == 422
    cancelled = _post(people["tx.kim"], f"/api/v1/alerts/{second}/cancel", {"reason": "found"})
    assert cancelled.json()["state"] == "cancelled"
    again = _post(people["tx.kim"], f"/api/v1/alerts/{second}/cancel", {"reason": "found"})
    assert again.status_code == 409


def test_return_and_reject_a_pending_alert(web: Web, people: dict[str, SignedIn]) -> None:
    drafted = _post(people["dep.odell"], "/api/v1/alerts", _draft_body(web)).json()["reference"]
    _post(people["sgt.reyes"], f"/api/v1/alerts/{drafted}/submit", {"attest": CLAIMS})
    returned = _post(people["tx.kim"], f"/api/v1/alerts/{drafted}/return", {"reason": "add plate"})
    assert returned.json()["state"] == "draft"
    _post(people["sgt.reyes"], f"/api/v1/alerts/{drafted}/submit", {"attest": CLAIMS})
    rejected = _post(people["tx.kim"], f"/api/v1/alerts/{drafted}/reject", {"reason": "duplicate"})
    assert rejected.json()["state"] == "rejected"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_a_photo_is_stored_named_by_a_draft_and_public_once_it_is(
    web: Web, people: dict[str, SignedIn]
) -> None:
    deputy = people["dep.odell"]
    added = deputy.client.post(
        "/api/v1/photos", content=_png(), headers=deputy.headers() | {"content-type": "image/png"}
    )
    assert added.status_code == 201, added.text
    ref = added.json()
    assert ref["media_type"] == "image/png"
    not_image = deputy.client.post(
        "/api/v1/photos", content=b"GIF89a....", headers=deputy.headers()
    )
    assert not_image.status_code == 422
    body = _draft_body(web)
    body["suspects"][0]["photos"] = [ref]
    reference = _post(deputy, "/api/v1/alerts", body).json()["reference"]
    assert deputy.client.get(f"/api/v1/photos/{ref['sha256']}").content[:4] == b"\x89PNG"
    assert web.client.get(f"/photos/{ref['sha256']}").status_code == 404  # only a draft names it
    _post(people["sgt.reyes"], f"/api/v1/alerts/{reference}/submit", {"attest": CLAIMS})
    _post(people["tx.kim"], f"/api/v1/alerts/{reference}/approve")
    assert web.client.get(f"/photos/{ref['sha256']}").content[:4] == b"\x89PNG"


def test_cross_state_request_and_accept(web: Web, people: dict[str, SignedIn]) -> None:
    reference = _active(web, people)
    suggested = people["tx.kim"].client.get(f"/api/v1/alerts/{reference}/activation-suggestions")
    assert suggested.status_code == 200
    asked = _post(
        people["tx.kim"],
        f"/api/v1/alerts/{reference}/activation-requests",
        {"to_state": "ok", "note": "northbound"},
    )
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["id"]
    listed = people["ok.lee"].client.get("/api/v1/activation-requests?state=OK").json()
    assert [r["id"] for r in listed] == [request_id]
    assert people["tx.kim"].client.get("/api/v1/activation-requests?state=OK").status_code == 403
    accepted = _post(people["ok.lee"], f"/api/v1/activation-requests/{request_id}/accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["linked_alert"]["state"] == "active"
    assert accepted.json()["request"]["state"] == "accepted"


def test_listing_shows_only_what_a_role_reaches(web: Web, people: dict[str, SignedIn]) -> None:
    reference = _active(web, people)
    for name, sees in (("dep.odell", True), ("ok.lee", False), ("natl.brooks", True)):
        listed = people[name].client.get("/api/v1/restricted/alerts").json()["alerts"]
        assert (reference in [a["reference"] for a in listed]) is sees


def test_audit_export_and_verify(web: Web, people: dict[str, SignedIn]) -> None:
    reference = _active(web, people)
    natl = people["natl.brooks"].client
    verified = natl.get("/api/v1/audit/verify").json()
    assert verified["ok"] is True
    lines = natl.get("/api/v1/audit/events").text.splitlines()
    actions = [json.loads(line)["action"] for line in lines]
    assert "alert.approved" in actions
    assert "account.login" in actions
    assert verified["checked"] == len(lines)
    _ = reference


def test_public_subscriptions_are_rate_limited(web: Web) -> None:
    body = {
        "channel": "email",
        "address": "a@example.org",
        "place_kind": "county",
        "place": "48113",
    }
    for _ in range(6):
        answer = web.client.post("/api/v1/subscriptions", json=body)
        assert answer.status_code == 202, answer.text
        assert answer.json()["confirmed"] is False
    limited = web.client.post("/api/v1/subscriptions", json=body)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
