"""Spanish for the public texts: words with their accents, agreement, colours, directions.

People read and hear these (CAP description and headline, speech); only the WEA composer
reduces them to the GSM 7-bit alphabet. Names and places stay as written; other free text
comes from the alert's own Spanish (`es`), or is translated from a glossary, or is said in
standard Spanish (instructions), or is left out — never an English sentence in Spanish.
"""

from __future__ import annotations

import re

from bluealert.domain.content import AlertContent, Officer, Plate, Range, Sex, Suspect, Vehicle
from bluealert.domain.vocabulary import AlertKind, Resolution
from bluealert.formats.spanish_clothing import clothing
from bluealert.formats.spanish_colours import colour

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
# (masculine, feminine): the adjective agrees with "hombre" or "mujer".
RACES = {
    "white": ("blanco", "blanca"),
    "black": ("negro", "negra"),
    "african american": ("afroamericano", "afroamericana"),
    "hispanic": ("hispano", "hispana"),
    "latino": ("latino", "latina"),
    "latina": ("latino", "latina"),
    "asian": ("asiático", "asiática"),
    "native american": ("nativo americano", "nativa americana"),
    "american indian": ("indígena americano", "indígena americana"),
    "alaska native": ("nativo de Alaska", "nativa de Alaska"),
    "pacific islander": ("isleño del Pacífico", "isleña del Pacífico"),
    "middle eastern": ("de Oriente Medio", "de Oriente Medio"),
}
SEX = {"male": "hombre", "female": "mujer"}
COMPASS = {"north": "norte", "south": "sur", "east": "este", "west": "oeste"}
DIRECTION = re.compile(
    r"(?P<way>north|south|east|west)(?:bound)?(?:\s+(?:on|along))?\s*(?P<road>.*)", re.IGNORECASE
)
ROAD = re.compile(r"[A-Za-z]{1,10}[- ]?\d+[A-Za-z]?")
CALL = re.compile(
    r"call\s+(?P<number>[\d-]+)"
    r"(?:,?\s+or\s+(?:(?P<who>.+?),?\s+at\s+)?(?P<other>\(?\d[\d() -]*))?\.?",
    re.IGNORECASE,
)
PHONE = re.compile(r"\(?\b\d{3}\)?[ .-]?\d{3}[ .-]\d{4}\b|\b\d{3}-\d{4}\b|\b911\b")
# Whom to call, said in Spanish with its preposition; a proper name stays as written.
CALLEES = {
    "sheriff": "al sheriff",
    "the sheriff": "al sheriff",
    "police": "a la policía",
    "the police": "a la policía",
    "the sheriff's office": "a la oficina del sheriff",
    "the police department": "al departamento de policía",
    "the tip line": "a la línea de denuncias",
}
INSTRUCTIONS = {"Do not approach. Call 911.": "No se acerque. Llame al 911."}
# The standard Spanish instruction for each kind, where the alert gives none in Spanish.
STANDARD_INSTRUCTIONS = {
    AlertKind.OFFICER_MISSING: "Si ve {al} agente o el vehículo, no se acerque. Llame al 911.",
}
DEFAULT_INSTRUCTIONS = "No se acerque. Llame al 911."


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
    """'hombre blanco'; a race the table does not know is left out, not said in English."""
    forms = RACES.get((suspect.race or "").strip().lower())
    race = forms[suspect.sex == "female"] if forms else None
    return " ".join(p for p in (SEX.get(suspect.sex), race) if p) or None


def _clothing(suspect: Suspect) -> str | None:
    if suspect.es.clothing:
        return suspect.es.clothing
    return clothing(suspect.clothing) if suspect.clothing else None


def suspect(suspect: Suspect) -> str:
    age = _age(suspect.age) if suspect.age else None
    parts = [suspect.name, _who(suspect), age, _clothing(suspect)]
    return ", ".join(p for p in parts if p)


def suspect_label(suspect: Suspect) -> str:
    return "Sospechosa" if suspect.sex == "female" else "Sospechoso"


def armed(suspect: Suspect) -> str:
    return "Armada y peligrosa." if suspect.sex == "female" else "Armado y peligroso."


def direction(text: str) -> str | None:
    """'northbound I-35E' → 'rumbo al norte por I-35E', 'I-35' → 'por I-35'; anything else
    (English words) is left out."""
    match = DIRECTION.fullmatch(text.strip())
    if match is None:
        return f"por {text.strip()}" if ROAD.fullmatch(text.strip()) else None
    way = f"rumbo al {COMPASS[match['way'].lower()]}"
    road = match["road"].strip()
    if not road:
        return way
    return f"{way} por {road}" if ROAD.fullmatch(road) else way


def _callee(who: str) -> str | None:
    """'the sheriff' → 'al sheriff', 'the Clay County Sheriff's Office' → 'a Clay County
    Sheriff's Office' (a name, without the English 'the'); other English → None."""
    known = CALLEES.get(who.strip().lower())
    if known:
        return known
    name = re.sub(r"^the\s+", "", who.strip(), flags=re.IGNORECASE)
    words = re.findall(r"[^\s]+", name)
    if words and all(w[0].isupper() or w[0].isdigit() or w in ("of", "&") for w in words):
        return f"a {name}"
    return None


def _numbers(numbers: list[str]) -> str:
    return "Llame al " + " o al ".join(numbers) + "."


def contact(text: str) -> str | None:
    """'Call 911 or Dallas County Sheriff at 214-555-0100' in Spanish; other text gives only
    its phone numbers ('Llame al 214-555-0100.'), or nothing: never English words."""
    match = CALL.fullmatch(text.strip())
    if match is None:
        numbers = list(dict.fromkeys(PHONE.findall(text)))
        return _numbers(numbers) if numbers else None
    if not match["other"]:
        return _numbers([match["number"]])
    other = match["other"].strip()
    callee = _callee(match["who"]) if match["who"] else None
    if callee is None:
        return _numbers([match["number"], other])
    return f"Llame al {match['number']} o {callee} al {other}."


def call_also(who: str | None, number: str) -> str:
    """After 'Llame al 911.': 'O llame al sheriff al 214-555-0100.'"""
    callee = _callee(who) if who else None
    return f"O llame {callee} al {number}." if callee else f"O llame al {number}."


def instructions(content: AlertContent) -> str:
    """The alert's own Spanish, else the Spanish of the standard English instruction, else the
    standard Spanish instruction for the kind: never the agency's English sentence."""
    if content.es.instructions:
        return content.es.instructions
    if content.instructions in INSTRUCTIONS:
        return INSTRUCTIONS[content.instructions]
    template = STANDARD_INSTRUCTIONS.get(content.kind, DEFAULT_INSTRUCTIONS)
    feminine = officers_sexes(content.officers) == ["female"]
    return template.format(al="a la" if feminine else "al")


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
