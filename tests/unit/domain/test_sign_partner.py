"""A highway sign as a partner (the ntcip channel): each rule refuses its own mistake."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bluealert.domain.partner import AfterEnd, Partner, SignSetup, sign_host_port


def _sign(**changes: Any) -> Partner:
    data: dict[str, Any] = {
        "name": "I-35E NB at Loop 12",
        "kind": "sign_system",
        "area": {"counties": ["48113"]},
        "channel": "ntcip",
        "address": "10.20.30.40",
        "secret": "rw-community",
        "formats": ["dms"],
        "sign": {"lines": 3, "characters": 21},
    }
    return Partner.model_validate(data | changes)


def test_a_sign_with_its_defaults() -> None:
    sign = _sign().sign
    assert sign == SignSetup(lines=3, characters=21)
    assert (sign.pages, sign.slot, sign.priority, sign.after_end) == (2, 1, 200, AfterEnd.BLANK)
    assert sign.tags == ["nl", "np", "pt", "jl", "jp"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "media"}, "kind: an ntcip sign is a sign_system partner"),
        ({"sign": None}, "sign: an ntcip partner needs its sign's profile and slot"),
        ({"secret": None}, "secret: an ntcip sign needs its SNMP write community"),
        ({"address": "http://10.0.0.1/"}, "address: an ntcip address is the sign controller's"),
        ({"address": "10.0.0.1:0"}, "address: an ntcip address"),
        ({"address": "10.0.0.1:65536"}, "address: an ntcip address"),
        ({"sign": {"characters": 14}}, "characters: at least 15 a line"),
        ({"sign": {"characters": 65}}, "less than or equal to 64"),
        ({"sign": {"lines": 0}}, "greater than or equal to 1"),
        ({"sign": {"lines": 9}}, "less than or equal to 8"),
        ({"sign": {"pages": 7}}, "less than or equal to 6"),
        ({"sign": {"slot": 65535}}, "less than or equal to 65534"),
        ({"sign": {"priority": 256}}, "less than or equal to 255"),
        ({"sign": {"priority": 0}}, "greater than or equal to 1"),
        ({"sign": {"tags": ["nl", "blink"]}}, "tags: not MULTI tags: blink"),
        ({"sign": {"after_end": "dim"}}, "'blank' or 'restore'"),
    ],
)
def test_each_rule_names_its_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _sign(**changes)


def test_sign_settings_belong_to_the_ntcip_channel_only() -> None:
    with pytest.raises(ValidationError, match="sign: sign settings are for the ntcip channel"):
        _sign(channel="webhook", address="https://signs.example/hook")


def test_addresses_and_their_port() -> None:
    assert sign_host_port("10.20.30.40") == ("10.20.30.40", 161)
    assert sign_host_port("dms-17.txdot.example:1161") == ("dms-17.txdot.example", 1161)
    assert _sign(address="dms-17.txdot.example:1161").address.endswith(":1161")
