"""Checks for the information a plan requires, each with a sentence for the coordinator."""

from __future__ import annotations

from collections.abc import Callable

from bluealert.domain.content import AlertContent, Plate
from bluealert.domain.descriptions import (
    MIN_KNOWN_PLATE_CHARACTERS,
    known_characters,
    narrows_search,
    suspect_is_described,
    vehicle_is_described,
)
from bluealert.domain.plan import Requirement

Check = Callable[[AlertContent, str], tuple[bool, str]]


def _suspect_description(content: AlertContent, plan: str) -> tuple[bool, str]:
    if any(suspect_is_described(s) for s in content.suspects):
        return True, "The suspect is described well enough to recognise."
    return False, (
        f"The {plan} needs a suspect description: at least two of name, race, age, height, "
        "clothing or marks that say something (not 'unknown'), or a photo."
    )


def _vehicle_description(content: AlertContent, plan: str) -> tuple[bool, str]:
    if any(vehicle_is_described(v) for v in content.vehicles):
        return True, "A vehicle is described well enough to recognise."
    return False, (
        f"The {plan} needs a detailed vehicle description: a plate with at least "
        f"{MIN_KNOWN_PLATE_CHARACTERS} known characters, or two of make, model, colour and body "
        "style that say something (not 'unknown')."
    )


def _plate(content: AlertContent, plan: str) -> tuple[bool, str]:
    plates = [v.plate for v in content.vehicles if v.plate is not None]
    if not plates:
        return False, f"The {plan} needs a licence plate or a partial plate; none is given."
    plate = max(plates, key=known_characters)
    where = f"{plate.state} " if plate.state else ""
    if not narrows_search(plate):
        return False, _too_few_known(plate, where, plan)
    if plate.is_partial:
        return True, (
            f"The plate is only partly known ({where}{plate.number}): the {plan} accepts a "
            "partial plate."
        )
    return True, f"The plate is known: {where}{plate.number}."


def _too_few_known(plate: Plate, where: str, plan: str) -> str:
    known = known_characters(plate)
    return (
        f"The plate {where}{plate.number} has {known} known character{'s' * (known != 1)}: "
        f"a partial plate narrows a search with at least {MIN_KNOWN_PLATE_CHARACTERS} ('?' and "
        f"'*' do not count), so the {plan} cannot count it."
    )


def _suspect_or_vehicle(content: AlertContent, plan: str) -> tuple[bool, str]:
    suspect, _ = _suspect_description(content, plan)
    vehicle, _ = _vehicle_description(content, plan)
    if suspect or vehicle:
        return True, "The suspect or the vehicle is described well enough to recognise."
    return False, f"The {plan} needs a description of the suspect or of the vehicle."


def _photo(content: AlertContent, plan: str) -> tuple[bool, str]:
    count = sum(len(s.photos) for s in content.suspects)
    if count:
        return True, f"{count} suspect photo(s) attached."
    return False, "No suspect photo is attached; a photo helps the public recognise the suspect."


def _last_known_location(content: AlertContent, plan: str) -> tuple[bool, str]:
    sightings = [v.last_seen for v in content.vehicles if v.last_seen is not None]
    if sightings:
        return True, f"Last seen at {sightings[-1].place.description}."
    place = content.incident.location
    if place.lat is not None:
        return True, f"The incident location is known: {place.description}."
    return False, (
        "The last known location is only a text place: give its coordinates or a last sighting."
    )


def _contact(content: AlertContent, plan: str) -> tuple[bool, str]:
    if any(ch.isdigit() for ch in content.contact):
        return True, f"The public is told whom to call: {content.contact}."
    return False, "The contact line gives no number to call (such as 911)."


CHECKS: dict[Requirement, Check] = {
    Requirement.SUSPECT_DESCRIPTION: _suspect_description,
    Requirement.VEHICLE_DESCRIPTION: _vehicle_description,
    Requirement.PLATE_OR_PARTIAL_PLATE: _plate,
    Requirement.SUSPECT_OR_VEHICLE_DESCRIPTION: _suspect_or_vehicle,
    Requirement.SUSPECT_PHOTO: _photo,
    Requirement.LAST_KNOWN_LOCATION: _last_known_location,
    Requirement.CONTACT: _contact,
}


def check_requirement(
    content: AlertContent, requirement: Requirement, plan: str
) -> tuple[bool, str]:
    return CHECKS[requirement](content, plan)
