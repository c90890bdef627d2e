"""Every trigger × plan variant × missing-information case, table-driven."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from bluealert.domain.attestation import Attestation, content_digest
from bluealert.domain.content import AlertContent
from bluealert.domain.criteria import Evaluation, Outcome, Verdict, evaluate
from bluealert.domain.registry import VARIANT_STATES, parse_plan, plan_for
from bluealert.domain.vocabulary import AlertKind, Claim
from bluealert.errors import InvalidPlan
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PLANS = ["national", *VARIANT_STATES]
STATUS_FOR = {
    AlertKind.OFFICER_KILLED: "killed",
    AlertKind.OFFICER_SERIOUSLY_INJURED: "seriously_injured",
    AlertKind.OFFICER_MISSING: "missing",
    AlertKind.IMMINENT_THREAT: "threatened",
    AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON: "assaulted",
}
ALL_CLAIMS = list(Claim)


def _state(plan: str) -> str:
    return "OK" if plan == "national" else plan


def _content(kind: AlertKind, plan: str, **overrides: Any) -> AlertContent:
    state = _state(plan)
    officers = [{"agency": dict(f.AGENCY), "status": STATUS_FOR[kind]}]
    fields: dict[str, Any] = {"kind": kind.value, "plan": state, "officers": officers}
    fields.update(overrides)
    return f.alert_content(NOW, **fields)


def attestations(content: AlertContent, claims: Sequence[Claim]) -> list[Attestation]:
    digest = content_digest(content)
    return [
        Attestation(claim=c, by="sgt.reyes", at=NOW, version=1, content_sha256=digest)
        for c in claims
    ]


def _evaluate(
    kind: AlertKind, plan: str, attested: Sequence[Claim] = ALL_CLAIMS, **overrides: Any
) -> Evaluation:
    content = _content(kind, plan, **overrides)
    return evaluate(content, plan_for(_state(plan)), attestations=attestations(content, attested))


def _blocking_ids(evaluation: Evaluation) -> set[str]:
    return {r.id for r in evaluation.blocking_unmet}


ENABLED = {
    "national": {
        AlertKind.OFFICER_KILLED,
        AlertKind.OFFICER_SERIOUSLY_INJURED,
        AlertKind.OFFICER_MISSING,
        AlertKind.IMMINENT_THREAT,
    },
    "CA": {
        AlertKind.OFFICER_KILLED,
        AlertKind.OFFICER_SERIOUSLY_INJURED,
        AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON,
    },
    "TX": {AlertKind.OFFICER_KILLED, AlertKind.OFFICER_SERIOUSLY_INJURED},
    "NC": {AlertKind.OFFICER_KILLED, AlertKind.OFFICER_SERIOUSLY_INJURED},
    "FL": {
        AlertKind.OFFICER_KILLED,
        AlertKind.OFFICER_SERIOUSLY_INJURED,
        AlertKind.OFFICER_MISSING,
    },
    "IN": {
        AlertKind.OFFICER_KILLED,
        AlertKind.OFFICER_SERIOUSLY_INJURED,
        AlertKind.OFFICER_MISSING,
    },
}


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("kind", list(AlertKind))
def test_a_complete_alert_passes_exactly_when_the_plan_enables_its_trigger(
    kind: AlertKind, plan: str
) -> None:
    evaluation = _evaluate(kind, plan)
    if kind in ENABLED[plan]:
        assert evaluation.passes, [r.sentence for r in evaluation.blocking_unmet]
    else:
        assert _blocking_ids(evaluation) == {"trigger"}
        assert "does not cover" in evaluation.blocking_unmet[0].sentence


NO_VEHICLE: dict[str, Any] = {"vehicles": []}
NO_PLATE: dict[str, Any] = {"vehicles": [{"make": "Ford", "model": "F-150", "color": "grey"}]}
NO_SUSPECT_DETAIL: dict[str, Any] = {"suspects": [{"sex": "male"}]}
NOTHING: dict[str, Any] = {"vehicles": [], "suspects": [{"sex": "male"}]}
VAGUE_PLACE: dict[str, Any] = {
    "incident": {
        "occurred_at": "2026-11-24T08:30:00+00:00",
        "location": {"description": "somewhere north of town"},
    },
    "vehicles": [{"make": "Ford", "color": "grey", "plate": {"number": "ABC123"}}],
}
NO_NUMBER: dict[str, Any] = {"contact": "the sheriff's office"}

# (missing information, plan) → the blocking criteria that become unmet.
MISSING = [
    (NO_VEHICLE, "national", set()),
    (NO_VEHICLE, "TX", {"requirement.vehicle_description", "requirement.plate_or_partial_plate"}),
    (NO_VEHICLE, "NC", {"requirement.vehicle_description", "requirement.plate_or_partial_plate"}),
    (NO_VEHICLE, "CA", {"requirement.vehicle_description"}),
    (NO_VEHICLE, "FL", set()),
    (NO_VEHICLE, "IN", set()),
    (NO_PLATE, "TX", {"requirement.plate_or_partial_plate"}),
    (NO_PLATE, "NC", {"requirement.plate_or_partial_plate"}),
    (NO_PLATE, "CA", set()),
    (NO_PLATE, "national", set()),
    (NO_SUSPECT_DETAIL, "IN", {"requirement.suspect_description"}),
    (NO_SUSPECT_DETAIL, "TX", set()),
    (NO_SUSPECT_DETAIL, "national", set()),
    (NOTHING, "national", {"sufficient_description", "requirement.suspect_or_vehicle_description"}),
    (NOTHING, "FL", {"sufficient_description", "requirement.suspect_or_vehicle_description"}),
    (NOTHING, "IN", {"sufficient_description", "requirement.suspect_description"}),
    (
        NOTHING,
        "TX",
        {
            "sufficient_description",
            "requirement.vehicle_description",
            "requirement.plate_or_partial_plate",
        },
    ),
    (VAGUE_PLACE, "national", {"requirement.last_known_location"}),
    (NO_NUMBER, "CA", {"requirement.contact"}),
]


@pytest.mark.parametrize(("missing", "plan", "blocked"), MISSING)
def test_missing_information_blocks_what_each_plan_requires(
    missing: dict[str, Any], plan: str, blocked: set[str]
) -> None:
    assert _blocking_ids(_evaluate(AlertKind.OFFICER_KILLED, plan, **missing)) == blocked


@pytest.mark.parametrize("plan", PLANS)
def test_without_attestations_the_claims_are_unknown_and_block(plan: str) -> None:
    evaluation = _evaluate(AlertKind.OFFICER_KILLED, plan, attested=[])
    unknown = {r.id for r in evaluation.results if r.outcome is Outcome.UNKNOWN}
    assert {"claim.officer_status_confirmed", "claim.suspect_not_apprehended"} <= unknown
    assert unknown <= _blocking_ids(evaluation)


def test_threats_need_the_wanted_and_imminence_attestations() -> None:
    evaluation = _evaluate(
        AlertKind.IMMINENT_THREAT, "national", attested=[Claim.SUSPECT_NOT_APPREHENDED]
    )
    assert _blocking_ids(evaluation) == {
        "claim.threat_imminent_and_credible",
        "claim.suspect_wanted_when_threat_made",
    }


def test_officer_status_must_fit_the_trigger() -> None:
    evaluation = _evaluate(
        AlertKind.OFFICER_KILLED,
        "national",
        officers=[{"agency": dict(f.AGENCY), "status": "missing"}],
    )
    assert _blocking_ids(evaluation) == {"officer_status"}
    assert "lists missing" in evaluation.blocking_unmet[0].sentence


def test_sentences_explain_a_partial_plate_in_the_plans_words() -> None:
    evaluation = _evaluate(AlertKind.OFFICER_KILLED, "TX")
    [plate] = [r for r in evaluation.results if r.id == "requirement.plate_or_partial_plate"]
    assert plate.sentence == (
        "The plate is only partly known (TX KZT4??1): the Texas Blue Alert accepts a partial plate."
    )


def test_attestations_say_who_and_when() -> None:
    evaluation = _evaluate(AlertKind.OFFICER_KILLED, "national")
    [claim] = [r for r in evaluation.results if r.id == "claim.suspect_not_apprehended"]
    assert claim.sentence.startswith("sgt.reyes attested that the suspect has not been")
    assert "(2026-11-24 09:00 UTC, version 1)" in claim.sentence


def test_advisory_criteria_never_block() -> None:
    evaluation = _evaluate(AlertKind.OFFICER_KILLED, "TX")
    [photo] = [r for r in evaluation.results if r.id == "requirement.suspect_photo"]
    assert (photo.outcome, photo.blocking) == (Outcome.UNMET, False)
    assert evaluation.passes


# The national model plan keeps the criteria of 34 U.S.C. 50503(b)(2)(D) (officer incidents:
# the agency confirms, the suspect is not apprehended) and (E) (threats: imminent and credible,
# wanted when made, not apprehended) — written here from the statute, not read from the plan.
STATUTE = {
    AlertKind.OFFICER_KILLED: {"officer_status_confirmed", "suspect_not_apprehended"},
    AlertKind.OFFICER_SERIOUSLY_INJURED: {"officer_status_confirmed", "suspect_not_apprehended"},
    AlertKind.OFFICER_MISSING: {"officer_status_confirmed", "suspect_not_apprehended"},
    AlertKind.IMMINENT_THREAT: {
        "threat_imminent_and_credible",
        "suspect_wanted_when_threat_made",
        "suspect_not_apprehended",
    },
}


def _claim_ids(evaluation: Evaluation) -> set[str]:
    return {r.id.removeprefix("claim.") for r in evaluation.results if r.id.startswith("claim.")}


@pytest.mark.parametrize("kind", list(STATUTE))
def test_the_national_model_keeps_the_statutory_claims(kind: AlertKind) -> None:
    assert _claim_ids(_evaluate(kind, "national")) == STATUTE[kind]


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("kind", list(AlertKind))
def test_the_claims_asked_are_the_plans_and_no_others(kind: AlertKind, plan: str) -> None:
    asked = plan_for(_state(plan)).required_claims.get(kind, [])
    assert _claim_ids(_evaluate(kind, plan)) == {c.value for c in asked}


def test_a_plan_that_asks_no_claims_gets_none_added() -> None:
    content = _content(AlertKind.OFFICER_KILLED, "TX")
    evaluation = evaluate(content, f.plan(), attestations=[])
    assert _claim_ids(evaluation) == set()
    assert evaluation.passes


MISSING_OFFICER: dict[str, Any] = {
    "suspects": [],
    "vehicles": [
        {"make": "Ford", "model": "Explorer", "color": "white", "body_style": "patrol SUV"}
    ],
}
FLORIDA_MISSING = [Claim.OFFICER_STATUS_CONFIRMED, Claim.OFFICER_SAFETY_CONCERN]


def test_a_missing_officer_with_no_suspect_goes_out_where_the_plan_allows() -> None:
    evaluation = _evaluate(AlertKind.OFFICER_MISSING, "FL", FLORIDA_MISSING, **MISSING_OFFICER)
    assert evaluation.passes, [r.sentence for r in evaluation.blocking_unmet]
    assert _claim_ids(evaluation) == {"officer_status_confirmed", "officer_safety_concern"}
    assert "sufficient_description" not in {r.id for r in evaluation.results}


def test_florida_asks_for_the_missing_officers_safety_concern() -> None:
    evaluation = _evaluate(
        AlertKind.OFFICER_MISSING, "FL", [Claim.OFFICER_STATUS_CONFIRMED], **MISSING_OFFICER
    )
    assert _blocking_ids(evaluation) == {"claim.officer_safety_concern"}
    assert evaluation.verdict is Verdict.WAITING_FOR_ATTESTATIONS


@pytest.mark.parametrize("plan", ["national", "IN"])
def test_plans_that_need_a_suspect_for_a_missing_officer_still_do(plan: str) -> None:
    evaluation = _evaluate(AlertKind.OFFICER_MISSING, plan, FLORIDA_MISSING, **MISSING_OFFICER)
    assert "claim.suspect_not_apprehended" in _blocking_ids(evaluation)


def test_a_plan_may_ask_the_safety_concern_only_for_a_missing_officer() -> None:
    data = plan_for("FL").model_dump(mode="json")
    data["required_claims"]["officer_killed"].append("officer_safety_concern")
    with pytest.raises(InvalidPlan, match="officer_safety_concern"):
        parse_plan(data, "fl.yaml")


PLACEHOLDER_VEHICLE: dict[str, Any] = {
    "vehicles": [{"make": "unknown", "color": "unk", "plate": {"state": "TX", "number": "AB*"}}]
}


def test_a_plate_with_too_few_known_characters_meets_nothing() -> None:
    evaluation = _evaluate(AlertKind.OFFICER_KILLED, "TX", **PLACEHOLDER_VEHICLE)
    assert _blocking_ids(evaluation) == {
        "requirement.vehicle_description",
        "requirement.plate_or_partial_plate",
    }
    [plate] = [r for r in evaluation.results if r.id == "requirement.plate_or_partial_plate"]
    assert "TX AB* has 2 known characters" in plate.sentence
    assert "at least 3" in plate.sentence


def test_placeholders_are_not_a_sufficient_description() -> None:
    placeholders = {
        "suspects": [{"name": "unknown", "race": "N/A", "clothing": "unk", "sex": "male"}],
        **PLACEHOLDER_VEHICLE,
    }
    evaluation = _evaluate(AlertKind.OFFICER_KILLED, "national", **placeholders)
    assert _blocking_ids(evaluation) == {
        "sufficient_description",
        "requirement.suspect_or_vehicle_description",
    }


@pytest.mark.parametrize(
    ("kind", "plan", "attested", "missing", "verdict"),
    [
        (AlertKind.OFFICER_KILLED, "TX", ALL_CLAIMS, {}, Verdict.ELIGIBLE),
        (AlertKind.OFFICER_KILLED, "TX", [], {}, Verdict.WAITING_FOR_ATTESTATIONS),
        (AlertKind.OFFICER_MISSING, "TX", ALL_CLAIMS, {}, Verdict.NOT_ELIGIBLE),  # no trigger
        (AlertKind.OFFICER_KILLED, "TX", [], NO_VEHICLE, Verdict.NOT_ELIGIBLE),  # both
    ],
)
def test_the_verdict(
    kind: AlertKind,
    plan: str,
    attested: list[Claim],
    missing: dict[str, Any],
    verdict: Verdict,
) -> None:
    evaluation = _evaluate(kind, plan, attested, **missing)
    assert evaluation.verdict is verdict
    assert evaluation.model_dump(mode="json")["verdict"] == verdict.value
