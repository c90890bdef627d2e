"""Law-enforcement teletype: Nlets-style administrative messages (AM, or AML).

The officer-safety line comes first; at most 5 destinations (state or regional codes) per
message, so an area touching more states is sent as several; "REQUEST FOR STATEWIDE
BROADCAST" goes in the reference field.
"""

from __future__ import annotations

from dataclasses import dataclass

from bluealert.domain.alert import Alert
from bluealert.domain.content import AlertContent, Suspect, Vehicle
from bluealert.formats.cancellation import Cancellation, cancellation_of, practice_mark
from bluealert.formats.phrases import OUTCOMES, plate_text, suspect_text, vehicle_text
from bluealert.formats.plain_ascii import to_ascii
from bluealert.geo.areas import normalise_area

MAX_DESTINATIONS = 5
LINE_WIDTH = 80


@dataclass(frozen=True)
class Teletype:
    key: str
    origin: str
    destinations: list[str]
    text: str


def destinations_for(alert: Alert) -> list[str]:
    """Every state the normalised area touches (named counties and states, polygons and
    circles alike), the plan's state first."""
    touched = normalise_area(alert.content.area).states
    return list(dict.fromkeys([alert.plan, *sorted(touched)]))


def compose_teletypes(
    alert: Alert, destinations: list[str] | None = None, law_enforcement_only: bool = True
) -> list[Teletype]:
    """One message per 5 destinations (an Nlets broadcast request goes to at most 5): the same
    text to each group. A Cancel is a cancellation message; a drill is marked first and last."""
    chosen = destinations or destinations_for(alert)
    groups = [chosen[i : i + MAX_DESTINATIONS] for i in range(0, len(chosen), MAX_DESTINATIONS)]
    key = "AML" if law_enforcement_only else "AM"
    ori = alert.content.requesting_agency.ori
    # Nlets text is upper-case 7-bit ASCII; names keep their letters without accents.
    body = [_wrap(to_ascii(line).upper()) for line in _lines(alert)]
    return [
        Teletype(key, ori, group, "\n".join([key, ori, ",".join(group), *body])) for group in groups
    ]


def render_teletypes(messages: list[Teletype]) -> str:
    """The messages one after the other, a blank line between two (no message has one)."""
    return "\n\n".join(m.text for m in messages)


def _lines(alert: Alert) -> list[str]:
    content = alert.content
    mark = practice_mark(content.status, "en")
    drill = [f"*** {mark} - {mark} - {mark}: NOT A REAL BLUE ALERT ***"] if mark else []
    cancelled = cancellation_of(alert)
    heading = _cancel_lines(alert, cancelled) if cancelled else _alert_heading(alert)
    return drill + heading + _facts(content) + _origin(content) + drill


def _alert_heading(alert: Alert) -> list[str]:
    content = alert.content
    safety = (
        "*** OFFICER SAFETY: SUSPECT ARMED AND DANGEROUS - DO NOT APPROACH ***"
        if content.armed_and_dangerous
        else "*** OFFICER SAFETY: USE CAUTION ***"
    )
    return [
        safety,
        f"REF: REQUEST FOR STATEWIDE BROADCAST - BLUE ALERT {alert.reference}",
        f"BLUE ALERT - {content.kind.label.upper()}",
    ]


def _cancel_lines(alert: Alert, cancelled: Cancellation) -> list[str]:
    """Law enforcement gets the coordinator's own words (the public CAP note does not)."""
    version = alert.current
    lines = [
        f"*** CANCEL: BLUE ALERT {alert.reference} IS CANCELLED - NO LONGER IN EFFECT ***",
        f"REF: REQUEST FOR STATEWIDE BROADCAST - CANCEL BLUE ALERT {alert.reference}",
        f"CANCELLED: {version.published_at or version.created_at:%Y-%m-%d %H:%MZ}",
    ]
    if cancelled.resolution:
        lines.append(f"OUTCOME: {OUTCOMES[cancelled.resolution][0]}")
    if version.note:
        lines.append(f"REASON: {version.note}")
    return [*lines, f"ORIGINAL ALERT: BLUE ALERT - {alert.content.kind.label.upper()}"]


def _facts(content: AlertContent) -> list[str]:
    lines = [
        f"INCIDENT: {content.incident.occurred_at:%Y-%m-%d %H:%MZ} "
        f"{content.incident.location.description}"
    ]
    for officer in content.officers:
        who = " ".join(filter(None, [officer.rank, officer.name]))
        status = officer.status.value.replace("_", " ")
        lines.append(f"OFFICER: {', '.join(filter(None, [who, status, officer.agency.name]))}")
    for suspect in content.suspects:
        lines += _suspect_lines(suspect)
    for vehicle in content.vehicles:
        lines += _vehicle_lines(vehicle)
    if content.law_enforcement_notes:
        lines.append(f"NOTES: {content.law_enforcement_notes}")
    return lines


def _suspect_lines(suspect: Suspect) -> list[str]:
    lines = [f"SUSPECT: {suspect_text(suspect, 'en')}"]
    extra = ", ".join(
        f"{k} {v}"
        for k, v in (
            ("HGT", suspect.height_in),
            ("WGT", suspect.weight_lb),
            ("HAIR", suspect.hair),
            ("EYES", suspect.eyes),
            ("SMT", suspect.marks),
            ("WEAPON", suspect.weapon),
        )
        if v
    )
    return lines + ([f"DESCRIPTION: {extra}"] if extra else [])


def _vehicle_lines(vehicle: Vehicle) -> list[str]:
    described = ", ".join(filter(None, [vehicle_text(vehicle, "en"), plate_text(vehicle, "en")]))
    lines = [f"VEHICLE: {described}"]
    if vehicle.last_seen:
        lines.append(
            f"LAST SEEN {vehicle.last_seen.at:%Y-%m-%d %H:%MZ} "
            f"{vehicle.last_seen.place.description} "
            f"{vehicle.direction_of_travel or ''}".rstrip()
        )
    return lines


def _origin(content: AlertContent) -> list[str]:
    agency = content.requesting_agency
    return [f"CONTACT: {content.contact}", f"REQUESTING AGENCY: {agency.name} ORI {agency.ori}"]


def _wrap(line: str) -> str:
    words, out, current = line.split(" "), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > LINE_WIDTH:
            out.append(current)
            current = "  " + word
        else:
            current = f"{current} {word}" if current else word
    out.append(current)
    return "\n".join(out)
