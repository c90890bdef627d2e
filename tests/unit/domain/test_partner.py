"""Partners: which tier may ask for which format, which addresses fit which channel."""

from __future__ import annotations

import random
from typing import Any

import pytest
from pydantic import ValidationError

from bluealert.domain.delivery import Event, backoff_seconds, idempotency_key
from bluealert.domain.partner import Partner, PartnerArea, PartnerKind, Tier
from bluealert.domain.subscription import Subscription
from bluealert.domain.vocabulary import Status


def _partner(**changes: Any) -> Partner:
    data: dict[str, Any] = {
        "name": "KXAS-TV",
        "kind": "media",
        "area": {"states": ["TX"]},
        "channel": "webhook",
        "address": "https://kxas.example/alerts",
    }
    return Partner.model_validate(data | changes)


@pytest.mark.parametrize("restricted", ["cap-restricted", "teletype"])
def test_a_public_partner_never_asks_for_law_enforcement_formats(restricted: str) -> None:
    with pytest.raises(ValidationError, match="need the law_enforcement tier"):
        _partner(formats=["cap", restricted])
    allowed = _partner(formats=["cap", restricted], tier="law_enforcement", kind="law_enforcement")
    assert restricted in allowed.formats


@pytest.mark.parametrize(
    "kind", [k for k in PartnerKind if k.value not in ("law_enforcement", "peer_node")]
)
def test_only_police_and_peer_nodes_hold_the_law_enforcement_tier(kind: PartnerKind) -> None:
    with pytest.raises(ValidationError, match="only a law-enforcement agency or a peer node"):
        _partner(kind=kind.value, tier="law_enforcement")


def test_peer_node_may_hold_the_law_enforcement_tier() -> None:
    assert _partner(kind="peer_node", tier="law_enforcement").tier is Tier.LAW_ENFORCEMENT


def test_unknown_format_is_named() -> None:
    with pytest.raises(ValidationError, match="unknown pdf"):
        _partner(formats=["pdf"])


@pytest.mark.parametrize(
    ("channel", "bad", "good"),
    [
        ("webhook", "ftp://x.example/", "http://127.0.0.1:9000/hook"),
        ("webhook", "kxas.example", "https://kxas.example"),
        ("email", "newsroom", "newsroom@kxas.example"),
        ("email", "a@b", "a@b.example"),
        ("mqtt", "bluealert/#", "bluealert/v1"),
        ("mqtt", "signs/+/x", "signs/tx"),
        ("cap_push", "ok.example/cap", "https://bluealert.ok.example/api/v1/cap"),
        ("cap_push", "mailto:cap@ok.example", "http://127.0.0.1:9000/cap"),
        ("apprise", "tgram", "tgram://123456:ABC/-100987"),
        ("apprise", "json:// spaced", "json://127.0.0.1:9000/hook"),
    ],
)
def test_an_address_fits_its_channel(channel: str, bad: str, good: str) -> None:
    with pytest.raises(ValidationError, match="address:"):
        _partner(channel=channel, address=bad)
    assert _partner(channel=channel, address=good).address == good
    with pytest.raises(ValidationError, match="address:"):
        Subscription(channel=channel, address=bad, place_kind="state", place="TX")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["COG 120999", "0120999", "https://ipaws.example/IPAWS", "1" * 10])
def test_an_ipaws_address_is_the_cog_id(bad: str) -> None:
    with pytest.raises(ValidationError, match="the COG id FEMA issued"):
        _partner(channel="ipaws", kind="ipaws", address=bad)
    assert _partner(channel="ipaws", kind="ipaws", address="120999").address == "120999"


def test_exercises_only_where_the_partner_says_so() -> None:
    default = _partner()
    assert default.accepts(Status.ACTUAL)
    assert not default.accepts(Status.EXERCISE)
    assert not default.accepts(Status.TEST)
    drills = _partner(statuses=["Actual", "Exercise"])
    assert drills.accepts(Status.EXERCISE)
    assert not drills.accepts(Status.TEST)
    with pytest.raises(ValidationError, match="statuses"):
        _partner(statuses=[])


def test_area_meets_by_state_county_or_nation() -> None:
    with pytest.raises(ValidationError, match="names counties, states, or the whole nation"):
        PartnerArea()
    texas = PartnerArea(states=["tx"])
    assert texas.states == ["TX"]
    assert texas.meets({"TX", "OK"}, set())
    assert not texas.meets({"OK"}, {"40109"})
    dallas = PartnerArea(counties=["48113"])
    assert dallas.meets({"TX"}, {"48113", "48085"})
    assert not dallas.meets({"TX"}, {"48085"})
    assert PartnerArea(nation=True).meets({"GU"}, set())


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    for attempt, window in [(1, 2.0), (2, 4.0), (3, 8.0), (6, 64.0), (20, 300.0)]:
        draws = [backoff_seconds(attempt, rng) for _ in range(200)]
        assert all(window / 10 <= d <= window for d in draws)
        assert max(draws) > window * 0.9  # it spreads over the window, not one value
        assert min(draws) < window * 0.2


def test_idempotency_key_names_version_event_recipient_channel() -> None:
    key = idempotency_key("a1", 2, Event.UPDATE, "s7", "email")
    assert key == "a1.2.update.s7.email"
    assert key != idempotency_key("a1", 2, Event.EXPIRE, "s7", "email")
