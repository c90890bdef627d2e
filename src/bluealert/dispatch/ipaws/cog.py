"""A COG's permissions, and the pre-flight check of a CAP message against them.

FEMA gives each alerting authority a Collaborative Operating Group (COG): an id, a certificate,
and a profile of what it may do — the event codes it may send (or all), the areas it may alert
as SAME codes (or all), and the channels it may reach (EAS, WEA, the public feed; NWEM through
the National Weather Service). IPAWS refuses a message whose event code or area the COG may not
use, so we check before sending, and before an emergency: `bluealert ipaws ping --alert`.

The profile travels as `getRequest`'s parameter list; the names follow what a public IPAWS
client reads from FEMA's `getCOGProfile` answer (`cogid`, `cogEnabled`, `allEventCode`,
`allGeoCode`, `easAuthorized`, `cmasAlertAuthorized`, `publicAlertAuthorized`, `eventCodes`
with `ALL` items, `geoCodes` with `SAME` items); `nwemAuthorized` is ours.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from bluealert.dispatch.ipaws.wsdl import CAP_NS

Parameter = tuple[str, str, tuple[tuple[str, str], ...]]  # name, value, sub-items

# IPAWS's names for the channels it disseminates on, and what we call them.
CHANNEL_NAMES = {"EAS": "EAS", "CMAS": "WEA", "NWEM": "NWEM", "PUBLIC": "public feed"}


@dataclass(frozen=True)
class CogProfile:
    cog_id: int
    name: str
    enabled: bool = True
    event_codes: frozenset[str] = frozenset()
    all_event_codes: bool = False
    geo_codes: frozenset[str] = frozenset()  # SAME PSSCCC
    all_geo_codes: bool = False
    channels: frozenset[str] = field(default_factory=lambda: frozenset(CHANNEL_NAMES))

    def parameters(self) -> list[Parameter]:
        """The profile as `getRequest` answers it."""

        def yes(flag: bool) -> str:
            return "Y" if flag else "N"

        flags = [("cogid", str(self.cog_id)), ("name", self.name)]
        flags += [("cogEnabled", yes(self.enabled)), ("allEventCode", yes(self.all_event_codes))]
        flags += [("allGeoCode", yes(self.all_geo_codes))]
        flags += [(_FLAG_OF[c], yes(c in self.channels)) for c in CHANNEL_NAMES]
        found: list[Parameter] = [(name, value, ()) for name, value in flags]
        found.append(("eventCodes", "", tuple(("ALL", c) for c in sorted(self.event_codes))))
        found.append(("geoCodes", "", tuple(("SAME", c) for c in sorted(self.geo_codes))))
        return found

    @classmethod
    def from_parameters(cls, items: Iterable[Parameter]) -> CogProfile:
        items = list(items)
        values = {name: value for name, value, _ in items if value}
        return cls(
            cog_id=int(values.get("cogid", "0")),
            name=values.get("name", ""),
            enabled=values.get("cogEnabled") == "Y",
            event_codes=frozenset(v for _, v in _subs(items, "eventCodes")),
            all_event_codes=values.get("allEventCode") == "Y",
            geo_codes=frozenset(v for k, v in _subs(items, "geoCodes") if k == "SAME"),
            all_geo_codes=values.get("allGeoCode") == "Y",
            channels=frozenset(c for c, flag in _FLAG_OF.items() if values.get(flag) == "Y"),
        )

    def may_send(self, event_code: str) -> bool:
        return self.all_event_codes or event_code in self.event_codes

    def may_alert(self, same_code: str) -> bool:
        """A SAME code PSSCCC is covered by itself, by its whole county (P = 0) or by its whole
        state (SS000): 47 CFR 11.31(f) — P is the part of the county, 000 the entire state."""
        if self.all_geo_codes:
            return True
        county, state = "0" + same_code[1:], "0" + same_code[1:3] + "000"
        return bool({same_code, county, state} & self.geo_codes)


_FLAG_OF = {
    "EAS": "easAuthorized",
    "CMAS": "cmasAlertAuthorized",
    "NWEM": "nwemAuthorized",
    "PUBLIC": "publicAlertAuthorized",
}


def _subs(items: Iterable[Parameter], name: str) -> tuple[tuple[str, str], ...]:
    for item_name, _, sub in items:
        if item_name == name:
            return sub
    return ()


@dataclass(frozen=True)
class CapFacts:
    """What the pre-flight reads from a CAP message."""

    identifier: str
    event_codes: tuple[str, ...]
    same_codes: tuple[str, ...]
    blocked: frozenset[str]  # BLOCKCHANNEL values: channels the sender itself turned off


def cap_facts(root: etree._Element) -> CapFacts:
    ns = {"cap": CAP_NS}

    def pairs(path: str, name: str) -> list[str]:
        return [
            str(e.findtext("cap:value", namespaces=ns) or "")
            for e in root.iterfind(path, ns)
            if e.findtext("cap:valueName", namespaces=ns) == name
        ]

    return CapFacts(
        identifier=str(root.findtext("cap:identifier", namespaces=ns) or ""),
        event_codes=tuple(dict.fromkeys(pairs("cap:info/cap:eventCode", "SAME"))),
        same_codes=tuple(dict.fromkeys(pairs("cap:info/cap:area/cap:geocode", "SAME"))),
        blocked=frozenset(pairs("cap:info/cap:parameter", "BLOCKCHANNEL")),
    )


@dataclass(frozen=True)
class Problem:
    code: str  # as the stand-in's CAPServiceException names it
    message: str


@dataclass(frozen=True)
class Preflight:
    """Refusals: IPAWS would refuse the message. Warnings: channels it will not reach."""

    refusals: tuple[Problem, ...]
    warnings: tuple[str, ...]

    @property
    def cleared(self) -> bool:
        return not self.refusals

    def reason(self) -> str:
        return "; ".join(p.message for p in self.refusals)


def preflight(profile: CogProfile, facts: CapFacts) -> Preflight:
    who = f"COG {profile.cog_id}" + (f" ({profile.name})" if profile.name else "")
    refusals: list[Problem] = []
    if not profile.enabled:
        refusals.append(Problem("cog-disabled", f"{who} is not enabled: FEMA enables it"))
    codes = [c for c in facts.event_codes if not profile.may_send(c)]
    if codes:
        allowed = ", ".join(sorted(profile.event_codes)) or "none"
        message = f"{who} may not send event code {', '.join(codes)} (permitted: {allowed})"
        refusals.append(Problem("event-code-not-permitted", message))
    if not facts.event_codes:
        refusals.append(Problem("event-code-not-permitted", "the message has no SAME event code"))
    areas = [c for c in facts.same_codes if not profile.may_alert(c)]
    if areas:
        message = f"{who} may not alert SAME area(s) {', '.join(areas)}"
        refusals.append(Problem("geocode-not-permitted", message))
    if not facts.same_codes:
        message = "the message names no SAME area: IPAWS checks every area against the COG"
        refusals.append(Problem("geocode-not-permitted", message))
    warnings = [
        f"{who} may not send to {CHANNEL_NAMES[c]} ({_FLAG_OF[c]} = N): it will not carry this"
        for c in CHANNEL_NAMES
        if c not in profile.channels and c not in facts.blocked
    ]
    return Preflight(tuple(refusals), tuple(warnings))
