"""Highway signs: NTCIP 1203 MULTI, at most two pages, page times from human factors.

Each page holds lines of at most the sign's width; standard abbreviations (BLK, WHT, LIC, …)
shorten the vehicle and plate; no flashing; every line is checked to fit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bluealert.domain.content import AlertContent, Vehicle
from bluealert.domain.tiers import public_view
from bluealert.errors import InvalidMessage
from bluealert.formats.plain_ascii import to_ascii

BLANK_TENTHS = 3
# What sign fonts carry. '[' and ']' would open MULTI tags ('[fl]' flashes), so free text
# never brings them.
NOT_ON_SIGNS = re.compile(r"[^A-Z0-9 .,'&/?*#:!()-]")
ABBREVIATIONS = {
    "BLACK": "BLK",
    "WHITE": "WHT",
    "GREY": "GRY",
    "GRAY": "GRY",
    "SILVER": "SIL",
    "BLUE": "BLU",
    "GREEN": "GRN",
    "BROWN": "BRN",
    "GOLD": "GLD",
    "YELLOW": "YEL",
    "ORANGE": "ORG",
    "MAROON": "MAR",
    "PURPLE": "PUR",
    "CHEVROLET": "CHEVY",
    "VOLKSWAGEN": "VW",
    "MERCEDES-BENZ": "MERCEDES",
    "PICKUP": "PU",
    "NORTHBOUND": "NB",
    "SOUTHBOUND": "SB",
    "EASTBOUND": "EB",
    "WESTBOUND": "WB",
}


@dataclass(frozen=True, slots=True)
class SignProfile:
    name: str
    lines: int
    characters: int
    max_pages: int = 2


PROFILES = {
    "3x18": SignProfile("3x18", 3, 18),
    "3x21": SignProfile("3x21", 3, 21),
}


@dataclass(frozen=True)
class SignMessage:
    profile: SignProfile
    pages: list[list[str]]
    page_tenths: list[int]

    @property
    def multi(self) -> str:
        return "[np]".join(
            f"[pt{tenths}o{BLANK_TENTHS}][jp3][jl3]" + "[nl]".join(lines)
            for lines, tenths in zip(self.pages, self.page_tenths, strict=True)
        )


def sign_text(text: str) -> str:
    """Upper-case ASCII a sign font can show: accents dropped, anything else removed."""
    return " ".join(NOT_ON_SIGNS.sub("", to_ascii(text).upper()).split())


def abbreviate(text: str) -> str:
    return " ".join(ABBREVIATIONS.get(word, word) for word in sign_text(text).split())


def _fit(options: list[str], width: int) -> str | None:
    return next((o for o in options if o and len(o) <= width), None)


def _vehicle_line(vehicle: Vehicle, width: int) -> str | None:
    colour = abbreviate(vehicle.color or "")
    make = abbreviate(vehicle.make or "")
    model = sign_text(vehicle.model or "").replace("-", "")
    options = [
        " ".join(p for p in (colour, make, model) if p),
        " ".join(p for p in (colour, make) if p),
        make,
    ]
    return _fit(options, width)


def _plate_line(vehicle: Vehicle, width: int) -> str | None:
    if vehicle.plate is None:
        return None
    number = sign_text(vehicle.plate.number)
    state = vehicle.plate.state or ""
    return _fit([f"{state} LIC {number}".strip(), f"LIC {number}", number], width)


def page_tenths(lines: list[str]) -> int:
    """The longer of 2 s per information unit (a line) or 1 s per word, in tenths."""
    words = sum(len(line.split()) for line in lines)
    return math.ceil(max(2 * len(lines), words) * 10)


def compose_sign(content: AlertContent, profile: SignProfile) -> SignMessage:
    public = public_view(content)
    width = profile.characters
    first = ["BLUE ALERT"]
    if public.vehicles:
        first += [
            line
            for line in (
                _vehicle_line(public.vehicles[0], width),
                _plate_line(public.vehicles[0], width),
            )
            if line
        ]
    if len(first) == 1:
        first.append("OFFICER ATTACKED" if len("OFFICER ATTACKED") <= width else "POLICE ALERT")
    action = "SUSPECT ARMED" if public.armed_and_dangerous else "DO NOT APPROACH"
    second = ["BLUE ALERT", action, "CALL 911"]
    pages = [first[: profile.lines], second[: profile.lines]][: profile.max_pages]
    for lines in pages:
        for line in lines:
            if len(line) > width:
                raise InvalidMessage(f"{line!r} does not fit {width} characters", field="dms")
    return SignMessage(profile, pages, [page_tenths(p) for p in pages])
