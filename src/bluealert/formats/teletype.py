"""Law-enforcement teletype: an Nlets-style administrative message (AM, or AML).

The officer-safety line comes first; at most 5 destinations (state or regional codes);
"REQUEST FOR STATEWIDE BROADCAST" goes in the reference field.
"""

from __future__ import annotations

from dataclasses import dataclass

from bluealert.domain.alert import Alert
from bluealert.domain.jurisdictions import jurisdiction
from bluealert.errors import InvalidMessage
from bluealert.formats.phrases import plate_text, suspect_text, vehicle_text
from bluealert.formats.plain_ascii import to_ascii

MAX_DESTINATIONS = 5
LINE_WIDTH = 80


@dataclass(frozen=True)
class Teletype:
    key: str
    origin: str
    destinations: list[str]
    text: str


def destinations_for(alert: Alert) -> list[str]:
    states = [alert.plan, *alert.content.area.states]
    states += [jurisdiction(fips[:2]).usps for fips in alert.content.area.counties]
    return list(dict.fromkeys(states))


def compose_teletype(
    alert: Alert, destinations: list[str] | None = None, law_enforcement_only: bool = True
) -> Teletype:
    content = alert.content
    chosen = destinations or destinations_for(alert)
    if len(chosen) > MAX_DESTINATIONS:
        raise InvalidMessage(
            f"{len(chosen)} destinations; an Nlets broadcast request goes to at most 5",
            field="destinations",
        )
    safety = (
        "*** OFFICER SAFETY: SUSPECT ARMED AND DANGEROUS - DO NOT APPROACH ***"
        if content.armed_and_dangerous
        else "*** OFFICER SAFETY: USE CAUTION ***"
    )
    lines = [
        safety,
        f"REF: REQUEST FOR STATEWIDE BROADCAST - BLUE ALERT {alert.reference}",
        f"BLUE ALERT - {content.kind.label.upper()}",
        f"INCIDENT: {content.incident.occurred_at:%Y-%m-%d %H:%MZ} "
        f"{content.incident.location.description}",
    ]
    for officer in content.officers:
        who = " ".join(filter(None, [officer.rank, officer.name])) or "OFFICER"
        status = officer.status.value.replace("_", " ")
        lines.append(f"OFFICER: {who}, {status}, {officer.agency.name}")
    for suspect in content.suspects:
        lines.append(f"SUSPECT: {suspect_text(suspect, 'en')}")
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
        if extra:
            lines.append(f"DESCRIPTION: {extra}")
    for vehicle in content.vehicles:
        described = ", ".join(
            filter(None, [vehicle_text(vehicle, "en"), plate_text(vehicle, "en")])
        )
        lines.append(f"VEHICLE: {described}")
        if vehicle.last_seen:
            lines.append(
                f"LAST SEEN {vehicle.last_seen.at:%Y-%m-%d %H:%MZ} "
                f"{vehicle.last_seen.place.description} "
                f"{vehicle.direction_of_travel or ''}".rstrip()
            )
    if content.law_enforcement_notes:
        lines.append(f"NOTES: {content.law_enforcement_notes}")
    lines += [
        f"CONTACT: {content.contact}",
        f"REQUESTING AGENCY: {content.requesting_agency.name} ORI {content.requesting_agency.ori}",
    ]
    key = "AML" if law_enforcement_only else "AM"
    header = [key, content.requesting_agency.ori, ",".join(chosen)]
    # Nlets text is upper-case 7-bit ASCII; names keep their letters without accents.
    text = "\n".join(header + [_wrap(to_ascii(line).upper()) for line in lines])
    return Teletype(key, content.requesting_agency.ori, chosen, text)


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
