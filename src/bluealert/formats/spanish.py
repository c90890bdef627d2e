"""Spanish for the public texts: words with their accents, agreement, colours, directions.

People read and hear these (CAP description and headline, speech); only the WEA composer
reduces them to the GSM 7-bit alphabet. Free text written by an agency (places, clothing,
names) stays as written.
"""

from __future__ import annotations

import re

from bluealert.domain.content import Officer, Plate, Range, Sex, Suspect, Vehicle
from bluealert.domain.vocabulary import AlertKind, Resolution

# "{o}" takes the officer's gender: "Agente herido", "Agente herida".
KIND = {
    AlertKind.OFFICER_KILLED: "Agente asesinad{o}",
    AlertKind.OFFICER_SERIOUSLY_INJURED: "Agente gravemente herid{o}",
    AlertKind.OFFICER_MISSING: "Agente desaparecid{o}",
    AlertKind.IMMINENT_THREAT: "Amenaza contra agentes",
    AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON: "Agente agredid{o} con arma mortal",
}
TERSE_KIND = {
    AlertKind.OFFICER_KILLED: "Agente asesinad{o}",
    AlertKind.OFFICER_SERIOUSLY_INJURED: "Agente herid{o}",
    AlertKind.OFFICER_MISSING: "Agente desaparecid{o}",
    AlertKind.IMMINENT_THREAT: "Amenaza a policías",
    AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON: "Agente atacad{o}",
}
# How a resolved alert ended, said to the public: (full, terse); "{o}" agrees as above.
OUTCOMES = {
    Resolution.SUSPECT_APPREHENDED: (
        "{El} sospechos{o} {está} detenid{o}.",
        "Sospechos{o} detenid{o}.",
    ),
    Resolution.SUSPECT_DECEASED: (
        "{El} sospechos{o} ya no {está} prófug{o}.",
        "Sospechos{o} ya no prófug{o}.",
    ),
    Resolution.OFFICER_LOCATED: ("{El} agente fue localizad{o}.", "Agente localizad{o}."),
    Resolution.THREAT_ENDED: ("La amenaza ha terminado.", "Amenaza terminada."),
}
ARTICLES = {(False, False): "El", (True, False): "La", (False, True): "Los", (True, True): "Las"}
# Masculine forms: they describe "el vehículo".
COLOURS = {
    "black": "negro",
    "white": "blanco",
    "grey": "gris",
    "gray": "gris",
    "silver": "plateado",
    "red": "rojo",
    "blue": "azul",
    "green": "verde",
    "brown": "marrón",
    "tan": "beige",
    "gold": "dorado",
    "yellow": "amarillo",
    "orange": "anaranjado",
    "maroon": "granate",
    "purple": "morado",
    "beige": "beige",
}
SHADES = {"dark": "oscuro", "light": "claro"}
# (masculine, feminine): the adjective agrees with "hombre" or "mujer".
RACES = {
    "white": ("blanco", "blanca"),
    "black": ("negro", "negra"),
    "hispanic": ("hispano", "hispana"),
    "latino": ("latino", "latina"),
    "asian": ("asiático", "asiática"),
    "native american": ("nativo americano", "nativa americana"),
}
SEX = {"male": "hombre", "female": "mujer"}
COMPASS = {"north": "norte", "south": "sur", "east": "este", "west": "oeste"}
DIRECTION = re.compile(
    r"(?P<way>north|south|east|west)(?:bound)?(?:\s+(?:on|along))?\s*(?P<road>.*)", re.IGNORECASE
)
ROAD = re.compile(r"[A-Za-z]{1,10}[- ]?\d+[A-Za-z]?")
CALL = re.compile(r"Call (?P<number>[\d-]+)(?: or (?P<who>.+?) at (?P<other>[\d() -]+))?\.?")
INSTRUCTIONS = {"Do not approach. Call 911.": "No se acerque. Llame al 911."}


def colour(text: str) -> str:
    """'dark blue' → 'azul oscuro'; words it does not know stay as written."""
    words = text.lower().split()
    shades = [SHADES[w] for w in words if w in SHADES]
    hues = [COLOURS.get(w, w) for w in words if w not in SHADES]
    return " ".join(hues + shades) if hues else text


