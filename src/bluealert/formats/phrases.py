"""The facts of an alert as short phrases, in English and Spanish, in reading order.

Every public rendering (CAP texts, WEA, SAME speech, signs, feeds) is built from these, so
the plate, the vehicle and the contact read the same everywhere. Only public facts are used:
callers pass `public_view(content)`. Spanish keeps its accents here (`formats.spanish`); only
the WEA composer reduces texts to the GSM 7-bit alphabet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bluealert.domain.content import AlertContent, Suspect, Vehicle
from bluealert.domain.vocabulary import AlertKind, Resolution
from bluealert.formats import spanish
from bluealert.formats.cancellation import Cancellation, practice_mark

Language = Literal["en", "es"]
DEFAULT_INSTRUCTIONS = "Do not approach. Call 911."

HEADER = {"en": "BLUE ALERT", "es": "ALERTA AZUL"}
CANCELLED_HEADER = {"en": "BLUE ALERT CANCELLED", "es": "ALERTA AZUL CANCELADA"}
CANCELLED_ACTION = {
    "en": "This alert is cancelled; no action is needed.",
    "es": "Esta alerta está cancelada; no se requiere ninguna acción.",
}
TERSE_CANCELLED_ACTION = {"en": "No action needed.", "es": "No se requiere acción."}
OUTCOMES = {
    Resolution.SUSPECT_APPREHENDED: ("The suspect is in custody.", "Suspect in custody."),
    Resolution.SUSPECT_DECEASED: ("The suspect is no longer at large.", "Suspect not at large."),
    Resolution.OFFICER_LOCATED: ("The officer has been located.", "Officer located."),
    Resolution.THREAT_ENDED: ("The threat has ended.", "Threat ended."),
}
KIND = {  # English; Spanish agrees with the officer (spanish.kind)
    AlertKind.OFFICER_KILLED: "Officer killed",
    AlertKind.OFFICER_SERIOUSLY_INJURED: "Officer seriously injured",
    AlertKind.OFFICER_MISSING: "Officer missing",
    AlertKind.IMMINENT_THREAT: "Threat to officers",
    AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON: "Officer assaulted with a deadly weapon",
}
TERSE_KIND = {
    AlertKind.OFFICER_KILLED: "Officer killed",
    AlertKind.OFFICER_SERIOUSLY_INJURED: "Officer injured",
    AlertKind.OFFICER_MISSING: "Officer missing",
    AlertKind.IMMINENT_THREAT: "Threat to police",
    AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON: "Officer attacked",
}
CALL_911 = {"en": "Call 911.", "es": "Llame al 911."}
WORDS = {
    "en": {"vehicle": "Vehicle", "seen": "Last seen", "near": "near"},
    "es": {"vehicle": "Vehículo", "seen": "Visto por última vez en", "near": "cerca de"},
}


@dataclass(frozen=True, slots=True)
class Phrase:
    """One fact as text, with a terse form for 90 characters and, for a vehicle, the bare
    plate when even that is too long; `name` says which fact it is."""

    name: str
    text: str
    short: str = ""
    shortest: str = ""

    @property
    def terse(self) -> str:
        return self.short or self.text

    @property
    def forms(self) -> list[str]:
        """Every way to say it, longest first."""
        return list(dict.fromkeys(f for f in (self.text, self.short, self.shortest) if f))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def plate_text(vehicle: Vehicle, language: Language) -> str | None:
    if vehicle.plate is None:
        return None
    if language == "es":
        return spanish.plate(vehicle.plate)
    partial = " (partial)" if vehicle.plate.is_partial else ""
    return f"{vehicle.plate.state or ''} plate {vehicle.plate.number}{partial}".strip()


def vehicle_text(vehicle: Vehicle, language: Language) -> str:
    if language == "es":
        return spanish.vehicle(vehicle)
    year = str(vehicle.year) if vehicle.year else None
    parts = [vehicle.color, year, vehicle.make, vehicle.model, vehicle.body_style]
    return " ".join(p for p in parts if p)


def _terse_vehicle(vehicle: Vehicle, language: Language) -> str:
    if language == "es":
        return spanish.terse_vehicle(vehicle)
    plate = f"{vehicle.plate.state or ''} plate {vehicle.plate.number}" if vehicle.plate else ""
    return " ".join(t.strip() for t in (vehicle.color, vehicle.make, vehicle.model, plate) if t)


def _bare_plate(vehicle: Vehicle, language: Language) -> str:
    if vehicle.plate is None:
        return ""
    if language == "es":
        return _capitalised(spanish.plate(vehicle.plate, say_partial=False)) + "."
    return _capitalised(f"{vehicle.plate.state or ''} plate {vehicle.plate.number}.".strip())


def suspect_text(suspect: Suspect, language: Language) -> str:
    if language == "es":
        return spanish.suspect(suspect)
    sex = {"male": "male", "female": "female"}.get(suspect.sex)
    who = " ".join(p for p in (suspect.race, sex) if p)
    age = f"age {suspect.age}" if suspect.age else None
    return ", ".join(p for p in (suspect.name, who, age, suspect.clothing) if p)


def _vehicle_phrases(content: AlertContent, language: Language) -> list[Phrase]:
    found = []
    for i, vehicle in enumerate(content.vehicles):
        described = ", ".join(
            t for t in (vehicle_text(vehicle, language), plate_text(vehicle, language)) if t
        )
        if described:
            terse = _capitalised(_terse_vehicle(vehicle, language)) + "."
            label = WORDS[language]["vehicle"]
            plate = _bare_plate(vehicle, language)
            found.append(Phrase(f"vehicle{i}", f"{label}: {described}.", terse, plate))
    return found


def _suspect_phrases(content: AlertContent, language: Language) -> list[Phrase]:
    """Each suspect, and "armed and dangerous" once, after the first suspect who is."""
    found = []
    armed = next((s for s in content.suspects if s.armed_and_dangerous), None)
    for i, suspect in enumerate(content.suspects):
        text = suspect_text(suspect, language)
        if text:
            label = spanish.suspect_label(suspect) if language == "es" else "Suspect"
            found.append(Phrase(f"suspect{i}", f"{label}: {text}."))
        if suspect is armed:
            words = spanish.armed(suspect) if language == "es" else "Armed and dangerous."
            found.append(Phrase("armed", words))
    return found


def kind_text(content: AlertContent, language: Language, *, terse: bool = False) -> str:
    """'Officer seriously injured' / 'Agente gravemente herida' (agreeing with the officer)."""
    if language == "es":
        return spanish.kind(content.kind, content.officers, terse=terse)
    return (TERSE_KIND if terse else KIND)[content.kind]


def heading(content: AlertContent, language: Language, *, cancelled: bool = False) -> str:
    """'BLUE ALERT', 'BLUE ALERT CANCELLED', and for a drill 'EXERCISE - BLUE ALERT'."""
    words = (CANCELLED_HEADER if cancelled else HEADER)[language]
    mark = practice_mark(content.status, language)
    return f"{mark} - {words}" if mark else words


def phrases(
    content: AlertContent, language: Language, *, cancelled: Cancellation | None = None
) -> list[Phrase]:
    """The alert's public facts in reading order; a cancellation says so, says how the alert
    ended when it was resolved, and asks nothing."""
    found = _facts(content, language)
    if cancelled is None:
        return found
    header = Phrase("header", heading(content, language, cancelled=True) + ":")
    action = Phrase("instructions", CANCELLED_ACTION[language], TERSE_CANCELLED_ACTION[language])
    dropped = ("header", "armed", "instructions", "contact")
    kept = [p for p in found if p.name not in dropped and not p.name.startswith("last_seen")]
    outcome = _outcome(content, language, cancelled.resolution)
    return [header, *kept[:1], *outcome, *kept[1:], action]


def _outcome(
    content: AlertContent, language: Language, resolution: Resolution | None
) -> list[Phrase]:
    if resolution is None:
        return []
    if language == "es":
        text, terse = spanish.outcome(resolution, content.officers, content.suspects)
    else:
        text, terse = OUTCOMES[resolution]
    return [Phrase("outcome", text, terse)]


def _facts(content: AlertContent, language: Language) -> list[Phrase]:
    place = content.incident.location.description
    found = [
        Phrase("header", heading(content, language) + ":"),
        Phrase(
            "what",
            f"{kind_text(content, language)} {WORDS[language]['near']} {place}.",
            f"{kind_text(content, language, terse=True)}.",
        ),
    ]
    found += _officer_phrases(content, language)
    found += _vehicle_phrases(content, language)
    found += _suspect_phrases(content, language)
    found += _sightings(content, language)
    action = instructions(content, language)
    found.append(Phrase("instructions", action, CALL_911[language] if "911" in action else ""))
    contact = content.contact if content.contact.endswith(".") else content.contact + "."
    # Judged on the English texts: the Spanish of "Call 911" differs from its instructions'.
    said = contact if language == "en" else spanish_contact(content)
    if said and contact not in content.instructions and said not in action:
        found.append(Phrase("contact", said))
    return found


def spanish_contact(content: AlertContent) -> str | None:
    """The alert's own Spanish contact, else the English one said in Spanish (or nothing)."""
    if content.es.contact:
        return content.es.contact if content.es.contact.endswith(".") else content.es.contact + "."
    return spanish.contact(content.contact)


