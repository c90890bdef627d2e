"""The page's side of web push: the node's public VAPID key, and a browser's subscription
taken through the public API (confirmed by the browser's permission, no message needed)."""

from __future__ import annotations

import base64

from bluealert.app.subscriptions import list_subscriptions
from bluealert.app.web_push import vapid_private_key
from bluealert.store import vapid_key
from tests.integration.web.conftest import Web

# RFC 8291 Appendix A's browser keys: published test data, not credentials.
KEYS = {
    "p256dh": "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcx"
    "aOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
    "auth": "BTBZMqHH6r4Tts7J_aSIgg",
}
ENDPOINT = "https://fcm.googleapis.com/fcm/send/c1:APA91b-example"


def _subscription(**changes: object) -> dict[str, object]:
    body = {"channel": "web_push", "address": ENDPOINT, "keys": KEYS, "place_kind": "county",
            "place": "48113"}  # fmt: skip
    return body | changes


def test_the_page_gets_the_nodes_public_key_the_same_every_time(web: Web) -> None:
    first = web.client.get("/api/v1/web-push/key")
    assert first.status_code == 200
    key = first.json()["applicationServerKey"]
    point = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(point) == 65
    assert point[0] == 4
    assert web.client.get("/api/v1/web-push/key").json()["applicationServerKey"] == key
    stored = vapid_private_key(web.ctx.settings)
    assert vapid_key.application_server_key(stored) == key


def test_a_browsers_subscription_is_taken_confirmed_with_its_keys(web: Web) -> None:
    answer = web.client.post("/api/v1/subscriptions", json=_subscription())
    assert answer.status_code == 202, answer.text
    assert answer.json()["confirmed"] is True
    [stored] = list_subscriptions(web.ctx)
    assert (stored.channel, stored.address, stored.confirmed) == ("web_push", ENDPOINT, True)
    email = web.client.post("/api/v1/subscriptions", json=_subscription(
        channel="email", address="ana@example.org", keys=None))  # fmt: skip
    assert email.json()["confirmed"] is False  # an address still needs its confirmation


def test_a_bad_browser_subscription_is_refused_by_name_and_nothing_stored(web: Web) -> None:
    cases = [
        (_subscription(keys=None), "keys"),
        (
            _subscription(keys={"p256dh": KEYS["p256dh"], "auth": "eHh4eHh4eHh4eHh4"}),
            "auth is 16 bytes",
        ),
        (_subscription(keys={"p256dh": "BAAA" * 22, "auth": KEYS["auth"]}), "P-256"),
        (_subscription(address="https://push.example/x"), "not a push service this node"),
        (_subscription(address="http://push.example/x"), "https:// endpoint"),
    ]
    for body, rule in cases:
        web.clock.advance(seconds=11)  # past the public write limit
        answer = web.client.post("/api/v1/subscriptions", json=body)
        assert 400 <= answer.status_code < 500, (rule, answer.text)
        assert rule in answer.text, (rule, answer.text)
    assert list_subscriptions(web.ctx) == []