def plate(plate: Plate, *, say_partial: bool = True) -> str:
    partial = " (parcial)" if plate.is_partial and say_partial else ""
    return " ".join(filter(None, ["placa", plate.state, plate.number])) + partial


def vehicle(vehicle: Vehicle) -> str:
    """'Ford F-150 gris modelo 2018': the colour after the noun, the year as 'modelo'."""
    year = f"modelo {vehicle.year}" if vehicle.year else None
    tint = colour(vehicle.color) if vehicle.color else None
    return " ".join(p for p in (vehicle.make, vehicle.model, tint, year) if p)


def terse_vehicle(vehicle: Vehicle) -> str:
    tint = colour(vehicle.color) if vehicle.color else None
    named = " ".join(p for p in (vehicle.make, vehicle.model, tint) if p)
    plated = plate(vehicle.plate, say_partial=False) if vehicle.plate else None
    return ", ".join(p for p in (named, plated) if p)


def _age(age: Range) -> str:
    return f"de {age.low} años" if age.low == age.high else f"de {age.low} a {age.high} años"


def _who(suspect: Suspect) -> str | None:
    feminine = suspect.sex == "female"
    race = suspect.race
    if race is not None:
        forms = RACES.get(race.lower())
        race = forms[feminine] if forms else race
    return " ".join(p for p in (SEX.get(suspect.sex), race) if p) or None


def suspect(suspect: Suspect) -> str:
    age = _age(suspect.age) if suspect.age else None
    parts = [suspect.name, _who(suspect), age, suspect.clothing]
    return ", ".join(p for p in parts if p)


def suspect_label(suspect: Suspect) -> str:
    return "Sospechosa" if suspect.sex == "female" else "Sospechoso"


def armed(suspect: Suspect) -> str:
    return "Armada y peligrosa." if suspect.sex == "female" else "Armado y peligroso."


def direction(text: str) -> str:
    """'northbound I-35E' → 'rumbo al norte por I-35E'; anything else is quoted as written."""
    match = DIRECTION.fullmatch(text.strip())
    if match is None:
        return f"dirección: {text}"
    way = f"rumbo al {COMPASS[match['way'].lower()]}"
    road = match["road"].strip()
    if not road:
        return way
    return f"{way} por {road}" if ROAD.fullmatch(road) else f"{way} ({road})"


def contact(text: str) -> str:
    """'Call 911 or Dallas County Sheriff at 214-555-0100' in Spanish; other text as written."""
    match = CALL.fullmatch(text.strip())
    if match is None:
        return f"Contacto: {text.rstrip('.')}."
    spoken = f"Llame al {match['number']}"
    if match["who"]:
        spoken += f" o a {match['who']} al {match['other'].strip()}"
    return spoken + "."


def instructions(text: str) -> str:
    return INSTRUCTIONS.get(text, text)


def agreeing(template: str, sexes: list[Sex]) -> str:
    """The template with its endings agreeing with the people it speaks of: feminine only
    when every one of them is a woman (Spanish grammar), plural for more than one."""
    feminine = bool(sexes) and all(sex == "female" for sex in sexes)
    plural = len(sexes) > 1
    ending = ("a" if feminine else "o") + ("s" if plural else "")
    verb = "están" if plural else "está"
    return template.format(o=ending, El=ARTICLES[feminine, plural], está=verb)


def officers_sexes(officers: list[Officer]) -> list[Sex]:
    """The officers spoken of as one ("Agente herida"): feminine when every one is a woman."""
    sexes = [o.sex for o in officers]
    return sexes[:1] if len(set(sexes)) <= 1 else ["unknown"]


def kind(alert_kind: AlertKind, officers: list[Officer], *, terse: bool = False) -> str:
    template = (TERSE_KIND if terse else KIND)[alert_kind]
    return agreeing(template, officers_sexes(officers))


def outcome(
    resolution: Resolution, officers: list[Officer], suspects: list[Suspect]
) -> tuple[str, str]:
    """'El sospechoso está detenido.' and its terse form, agreeing with whom it speaks of."""
    about_officer = resolution is Resolution.OFFICER_LOCATED
    sexes = officers_sexes(officers) if about_officer else [s.sex for s in suspects] or ["unknown"]
    full, terse = OUTCOMES[resolution]
    return agreeing(full, sexes), agreeing(terse, sexes)
