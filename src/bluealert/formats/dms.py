"""Highway signs: NTCIP 1203 MULTI, at most two pages, page times from human factors.

Each page holds lines of at most the sign's width; standard abbreviations (BLK, WHT, LIC, …)
shorten the vehicle and plate; no flashing; every line is checked to fit. A Cancel blanks the
sign (no pages, an empty MULTI) and says why; an Exercise or Test heads every page with its mark.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bluealert.domain.content import AlertContent, Vehicle
from bluealert.domain.tiers import public_view
from bluealert.domain.vocabulary import Status
from bluealert.errors import InvalidMessage
from bluealert.formats.cancellation import Cancellation, practice_mark
from bluealert.formats.phrases import OUTCOMES
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


# The MULTI tags the pages use, besides [nl] and [np]: page time, page and line justification.
STYLE_TAGS = frozenset({"pt", "jp", "jl"})


@dataclass(frozen=True, slots=True)
class SignProfile:
    """What one sign can show: lines per page, characters per line, pages, MULTI tags."""

    name: str
    lines: int
    characters: int
    max_pages: int = 2
    tags: frozenset[str] = STYLE_TAGS | {"nl", "np"}


PROFILES = {
    "3x18": SignProfile("3x18", 3, 18),
    "3x21": SignProfile("3x21", 3, 21),
}


def sign_profile(
    lines: int, characters: int, pages: int = 2, tags: frozenset[str] | None = None
) -> SignProfile:
    """The profile of one sign as its owner describes it. Without [np] a sign shows one page,
    without [nl] one line (a message needs a new page or line to have more)."""
    supported = PROFILES["3x18"].tags if tags is None else frozenset(tags)
    pages = pages if "np" in supported else 1
    lines = lines if "nl" in supported else 1
    return SignProfile(f"{lines}x{characters}", lines, characters, pages, supported)


@dataclass(frozen=True)
class SignMessage:
    """What a sign shows; no pages means the sign is blanked, `reason` says why."""

    profile: SignProfile
    pages: list[list[str]]
    page_tenths: list[int]
    reason: str = ""

    @property
    def action(self) -> str:
        """'display' the pages, or 'blank' the sign (NTCIP 1203: activate the blank message,
        dmsMessageMemoryType blank(7); its MULTI is empty)."""
        return "display" if self.pages else "blank"

    @property
    def multi(self) -> str:
        """NTCIP 1203 MULTI; a style tag the sign does not support is left out (the sign's
        defaults apply: defaultPageOnTime, defaultJustificationLine and …Page)."""
        tags = self.profile.tags
        return "[np]".join(
            (f"[pt{tenths}o{BLANK_TENTHS}]" if "pt" in tags else "")
            + ("[jp3]" if "jp" in tags else "")
            + ("[jl3]" if "jl" in tags else "")
            + "[nl]".join(lines)
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


def _heading(status: Status, width: int) -> str:
    """'BLUE ALERT'; a drill's mark before it, or alone where both do not fit the sign."""
    mark = practice_mark(status, "en")
    if mark is None:
        return "BLUE ALERT"
    return _fit([f"{mark} BLUE ALERT", mark], width) or mark


def _blank(content: AlertContent, profile: SignProfile, cancelled: Cancellation) -> SignMessage:
    outcome = OUTCOMES[cancelled.resolution][0] if cancelled.resolution else ""
    reason = f"{_practice(content.status)}Blue Alert cancelled. {outcome}".strip()
    return SignMessage(profile, [], [], reason)


def compose_sign(
    content: AlertContent, profile: SignProfile, *, cancelled: Cancellation | None = None
) -> SignMessage:
    """The pages of the alert; a Cancel blanks the sign and says why."""
    if cancelled is not None:
        return _blank(content, profile, cancelled)
    public = public_view(content)
    width = profile.characters
    heading = _heading(public.status, width)
    first = [heading]
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
    second = [heading, action, "CALL 911"]
    pages = [first[: profile.lines], second[: profile.lines]][: profile.max_pages]
    for lines in pages:
        for line in lines:
            if len(line) > width:
                raise InvalidMessage(f"{line!r} does not fit {width} characters", field="dms")
    reason = f"{_practice(public.status)}Blue Alert: {public.kind.label}"
    return SignMessage(profile, pages, [page_tenths(p) for p in pages], reason)


def _practice(status: Status) -> str:
    mark = practice_mark(status, "en")
    return f"{mark} - " if mark else ""
