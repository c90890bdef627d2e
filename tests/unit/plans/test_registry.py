"""The plan registry: 56 jurisdictions, five variants, plan files validated field by field."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bluealert.domain.jurisdictions import JURISDICTIONS, jurisdiction
from bluealert.domain.registry import VARIANT_STATES, all_plans, parse_plan, plan_for
from bluealert.domain.vocabulary import AlertKind
from bluealert.errors import InvalidPlan, UnknownJurisdiction


def test_all_56_jurisdictions_resolve_to_a_plan_of_their_own_state() -> None:
    plans = all_plans()
    assert len(plans) == 56 == len(JURISDICTIONS)
    assert sum(j.territory for j in JURISDICTIONS.values()) == 5
    assert all(plan.state == usps for usps, plan in plans.items())
    assert {usps for usps, p in plans.items() if p.name != "National model Blue Alert plan"} == (
        set(VARIANT_STATES)
    )


def test_jurisdictions_by_usps_or_fips_and_unknown_codes() -> None:
    assert jurisdiction("48").usps == "TX"
    assert jurisdiction("pr").name == "Puerto Rico"
    with pytest.raises(UnknownJurisdiction, match="56"):
        plan_for("ZZ")


def test_california_adds_assault_with_a_deadly_weapon() -> None:
    assert AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON in plan_for("CA").triggers
    assert AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON not in plan_for("TX").triggers


def _valid() -> dict[str, Any]:
    return {
        "state": "OK",
        "name": "Oklahoma test plan",
        "issuing_agency": "OHP",
        "legal_basis": "test",
        "triggers": ["officer_killed"],
        "requesting_roles": ["supervisor"],
        "activating_roles": ["state_coordinator"],
        "max_duration_hours": 24,
        "default_channels": ["eas"],
    }


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"triggers": ["officer_annoyed"]}, "triggers.0", "Input should be"),
        ({"triggers": []}, "triggers", "at least 1"),
        ({"max_duration_hours": 0}, "max_duration_hours", "greater than 0"),
        ({"state": "XX"}, "state", "USPS"),
        ({"default_channels": ["carrier_pigeon"]}, "default_channels.0", "Input should be"),
        (
            {"requirements": ["suspect_photo"], "advisory": ["suspect_photo"]},
            "advisory",
            "both as required and as advisory",
        ),
        (
            {"required_claims": {"officer_missing": ["suspect_not_apprehended"]}},
            "required_claims.officer_missing",
            "does not enable",
        ),
        ({"activating_roles": ["originator"]}, "activating_roles", "coordinator"),
        ({"colour": "blue"}, "colour", "Extra inputs"),
    ],
)
def test_plan_files_name_the_field_and_the_rule(
    change: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(InvalidPlan) as raised:
        parse_plan({**_valid(), **change}, "ok.yaml")
    matching = [p for p in raised.value.problems if p.startswith(f"{field}:")]
    assert matching, raised.value.problems
    assert words in matching[0]


def test_a_plan_file_that_is_not_a_mapping() -> None:
    with pytest.raises(InvalidPlan, match="one mapping"):
        parse_plan(yaml.safe_load("- a\n- b"), "list.yaml")


def test_a_valid_plan_file_parses() -> None:
    assert parse_plan(_valid(), "ok.yaml").max_duration.total_seconds() == 24 * 3600
