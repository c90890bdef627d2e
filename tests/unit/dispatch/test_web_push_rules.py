"""Web push rules that need no push service: keys, the VAPID key file, TTL, topic, the size of
a notification, and what each push service answer means."""

from __future__ import annotations

import base64
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from pydantic import ValidationError

from bluealert.app.web_push import application_server_key, vapid_private_key
from bluealert.config import Settings
from bluealert.dispatch.channels.base import Delivered, Failed, Gone, RetryAfter
from bluealert.dispatch.channels.web_push import (
    MAX_PLAINTEXT,
    notification,
    push_outcome,
    topic,
    ttl_seconds,
)
from bluealert.dispatch.publication import TierMessage
from bluealert.domain.delivery import Event
from bluealert.domain.partner import Partner, Tier
from bluealert.domain.subscription import PushKeys, Subscription
from bluealert.domain.vocabulary import MsgType, Status
from bluealert.errors import InvalidInput

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
# RFC 8291 Appendix A's user agent keys: published test data, not credentials.
UA_PUBLIC = (
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
)
UA_AUTH = "BTBZMqHH6r4Tts7J_aSIgg"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _message(event: Event = Event.PUBLISH, **texts: str) -> TierMessage:
    words = {"headline": "Blue Alert", "description": "Grey Ford F-150", "instruction": "Call 911"}
    return TierMessage(
        tier=Tier.PUBLIC, alert_id="a1", reference="TX-2026-0001", version=1, event=event,
        msg_type=MsgType.ALERT, status=Status.ACTUAL, states=("TX",), counties=("48113",),
        county_states=("TX",), earlier_counties=("48113",), earlier_county_states=("TX",),
        expires_at=NOW + timedelta(hours=24),
        document={"sent": NOW.isoformat(), "expires": (NOW + timedelta(hours=24)).isoformat()},
        formats={}, refused={},
        texts={"en": words | texts, "es": {**words, "headline": "Alerta Azul"}},
    )  # fmt: skip


# -- the browser's keys -----------------------------------------------------------------------


def test_the_rfc_8291_browser_keys_are_accepted() -> None:
    keys = PushKeys(p256dh=UA_PUBLIC, auth=UA_AUTH)
    assert (keys.p256dh, keys.auth) == (UA_PUBLIC, UA_AUTH)


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"p256dh": "!" * 87}, "p256dh is not base64url"),
        ({"p256dh": _b64(b"\x04" + b"\x01" * 64)}, "not a point on the P-256 curve"),
        ({"p256dh": _b64(b"\x03" + base64.urlsafe_b64decode(UA_PUBLIC + "=")[1:])}, "0x04 first"),
        ({"p256dh": _b64(b"\x04" + b"\x01" * 63)}, "65 bytes"),
        ({"auth": _b64(b"\x00" * 15)}, "auth is 16 bytes"),
        ({"auth": _b64(b"\x00" * 17)}, "auth is 16 bytes"),
    ],
)
def test_keys_that_are_not_a_browsers_are_refused_by_name(
    changes: dict[str, str], rule: str
) -> None:
    with pytest.raises(ValidationError, match=rule):
        PushKeys.model_validate({"p256dh": UA_PUBLIC, "auth": UA_AUTH} | changes)


def _subscription(**changes: Any) -> Subscription:
    data = {"channel": "web_push", "address": "https://fcm.googleapis.com/fcm/send/abc",
            "place_kind": "state", "place": "TX",
            "keys": {"p256dh": UA_PUBLIC, "auth": UA_AUTH}}  # fmt: skip
    return Subscription.model_validate(data | changes)


def test_a_web_push_subscription_needs_its_keys_and_only_it_has_keys() -> None:
    assert _subscription().proves_consent
    with pytest.raises(ValidationError, match="keys: a web_push subscription gives"):
        _subscription(keys=None)
    with pytest.raises(ValidationError, match="keys: only a web_push subscription has keys"):
        _subscription(channel="email", address="ana@example.org")
    assert not _subscription(channel="email", address="ana@example.org", keys=None).proves_consent


