"""Apprise's per-service limits as data, and which text each kind of service gets."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bluealert.dispatch.channels.apprise import DEFAULT, SERVICES, limits_of, texts_for
from bluealert.dispatch.publication import TierMessage
from bluealert.domain.delivery import Event
from bluealert.domain.partner import Tier
from bluealert.domain.vocabulary import MsgType, Status

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
WEA = {
    "en.90": {"text": "Blue Alert: grey Ford F-150 TX KZT4. Call 911."},
    "en.360": {"text": "Blue Alert near Dallas: grey Ford F-150, plate TX KZT4. Call 911."},
    "es.90": {"text": "Alerta Azul: Ford F-150 gris TX KZT4. Llame al 911."},
    "es.360": {"text": "Alerta Azul cerca de Dallas: Ford F-150 gris. Llame al 911."},
}


def _message(with_wea: bool = True) -> TierMessage:
    words = {"headline": "Officer shot - Dallas", "description": "A grey Ford F-150",
             "instruction": "Call 911"}  # fmt: skip
    return TierMessage(
        tier=Tier.PUBLIC, alert_id="a1", reference="TX-2026-0001", version=1,
        event=Event.PUBLISH, msg_type=MsgType.ALERT, status=Status.ACTUAL, states=("TX",),
        counties=("48113",), county_states=("TX",), earlier_counties=("48113",),
        earlier_county_states=("TX",), expires_at=None, document={},
        formats={"wea": json.dumps(WEA).encode()} if with_wea else {}, refused={},
        texts={"en": words, "es": {**words, "headline": "Oficial herido - Dallas"}},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("url", "rate", "max_chars"),
    [
        ("json://receiver.example/hook", 50.0, None),
        ("xmls://receiver.example/hook", 50.0, None),
        ("tgram://123:abc/456", 30.0, None),
        ("slack://T1/B1/C1", 1.0, None),
        ("discord://1/abc", 2.5, None),
        ("twilio://sid:token@15551234567/15557654321", 1.0, 160),
        ("mailtos://user:pass@mail.example", 5.0, None),
        ("pover://user@token", DEFAULT.rate_per_second, None),
    ],
)
def test_each_service_declares_its_limits(url: str, rate: float, max_chars: int | None) -> None:
    limits = limits_of(url)
    assert (limits.rate_per_second, limits.max_chars) == (rate, max_chars)


def test_every_declared_rate_is_positive_and_sms_fits_one_message() -> None:
    assert all(limits.rate_per_second > 0 for limits in SERVICES.values())
    assert all(limits.max_chars in (None, 160) for limits in SERVICES.values())


def test_a_chat_or_pager_service_gets_the_full_texts_and_the_page() -> None:
    title, body = texts_for(_message(), "en", None, "https://x.example/alerts/TX-2026-0001")
    assert title == "Officer shot - Dallas"
    assert body == "A grey Ford F-150\n\nCall 911\n\nhttps://x.example/alerts/TX-2026-0001"


@pytest.mark.parametrize(("language", "key"), [("en", "en.90"), ("es", "es.90")])
def test_an_sms_gateway_gets_the_wea_text_that_fits_one_message(language: str, key: str) -> None:
    title, body = texts_for(_message(), language, 160, "https://x.example/a")
    assert (title, body) == ("", WEA[key]["text"])
    assert len(body) <= 160


def test_a_360_character_service_gets_the_long_wea_text() -> None:
    assert texts_for(_message(), "es", 400, "u") == ("", WEA["es.360"]["text"])


def test_without_a_wea_text_the_full_texts_go_even_to_sms() -> None:
    title, body = texts_for(_message(with_wea=False), "es", 160, "u")
    assert title == "Oficial herido - Dallas"
    assert body.startswith("A grey Ford F-150")