def after_calling_911(content: AlertContent, language: Language) -> str | None:
    """'Call 911 or the sheriff at …' said after 'Call 911.': 'Or call the sheriff at …'
    ('O llame al sheriff al …'); an alert's own Spanish contact is said as written."""
    if language == "es" and content.es.contact:
        return None
    match = spanish.CALL.fullmatch(content.contact.strip())
    if not (match and match["number"] == "911" and match["other"]):
        return _other_numbers(content.contact) if language == "es" else None
    who, number = match["who"], match["other"].strip()
    if language == "es":
        return spanish.call_also(who, number)
    return f"Or call {who} at {number}." if who else f"Or call {number}."


def _other_numbers(contact: str) -> str | None:
    """A contact the Spanish can only give as numbers, after 'Llame al 911.': the others."""
    numbers = list(dict.fromkeys(spanish.PHONE.findall(contact)))
    if "911" not in numbers or len(numbers) == 1:
        return None
    return "O llame al " + " o al ".join(n for n in numbers if n != "911") + "."


def _officer_phrases(content: AlertContent, language: Language) -> list[Phrase]:
    """Officers named only once their identity is released (public_view withholds the rest)."""
    label = "Agente" if language == "es" else "Officer"
    found = []
    for i, officer in enumerate(content.officers):
        who = " ".join(p for p in (officer.rank, officer.name) if p)
        if officer.identity_released and who:
            found.append(Phrase(f"officer{i}", f"{label}: {who}, {officer.agency.name}."))
    return found


def _heading(direction: str, language: Language) -> str | None:
    return spanish.direction(direction) if language == "es" else f"heading {direction}"


def _sightings(content: AlertContent, language: Language) -> list[Phrase]:
    found = []
    for i, vehicle in enumerate(content.vehicles):
        if vehicle.last_seen is None:
            continue
        text = f"{WORDS[language]['seen']} {vehicle.last_seen.place.description}"
        heading = _heading(vehicle.direction_of_travel or "", language)
        if vehicle.direction_of_travel and heading:
            text += f", {heading}"
        found.append(Phrase(f"last_seen{i}", text + "."))
    return found


def instructions(content: AlertContent, language: Language) -> str:
    if language == "en":
        return content.instructions
    return spanish.instructions(content)
