"""SAME header rules (47 CFR 11.31), each with a header that breaks it next to one that keeps it.

Expected values are worked out by hand from the rule, never taken from the encoder's output:
day 325 of 2026 is 21 November; 18:30 UTC is 12:30 CST (UTC-6).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bluealert.errors import InvalidMessage
from bluealert.formats.same.header import (
    MAX_LOCATIONS,
    SameHeader,
    TooManyLocations,
    encode_header,
    issue_time,
    parse_header,
    valid_period,
)

ISSUED = datetime(2026, 11, 21, 18, 30, tzinfo=UTC)
CST = timezone(timedelta(hours=-6))


def _encode(**overrides: object) -> SameHeader:
    arguments: dict[str, object] = {
        "locations": ["048113"],
        "issued": ISSUED,
        "duration": timedelta(hours=1),
        "station": "TXDPS",
    }
    arguments.update(overrides)
    return encode_header(**arguments)  # type: ignore[arg-type]


def _codes(count: int) -> list[str]:
    return [f"048{n:03d}" for n in range(1, 2 * count, 2)]  # Texas county codes are odd


def _refusal(text: str) -> InvalidMessage:
    with pytest.raises(InvalidMessage) as raised:
        parse_header(text)
    return raised.value


# -- encoding -------------------------------------------------------------------------------


def test_the_fields_encode_in_their_order_with_the_defaults_civ_and_blu() -> None:
    header = _encode(locations=["048113", "048439"], duration=timedelta(minutes=90))
    assert header == SameHeader("CIV", "BLU", ("048113", "048439"), "0130", "3251830", "TXDPS   ")
    assert header.text == "ZCZC-CIV-BLU-048113-048439+0130-3251830-TXDPS   -"
    assert header.duration == timedelta(hours=1, minutes=30)


def test_the_issue_time_is_the_utc_ordinal_day_hour_and_minute() -> None:
    assert issue_time(datetime(2026, 11, 21, 12, 30, tzinfo=CST)) == "3251830"
    assert issue_time(datetime(2026, 1, 1, 0, 0, tzinfo=UTC)) == "0010000"
    assert issue_time(datetime(2028, 12, 31, 23, 59, tzinfo=UTC)) == "3662359"  # leap year
    # 31 December 20:00 in UTC-6 is already 1 January in UTC.
    assert issue_time(datetime(2026, 12, 31, 20, 0, tzinfo=CST)) == "0010200"


def test_a_naive_issue_time_is_refused() -> None:
    with pytest.raises(InvalidMessage) as raised:
        _encode(issued=datetime(2026, 11, 21, 18, 30))
    assert (raised.value.field, raised.value.message) == (
        "issued",
        "the issue time must carry a time zone",
    )


@pytest.mark.parametrize(
    ("duration", "period"),
    [(timedelta(seconds=1), "0015"), (timedelta(minutes=45, seconds=1), "0100")],
)
def test_a_period_is_rounded_up_even_by_a_second(duration: timedelta, period: str) -> None:
    assert valid_period(duration) == period


@pytest.mark.parametrize(
    ("duration", "rule"),
    [
        (timedelta(0), "the valid period must be positive"),
        (timedelta(hours=99, minutes=31), "the valid period is at most 99 h 30 min"),
    ],
)
def test_a_period_out_of_range_names_its_rule(duration: timedelta, rule: str) -> None:
    with pytest.raises(InvalidMessage) as raised:
        valid_period(duration)
    assert (raised.value.field, raised.value.message) == ("valid_period", rule)


def test_31_locations_fit_and_the_32nd_is_refused_with_whole_state_codes() -> None:
    assert MAX_LOCATIONS == 31
    assert len(_encode(locations=_codes(31)).locations) == 31
    with pytest.raises(TooManyLocations) as raised:
        _encode(locations=[*_codes(31), "040001"])
    assert raised.value.field == "locations"
    assert raised.value.whole_states == ["040000", "048000"]
    assert "needs 32 location codes" in raised.value.message
    assert "cover it in 2: 040000 048000" in raised.value.message


def test_repeated_locations_count_once_and_keep_their_first_place() -> None:
    header = _encode(locations=["048031", *_codes(31), "048031"])
    assert header.locations[:2] == ("048031", "048001")
    assert len(header.locations) == 31  # 048031 is also among the 31 odd codes


@pytest.mark.parametrize("code", ["48113", "0481130", "04811A", " 48113", "048-13"])
def test_a_location_code_is_six_digits(code: str) -> None:
    with pytest.raises(InvalidMessage, match="is not a PSSCCC location code") as raised:
        _encode(locations=["048113", code])
    assert raised.value.field == "locations"
    assert repr(code) in raised.value.message


def test_at_least_one_location_is_needed() -> None:
    with pytest.raises(InvalidMessage) as raised:
        _encode(locations=[])
    assert (raised.value.field, raised.value.message) == (
        "locations",
        "at least one location code is needed",
    )


@pytest.mark.parametrize("originator", ["EAS", "CIV", "WXR", "PEP"])
def test_each_originator_of_47_cfr_11_31_is_accepted(originator: str) -> None:
    assert _encode(originator=originator).text.startswith(f"ZCZC-{originator}-BLU-")


@pytest.mark.parametrize("originator", ["EAN", "civ", "CIVX", ""])
def test_other_originators_are_refused(originator: str) -> None:
    with pytest.raises(InvalidMessage, match="EAS, CIV, WXR, PEP") as raised:
        _encode(originator=originator)
    assert raised.value.field == "originator"


@pytest.mark.parametrize("event", ["DMO", "RWT"])
def test_other_event_codes_of_three_capitals_are_carried(event: str) -> None:
    assert _encode(event=event).text.startswith(f"ZCZC-CIV-{event}-048113+")


@pytest.mark.parametrize("event", ["BL", "BLUE", "blu", "B1U"])
def test_an_event_code_is_three_capitals(event: str) -> None:
    with pytest.raises(InvalidMessage) as raised:
        _encode(event=event)
    assert (raised.value.field, raised.value.message) == (
        "event",
        "an event code is 3 capital letters",
    )


@pytest.mark.parametrize(
    ("station", "field"),
    [("K", "K       "), ("KXYZ/FM1", "KXYZ/FM1"), ("WTSP-TV", "WTSP/TV ")],
)
def test_a_station_id_is_padded_to_eight(station: str, field: str) -> None:
    assert _encode(station=station).station == field


def test_a_station_id_of_nine_characters_is_refused() -> None:
    with pytest.raises(InvalidMessage) as raised:
        _encode(station="KXYZ/FM12")
    assert (raised.value.field, raised.value.message) == (
        "station",
        "a station id is 1-8 printable ASCII characters without '+'",
    )


# -- parsing --------------------------------------------------------------------------------


def test_every_field_is_read_back() -> None:
    header = parse_header("ZCZC-WXR-RWT-012345-567890+0015-0321115-KLOX/NWS-")
    assert header == SameHeader("WXR", "RWT", ("012345", "567890"), "0015", "0321115", "KLOX/NWS")
    assert header.duration == timedelta(minutes=15)


@pytest.mark.parametrize(
    "text",
    [
        "ZCZC-CIV-BLU-048113+0045-0010000-K-",  # day 1, midnight, 45 minutes, 1-char station
        "ZCZC-CIV-BLU-048113+0130-3662359-KXYZ/FM1-",  # day 366, 23:59, 8-char station
        "ZCZC-CIV-BLU-048113+9930-1000000-TXDPS   -",
        "ZCZC-CIV-BLU" + "-048113" * 31 + "+0600-3251830-TXDPS   -",
    ],
)
def test_headers_at_the_edges_of_each_rule_are_read(text: str) -> None:
    assert parse_header(text).text == text


@pytest.mark.parametrize(
    ("issued", "why"),
    [("0000000", "day 0"), ("3670000", "day 367"), ("3252400", "hour 24"), ("3251860", "60 min")],
)
def test_an_impossible_issue_time_is_refused(issued: str, why: str) -> None:
    refusal = _refusal(f"ZCZC-CIV-BLU-048113+0600-{issued}-TXDPS   -")
    assert refusal.field == "issued", why
    assert f"{issued} is not a JJJHHMM time" in refusal.message


@pytest.mark.parametrize("period", ["0000", "0010", "0115", "0145", "0160", "0099"])
def test_a_valid_period_is_in_15_minute_steps_to_an_hour_then_30(period: str) -> None:
    refusal = _refusal(f"ZCZC-CIV-BLU-048113+{period}-3251830-TXDPS   -")
    assert refusal.field == "valid_period"
    assert f"+{period} is not a legal valid period" in refusal.message


def test_an_unknown_originator_is_named() -> None:
    refusal = _refusal("ZCZC-EAN-BLU-048113+0600-3251830-TXDPS   -")
    assert refusal.field == "originator"
    assert "originator 'EAN' is not one of EAS, CIV, WXR, PEP" in refusal.message


NOT_A_HEADER = "not ZCZC-ORG-EEE-PSSCCC…+TTTT-JJJHHMM-LLLLLLLL-"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("NNNN", "a SAME header starts with ZCZC-"),
        (
            "ZCZC-CIV-BLU-048113+0600-3251830-TXDPS   ",
            "a SAME header ends with '-' after the station id",
        ),
        (
            "ZCZC-CIV-BLU"
            + "-048113" * 31
            + "+0600-3251830-TXDPS   ",  # 31 fit; the '-' is missing
            "a SAME header ends with '-' after the station id",
        ),
        (
            "ZCZC-CIV-BLU" + "-048113" * 32 + "+0600-3251830-TXDPS   -",
            "32 location codes; a header holds at most 31",
        ),
        ("ZCZC-CIV-BLU-048113+0600-3251830-KXYZ/FM12-", NOT_A_HEADER),
        ("ZCZC-CIV-BLU-48113+0600-3251830-TXDPS   -", NOT_A_HEADER),
    ],
)
def test_a_malformed_header_says_what_is_wrong(text: str, why: str) -> None:
    refusal = _refusal(text)
    assert (refusal.field, refusal.message) == ("header", why)
