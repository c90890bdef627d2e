"""SAME headers: ZCZC-ORG-EEE-PSSCCC…+TTTT-JJJHHMM-LLLLLLLL- (47 CFR 11.31)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bluealert.errors import InvalidMessage

ORIGINATORS = ("EAS", "CIV", "WXR", "PEP")
MAX_LOCATIONS = 31
# Printable 7-bit ASCII without the structural '+' and '-' (47 CFR 11.31(c)).
STATION_CHARACTER = r"[ !-*,./-~]"
HEADER = re.compile(
    r"ZCZC-(?P<org>[A-Z]{3})-(?P<event>[A-Z]{3})(?P<locations>(?:-[0-9]{6}){1,31})"
    r"\+(?P<period>[0-9]{4})-(?P<issued>[0-9]{7})-(?P<station>" + STATION_CHARACTER + r"{1,8})-"
)


@dataclass(frozen=True, slots=True)
class SameHeader:
    originator: str
    event: str
    locations: tuple[str, ...]
    valid_period: str
    issued: str
    station: str

    @property
    def text(self) -> str:
        places = "".join(f"-{code}" for code in self.locations)
        return (
            f"ZCZC-{self.originator}-{self.event}{places}+{self.valid_period}-"
            f"{self.issued}-{self.station}-"
        )

    @property
    def duration(self) -> timedelta:
        return timedelta(hours=int(self.valid_period[:2]), minutes=int(self.valid_period[2:]))


class TooManyLocations(InvalidMessage):
    """More than 31 location codes: a SAME header holds at most 31."""

    def __init__(self, count: int, whole_states: list[str]) -> None:
        self.whole_states = whole_states
        super().__init__(
            f"the area needs {count} location codes but a SAME header holds at most 31; "
            f"whole-state codes would cover it in {len(whole_states)}: {' '.join(whole_states)}",
            field="locations",
        )


def valid_period(duration: timedelta) -> str:
    """Round up to a legal purge time: 15-minute steps to an hour, then 30-minute steps."""
    minutes = math.ceil(duration.total_seconds() / 60)
    if minutes <= 0:
        raise InvalidMessage("the valid period must be positive", field="valid_period")
    step = 15 if minutes <= 60 else 30  # pragma: no mutate (at 60 min both steps give 0100)
    minutes = math.ceil(minutes / step) * step
    hours, rest = divmod(minutes, 60)
    if hours > 99:
        raise InvalidMessage("the valid period is at most 99 h 30 min", field="valid_period")
    return f"{hours:02d}{rest:02d}"


def issue_time(when: datetime) -> str:
    """JJJHHMM: ordinal day and UTC hour and minute."""
    if when.tzinfo is None:
        raise InvalidMessage("the issue time must carry a time zone", field="issued")
    utc = when.astimezone(UTC)
    return f"{utc.timetuple().tm_yday:03d}{utc:%H%M}"


def station_id(station: str) -> str:
    """8 characters, space padded; '-' (structural in SAME) becomes '/' as in WTSP/TV."""
    station = station.replace("-", "/")
    if not re.fullmatch(STATION_CHARACTER + "{1,8}", station):
        raise InvalidMessage(
            "a station id is 1-8 printable ASCII characters without '+'", field="station"
        )
    return station.ljust(8)


def whole_state_codes(locations: Sequence[str]) -> list[str]:
    return sorted({f"0{code[1:3]}000" for code in locations})


def encode_header(
    *,
    locations: Sequence[str],
    issued: datetime,
    duration: timedelta,
    station: str,
    originator: str = "CIV",
    event: str = "BLU",
) -> SameHeader:
    codes = list(dict.fromkeys(locations))
    if not codes:
        raise InvalidMessage("at least one location code is needed", field="locations")
    bad = [c for c in codes if not re.fullmatch(r"[0-9]{6}", c)]
    if bad:
        raise InvalidMessage(f"{bad[0]!r} is not a PSSCCC location code", field="locations")
    if len(codes) > MAX_LOCATIONS:
        raise TooManyLocations(len(codes), whole_state_codes(codes))
    if originator not in ORIGINATORS:
        raise InvalidMessage(
            f"originator must be one of {', '.join(ORIGINATORS)}", field="originator"
        )
    if not re.fullmatch(r"[A-Z]{3}", event):
        raise InvalidMessage("an event code is 3 capital letters", field="event")
    return SameHeader(
        originator,
        event,
        tuple(codes),
        valid_period(duration),
        issue_time(issued),
        station_id(station),
    )


def parse_header(text: str) -> SameHeader:
    """Parse a header as decoders do (a station id of 1-8 characters is accepted)."""
    match = HEADER.fullmatch(text)
    if match is None:
        raise InvalidMessage(_why_not(text), field="header")
    if match["org"] not in ORIGINATORS:
        raise InvalidMessage(
            f"originator {match['org']!r} is not one of {', '.join(ORIGINATORS)}",
            field="originator",
        )
    period = match["period"]
    hours, minutes = int(period[:2]), int(period[2:])
    # 47 CFR 11.31(c): 15-minute steps up to an hour (so never +0000), then 30-minute steps.
    legal = minutes in (15, 30, 45) if hours == 0 else minutes in (0, 30)
    if not legal:
        raise InvalidMessage(f"+{period} is not a legal valid period", field="valid_period")
    day, hour, minute = (
        int(match["issued"][:3]),
        int(match["issued"][3:5]),
        int(match["issued"][5:]),
    )
    if not (1 <= day <= 366 and hour < 24 and minute < 60):
        raise InvalidMessage(f"{match['issued']} is not a JJJHHMM time", field="issued")
    return SameHeader(
        match["org"],
        match["event"],
        tuple(match["locations"][1:].split("-")),  # pragma: no mutate (rsplit splits the same)
        period,
        match["issued"],
        match["station"],
    )


def _why_not(text: str) -> str:
    if not text.startswith("ZCZC-"):
        return "a SAME header starts with ZCZC-"
    codes = re.findall(r"-([0-9]{6})(?=[-+])", text)
    if len(codes) > MAX_LOCATIONS:
        return f"{len(codes)} location codes; a header holds at most 31"
    if not text.endswith("-"):
        return "a SAME header ends with '-' after the station id"
    return "not ZCZC-ORG-EEE-PSSCCC…+TTTT-JJJHHMM-LLLLLLLL-"
