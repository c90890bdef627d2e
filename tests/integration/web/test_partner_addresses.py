"""Partners over the API carry no secret that their address holds (an Apprise URL's token)."""

from __future__ import annotations

from tests.integration.web.conftest import Web

SECRET = "pa55word-7c1e"
APPRISE = f"json://alerts:{SECRET}@127.0.0.1:9/in"


def test_partner_listings_mask_the_apprise_token(web: Web) -> None:
    admin = web.sign_in("admin")
    body = {
        "name": "County SMS gateway",
        "kind": "other",
        "area": {"states": ["TX"]},
        "channel": "apprise",
        "address": APPRISE,
    }
    added = admin.client.post("/api/v1/partners", json=body, headers=admin.headers())
    assert added.status_code == 201, added.text
    assert SECRET not in added.text
    listed = admin.client.get("/api/v1/partners")
    assert listed.status_code == 200
    [partner] = [p for p in listed.json() if p["name"] == "County SMS gateway"]
    assert partner["address"] == "json://alerts:****@127.0.0.1:9/in"
    one = admin.client.get(f"/api/v1/partners/{partner['id']}")
    assert SECRET not in one.text
