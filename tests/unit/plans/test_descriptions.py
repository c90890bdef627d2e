"""What counts as a description: substance, not placeholders; plates that narrow a search."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from bluealert.domain.content import AlertContent, Plate, Suspect, Vehicle
from bluealert.domain.descriptions import (
    has_substance,
    known_characters,
    narrows_search,
    suspect_is_described,
    vehicle_is_described,
)
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PHOTO = {"sha256": "ab" * 32, "media_type": "image/jpeg", "size": 9}


@pytest.mark.parametrize(
    ("text", "substance"),
    [
        ("unknown", False),
        ("UNK", False),
        ("N/A", False),
        ("n.a.", False),
        ("?", False),
        ("--", False),
        ("", False),
        ("none", False),
        ("not known", False),
        ("unknown color", False),
        ("Unk. make", False),
        ("TBD", False),
        ("John Doe", False),
        ("various", False),
        ("grey", True),
        ("black hooded sweatshirt", True),
        ("John Smith", True),
        ("F-150", True),
        ("Model 3", True),
        ("X5", True),
        ("tattoo of a star on left hand", True),
        ("white", True),
    ],
)
def test_a_trait_has_substance_unless_it_only_stands_in_for_a_fact(
    text: str, substance: bool
) -> None:
    assert has_substance(text) is substance


@pytest.mark.parametrize(
    ("number", "known", "narrows"),
    [
        ("ABC1234", 7, True),
        ("KZT4??1", 5, True),
        ("ABC*", 3, True),
        ("A?C?E", 3, True),
        ("AB*", 2, False),
        ("A??????", 1, False),
        ("??1?", 1, False),
    ],
)
def test_a_partial_plate_narrows_a_search_with_three_known_characters(
    number: str, known: int, narrows: bool
) -> None:
    plate = Plate(number=number)
    assert (known_characters(plate), narrows_search(plate)) == (known, narrows)


@pytest.mark.parametrize("number", ["?*", "???????", "?", "??*"])
def test_a_plate_with_nothing_known_is_refused_naming_the_field(number: str) -> None:
    data = f.alert_data(NOW)
    data["vehicles"][0]["plate"] = {"state": "TX", "number": number}
    with pytest.raises(ValidationError) as raised:
        AlertContent.model_validate(data)
    [problem] = raised.value.errors()
    assert problem["loc"] == ("vehicles", 0, "plate", "number")
    assert "at least one known letter or digit" in problem["msg"]


@pytest.mark.parametrize(
    ("fields", "described"),
    [
        ({"name": "Casey Fictional", "clothing": "black hoodie"}, True),
        ({"race": "white", "age": "30-35"}, True),
        ({"height_in": "70-72", "marks": "scar over right eyebrow"}, True),
        ({"name": "unknown", "race": "unk", "clothing": "N/A", "marks": "none"}, False),
        ({"name": "John Doe", "clothing": "black hoodie"}, False),  # one trait of substance
        ({"race": "white", "age": "15-60"}, False),  # an age span of 45 years says little
        ({"race": "white", "age": 0}, False),
        ({"race": "white", "height_in": "20-100"}, False),
        ({"race": "white", "height_in": "60-80"}, False),  # 20 inches
        ({"clothing": "unknown", "photos": [PHOTO]}, True),
    ],
)
def test_a_suspect_is_described_by_two_traits_of_substance_or_a_photo(
    fields: dict[str, Any], described: bool
) -> None:
    assert suspect_is_described(Suspect.model_validate(fields)) is described


@pytest.mark.parametrize(
    ("fields", "described"),
    [
        ({"plate": {"number": "KZT4??1"}}, True),
        ({"plate": {"number": "AB*"}}, False),
        ({"plate": {"number": "AB*"}, "make": "Ford", "color": "grey"}, True),
        ({"make": "Ford", "model": "F-150"}, True),
        ({"make": "unknown", "color": "unk", "body_style": "n/a"}, False),
        ({"make": "Ford", "color": "unknown color"}, False),
    ],
)
def test_a_vehicle_is_described_by_a_plate_that_narrows_a_search_or_two_traits(
    fields: dict[str, Any], described: bool
) -> None:
    assert vehicle_is_described(Vehicle.model_validate(fields)) is described
