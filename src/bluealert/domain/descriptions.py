"""What counts as a description: enough to narrow a search, never placeholders.

34 U.S.C. 50503(b)(2)(D) and (E) ask for "sufficient descriptive information about the suspect
and any relevant vehicle and tag numbers". The rules here decide what is sufficient:

- a **trait has substance** when it says something: "unknown", "N/A", "?" or "unk color" say
  nothing (every word is a placeholder or names only the field), nor does "John Doe";
- an **age** counts when it spans at most 20 years, a **height** at most 12 inches, within
  what a person can be;
- a **plate narrows a search** when at least 3 of its characters are known; '?' (one unknown
  character) and '*' (any more) never count;
- a **suspect is described** by a photo or two traits of substance (name, race, age, height,
  clothing, marks); a **vehicle** by a plate that narrows a search or two traits of substance
  (make, model, colour, body style).
"""

from __future__ import annotations

import re

from bluealert.domain.content import Plate, Range, Suspect, Vehicle

MIN_KNOWN_PLATE_CHARACTERS = 3
MAX_AGE_SPAN = 20
MAX_HEIGHT_SPAN_IN = 12
HEIGHT_RANGE_IN = (36, 96)
DESCRIBING_TRAITS = 2

# Words that stand in for a fact nobody has (or name only the field they fill).
PLACEHOLDER_WORDS = frozenset(
    {
        *("unknown", "unk", "unkn", "n", "a", "na", "none", "nil", "null", "tbd", "tba"),
        *("undetermined", "unidentified", "unsure", "unclear", "not", "known", "sure"),
        *("available", "applicable", "given", "provided", "any", "various", "other", "misc"),
        *("x", "xx", "xxx", "xxxx", "same", "see", "above", "below", "narrative", "pending"),
        *("description", "desc", "color", "colour", "make", "model", "race", "clothing"),
        *("clothes", "vehicle", "car", "type", "style", "body", "name", "person", "suspect"),
    }
)
PLACEHOLDER_NAMES = frozenset({"john doe", "jane doe", "doe"})


def has_substance(text: str | None) -> bool:
    """Whether `text` says something, rather than standing in for a fact nobody has."""
    if text is None:
        return False
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    if " ".join(words) in PLACEHOLDER_NAMES:
        return False
    return any(word not in PLACEHOLDER_WORDS for word in words)


def known_characters(plate: Plate) -> int:
    return sum(ch.isalnum() for ch in plate.number)


def narrows_search(plate: Plate) -> bool:
    return known_characters(plate) >= MIN_KNOWN_PLATE_CHARACTERS


def _age_says_something(age: Range | None) -> bool:
    return age is not None and age.low > 0 and age.high - age.low <= MAX_AGE_SPAN


def _height_says_something(height: Range | None) -> bool:
    low, high = HEIGHT_RANGE_IN
    return (
        height is not None
        and low <= height.low <= height.high <= high
        and height.high - height.low <= MAX_HEIGHT_SPAN_IN
    )


def suspect_traits(suspect: Suspect) -> int:
    """How many of the suspect's recognising traits have substance."""
    texts = (suspect.name, suspect.race, suspect.clothing, suspect.marks)
    return (
        sum(has_substance(t) for t in texts)
        + _age_says_something(suspect.age)
        + _height_says_something(suspect.height_in)
    )


def suspect_is_described(suspect: Suspect) -> bool:
    return bool(suspect.photos) or suspect_traits(suspect) >= DESCRIBING_TRAITS


def vehicle_traits(vehicle: Vehicle) -> int:
    texts = (vehicle.make, vehicle.model, vehicle.color, vehicle.body_style)
    return sum(has_substance(t) for t in texts)


def vehicle_is_described(vehicle: Vehicle) -> bool:
    plate = vehicle.plate is not None and narrows_search(vehicle.plate)
    return plate or vehicle_traits(vehicle) >= DESCRIBING_TRAITS
