"""The facts of an alert as short phrases, in English and Spanish, most important first.

Every public rendering (CAP texts, WEA, SAME speech, signs, feeds) is built from these, so
the plate, the vehicle and the contact read the same everywhere. Only public facts are used:
callers pass `public_view(content)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bluealert.domain.content import AlertContent, Suspect, Vehicle
from bluealert.domain.vocabulary import AlertKind

Language = Literal["en", "es"]
DEFAULT_INSTRUCTIONS = "Do not approach. Call 911."

HEADER = {"en": "BLUE ALERT", "es": "ALERTA AZUL"}
KIND = {
    "en": {
        AlertKind.OFFICER_KILLED: "Officer killed",
        AlertKind.OFFICER_SERIOUSLY_INJURED: "Officer seriously injured",
        AlertKind.OFFICER_MISSING: "Officer missing",
        AlertKind.IMMINENT_THREAT: "Threat to officers",
        AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON: "Officer assaulted with a deadly weapon",
    },
    "es": {
        AlertKind.OFFICER_KILLED: "Agente asesinado",
        AlertKind.OFFICER_SERIOUSLY_INJURED: "Agente gravemente herido",
        AlertKind.OFFICER_MISSING: "Agente desaparecido",
        AlertKind.IMMINENT_THREAT: "Amenaza contra agentes",
        AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON: "Agente agredido con arma mortal",
    },
}
TERSE_KIND = {
    "en": {
        AlertKind.OFFICER_KILLED: "Officer killed",
        AlertKind.OFFICER_SERIOUSLY_INJURED: "Officer injured",
        AlertKind.OFFICER_MISSING: "Officer missing",
        AlertKind.IMMINENT_THREAT: "Threat to police",
        AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON: "Officer attacked",
    },
    "es": {
        AlertKind.OFFICER_KILLED: "Agente asesinado",
        AlertKind.OFFICER_SERIOUSLY_INJURED: "Agente herido",
        AlertKind.OFFICER_MISSING: "Agente desaparecido",
        AlertKind.IMMINENT_THREAT: "Amenaza a policias",
        AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON: "Agente atacado",
    },
}
CALL_911 = {"en": "Call 911.", "es": "Llame al 911."}
COLOURS_ES = {
    "black": "negro",
    "white": "blanco",
    "grey": "gris",
    "gray": "gris",
    "silver": "plateado",
    "red": "rojo",
    "blue": "azul",
    "green": "verde",
    "brown": "marron",
    "tan": "beige",
    "gold": "dorado",
    "yellow": "amarillo",
    "orange": "anaranjado",
    "maroon": "granate",
    "purple": "morado",
    "beige": "beige",
}
DIRECTIONS_ES = {
    "northbound": "rumbo al norte",
    "southbound": "rumbo al sur",
    "eastbound": "rumbo al este",
    "westbound": "rumbo al oeste",
}
RACES_ES = {
    "white": "blanco",
    "black": "negro",
    "hispanic": "hispano",
    "asian": "asiatico",
    "native american": "nativo americano",
}
SEX = {"en": {"male": "male", "female": "female"}, "es": {"male": "hombre", "female": "mujer"}}
WORDS = {
    "en": {
        "suspect": "Suspect",
        "vehicle": "Vehicle",
        "plate": "plate",
        "age": "age",
        "armed": "Armed and dangerous.",
        "seen": "Last seen",
        "heading": "heading",
        "near": "near",
        "partial": "partial",
    },
    "es": {
        "suspect": "Sospechoso",
        "vehicle": "Vehiculo",
        "plate": "placa",
        "age": "edad",
        "armed": "Armado y peligroso.",
        "seen": "Visto por ultima vez en",
        "heading": "con direccion",
        "near": "cerca de",
        "partial": "parcial",
    },
}
INSTRUCTIONS_ES = {DEFAULT_INSTRUCTIONS: "No se acerque. Llame al 911."}


@dataclass(frozen=True, slots=True)
class Phrase:
    """One fact as text, with a terse form for 90 characters; `name` says which fact it is."""

    name: str
    text: str
    short: str = ""

    @property
    def terse(self) -> str:
        return self.short or self.text


def _colour(colour: str | None, language: Language) -> str | None:
    if colour is None or language == "en":
        return colour
    return " ".join(COLOURS_ES.get(word.lower(), word) for word in colour.split())


def _direction(direction: str, language: Language) -> str:
    if language == "en":
        return direction
    for english, spanish in DIRECTIONS_ES.items():
        direction = direction.replace(english, spanish)
    return direction


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _terse_plate(vehicle: Vehicle, language: Language) -> str | None:
    if vehicle.plate is None:
        return None
    word = "plate" if language == "en" else "placa"
    return f"{vehicle.plate.state or ''} {word} {vehicle.plate.number}".strip()


def plate_text(vehicle: Vehicle, language: Language) -> str | None:
    if vehicle.plate is None:
        return None
    words = WORDS[language]
    state = vehicle.plate.state or ""
    partial = f" ({words['partial']})" if vehicle.plate.is_partial else ""
    if language == "en":
        return f"{state} plate {vehicle.plate.number}{partial}".strip()
    return f"placa {state} {vehicle.plate.number}{partial}".replace("  ", " ")


def vehicle_text(vehicle: Vehicle, language: Language) -> str:
    colour = _colour(vehicle.color, language)
    year = str(vehicle.year) if vehicle.year else None
    if language == "en":
        parts = [colour, year, vehicle.make, vehicle.model, vehicle.body_style]
    else:
        parts = [vehicle.make, vehicle.model, year, colour]
    return " ".join(p for p in parts if p)


def suspect_text(suspect: Suspect, language: Language) -> str:
    words = WORDS[language]
    sex = SEX[language].get(suspect.sex)
    race = suspect.race
    if race and language == "es":
        race = RACES_ES.get(race.lower(), race)
    who = " ".join(p for p in ((race, sex) if language == "en" else (sex, race)) if p)
    parts = [
        suspect.name,
        who or None,
        f"{words['age']} {suspect.age}" if suspect.age else None,
        suspect.clothing,
    ]
    return ", ".join(p for p in parts if p)


def phrases(content: AlertContent, language: Language) -> list[Phrase]:
    """The alert's public facts, most important first."""
    words = WORDS[language]
    place = content.incident.location.description
    kind = KIND[language][content.kind]
    found = [
        Phrase("header", HEADER[language] + ":"),
        Phrase(
            "what", f"{kind} {words['near']} {place}.", f"{TERSE_KIND[language][content.kind]}."
        ),
    ]
    for i, vehicle in enumerate(content.vehicles):
        plate = plate_text(vehicle, language)
        described = ", ".join(t for t in (vehicle_text(vehicle, language), plate) if t)
        terse = " ".join(
            t
            for t in (
                _colour(vehicle.color, language),
                vehicle.make,
                vehicle.model,
                _terse_plate(vehicle, language),
            )
            if t
        )
        if described:
            found.append(
                Phrase(
                    f"vehicle{i}", f"{words['vehicle']}: {described}.", _capitalised(terse) + "."
                )
            )
    for i, suspect in enumerate(content.suspects):
        text = suspect_text(suspect, language)
        if text:
            found.append(Phrase(f"suspect{i}", f"{words['suspect']}: {text}."))
        if suspect.armed_and_dangerous and i == 0:
            found.append(Phrase("armed", words["armed"]))
    found += _sightings(content, language)
    action = instructions(content, language)
    found.append(Phrase("instructions", action, CALL_911[language] if "911" in action else ""))
    contact = content.contact if content.contact.endswith(".") else content.contact + "."
    if contact not in action:
        found.append(Phrase("contact", contact))
    return found


def _sightings(content: AlertContent, language: Language) -> list[Phrase]:
    words = WORDS[language]
    found = []
    for i, vehicle in enumerate(content.vehicles):
        if vehicle.last_seen is None:
            continue
        text = f"{words['seen']} {vehicle.last_seen.place.description}"
        if vehicle.direction_of_travel:
            text += f", {words['heading']} {_direction(vehicle.direction_of_travel, language)}"
        found.append(Phrase(f"last_seen{i}", text + "."))
    return found


def instructions(content: AlertContent, language: Language) -> str:
    if language == "en":
        return content.instructions
    return INSTRUCTIONS_ES.get(content.instructions, content.instructions)
