"""Alert files: every broken field gets an error naming the field and the rule."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from bluealert.domain.content import AlertContent, Plate
from bluealert.domain.tiers import public_view
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _errors(**overrides: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        f.alert_content(NOW, **overrides)
    return {".".join(map(str, e["loc"])): e["msg"] for e in raised.value.errors()}


def test_the_factory_alert_is_valid() -> None:
    content = f.alert_content(NOW)
    assert content.incident.occurred_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"kind": "officer_annoyed"}, "kind", "Input should be"),
        ({"plan": "ZZ"}, "plan", "56 states"),
        (
            {"requesting_agency": {"ori": "TX12", "name": "x"}},
            "requesting_agency.ori",
            "9 characters",
        ),
        (
            {"requesting_agency": {"ori": "ZZ0570000", "name": "x"}},
            "requesting_agency.ori",
            "state code",
        ),
        (
            {"incident": {"occurred_at": "2026-11-24T02:40:00", "location": {"description": "x"}}},
            "incident.occurred_at",
            "timezone",
        ),
        ({"officers": []}, "officers", "at least 1"),
        ({"contact": ""}, "contact", "at least 1"),
        ({"area": {}}, "area", "at least one county"),
        ({"area": {"counties": ["4811"]}}, "area.counties.0", "5-digit FIPS"),
        ({"vehicles": [{"plate": {"number": "abc 12"}}]}, "vehicles.0.plate.number", "pattern"),
        ({"suspects": [{"age": "40-30"}]}, "suspects.0.age", "low end"),
        ({"status": "Draft"}, "status", "Input should be"),
        ({"colour_of_sky": "blue"}, "colour_of_sky", "Extra inputs"),
    ],
)
def test_bad_fields_are_named_with_their_rule(
    overrides: dict[str, Any], field: str, words: str
) -> None:
    errors = _errors(**overrides)
    assert field in errors, errors
    assert words in errors[field]


def test_missing_required_fields_are_each_named() -> None:
    data = f.alert_data(NOW)
    for name in ("kind", "requesting_agency", "incident", "contact", "area"):
        del data[name]
    with pytest.raises(ValidationError) as raised:
        AlertContent.model_validate(data)
    missing = {e["loc"][0] for e in raised.value.errors() if e["type"] == "missing"}
    assert missing == {"kind", "requesting_agency", "incident", "contact", "area"}


@pytest.mark.parametrize(
    ("number", "partial"), [("ABC1234", False), ("ABC1??4", True), ("ABC*", True)]
)
def test_partial_plates_mark_unknown_characters(number: str, partial: bool) -> None:
    assert Plate(number=number).is_partial is partial


def test_public_view_withholds_unreleased_officer_identity_and_le_notes() -> None:
    content = f.alert_content(NOW, law_enforcement_notes="warrant 123")
    public = public_view(content)
    assert public.officers[0].name is None
    assert public.law_enforcement_notes == ""
    released = content.model_copy(
        update={"officers": [content.officers[0].model_copy(update={"identity_released": True})]}
    )
    assert public_view(released).officers[0].name == "Deputy Lee Fictional"