@pytest.mark.parametrize(
    ("endpoint", "fits"),
    [
        ("https://updates.push.services.mozilla.com/wpush/v2/gAAA", True),
        ("http://127.0.0.1:8080/push/1", True),  # a local stand-in, as browsers allow
        ("http://localhost/push/1", True),
        ("http://push.example/x", False),  # RFC 8030 §8: push services speak https
        ("ftp://push.example/x", False),
        ("push.example/x", False),
    ],
)
def test_a_push_endpoint_is_https_or_loopback(endpoint: str, fits: bool) -> None:
    if fits:
        assert _subscription(address=endpoint).address == endpoint
    else:
        with pytest.raises(ValidationError, match="address: a web_push address is"):
            _subscription(address=endpoint)


def test_a_partner_cannot_take_web_push() -> None:
    with pytest.raises(ValidationError, match="channel: web_push reaches a subscriber's browser"):
        Partner.model_validate(
            {
                "name": "TV",
                "kind": "media",
                "area": {"states": ["TX"]},
                "channel": "web_push",
                "address": "https://fcm.googleapis.com/fcm/send/abc",
            }
        )


# -- the VAPID key ----------------------------------------------------------------------------


def test_the_vapid_key_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    first = vapid_private_key(settings)
    path = settings.generated_vapid_key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = vapid_private_key(settings)
    assert first.private_numbers() == again.private_numbers()
    public = base64.urlsafe_b64decode(application_server_key(settings) + "=")
    assert len(public) == 65
    assert public[0] == 4
    expected = first.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert public == expected


def test_a_configured_vapid_key_is_used_and_a_wrong_one_refused(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "vapid.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                     serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))  # fmt: skip
    settings = Settings(data_dir=tmp_path / "var", vapid_key=path)
    assert vapid_private_key(settings).private_numbers() == key.private_numbers()
    assert not settings.generated_vapid_key.exists()
    other = tmp_path / "ed25519.pem"
    other.write_bytes(ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))  # fmt: skip
    with pytest.raises(InvalidInput, match="not a P-256"):
        vapid_private_key(Settings(data_dir=tmp_path, vapid_key=other))
    with pytest.raises(InvalidInput, match="cannot read the key"):
        vapid_private_key(Settings(data_dir=tmp_path, vapid_key=tmp_path / "missing.pem"))


def test_the_vapid_subject_is_a_contact() -> None:
    with pytest.raises(ValidationError, match="vapid_subject"):
        Settings(vapid_subject="alerts@bluealert.example")
    assert Settings(vapid_subject="https://bluealert.example").vapid_subject


# -- what is sent -----------------------------------------------------------------------------


def test_ttl_runs_to_the_alerts_expiry_within_bounds() -> None:
    message = _message()
    assert ttl_seconds(message, NOW) == 24 * 3600
    assert ttl_seconds(message, NOW + timedelta(hours=23, minutes=59, seconds=30)) == 60
    assert ttl_seconds(_message(Event.CANCEL), NOW) == 24 * 3600


def test_the_topic_is_the_reference_in_the_url_safe_alphabet() -> None:
    assert topic(_message()) == "TX-2026-0001"


def test_the_notification_is_in_the_subscribers_language() -> None:
    shown = json.loads(notification(_message(), "es", "https://x.example/alerts/TX-2026-0001"))
    assert shown["title"] == "Alerta Azul"
    assert (shown["type"], shown["tag"], shown["version"]) == ("alert.published", "TX-2026-0001", 1)
    assert shown["url"] == "https://x.example/alerts/TX-2026-0001"


def test_a_long_notification_is_cut_to_fit_a_push_service() -> None:
    long = _message(description="Ω" * 3000, instruction="call " * 400)
    encoded = notification(long, "en", "https://x.example/a")
    assert len(encoded) <= MAX_PLAINTEXT
    shown = json.loads(encoded)
    assert shown["title"] == "Blue Alert"
    assert shown["instruction"].endswith("…") or shown["instruction"] == ""
    short = notification(_message(), "en", "https://x.example/a")
    assert json.loads(short)["body"] == "Grey Ford F-150"  # nothing cut when it fits


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (201, Delivered("HTTP 201")),
        (404, Gone("HTTP 404")),
        (410, Gone("HTTP 410")),
        (400, Failed("HTTP 400")),
        (401, Failed("HTTP 401")),
        (403, Failed("HTTP 403")),
        (413, Failed("HTTP 413")),
        (429, RetryAfter("HTTP 429")),
        (500, RetryAfter("HTTP 500")),
        (503, RetryAfter("HTTP 503")),
    ],
)
def test_push_service_answers(status: int, expected: object) -> None:
    assert push_outcome(status, None, b"") == expected
    assert isinstance(expected, Gone) == (status in (404, 410))
