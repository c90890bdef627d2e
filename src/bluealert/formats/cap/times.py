"""CAP dateTime: an explicit numeric offset, whole seconds, never `Z` (UTC is -00:00)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bluealert.errors import InvalidMessage

CAP_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$")


def cap_time(when: datetime, zone: str | None = None) -> str:
    if when.tzinfo is None:
        raise InvalidMessage("naive datetimes have no place in CAP", field="time")
    local = when.astimezone(ZoneInfo(zone)) if zone else when
    text = local.isoformat(timespec="seconds")
    return text[:-6] + "-00:00" if text.endswith("+00:00") else text


def parse_cap_time(text: str) -> datetime:
    problem = InvalidMessage(
        f"{text!r} is not a CAP time (YYYY-MM-DDThh:mm:ss±hh:mm)", field="time"
    )
    if not CAP_TIME.match(text):
        raise problem
    try:
        return datetime.fromisoformat(text)
    except ValueError as error:  # the right shape, but 30 February or an offset of 25 hours
        raise problem from error


def zone_abbreviation(when: datetime, zone: str) -> str:
    """The zone's abbreviation at that moment (CST, CDT, EST, …) for the `timezone` parameter."""
    return when.astimezone(ZoneInfo(zone)).tzname() or "UTC"
