"""The criteria's rule tables, a negative case per row, with the tables written out here.

The expected tables come from the statute and the plan files, not from the code under test:
34 U.S.C. 50501(1) and 50503(b)(2)(D)-(E) for the kinds and the claims of the national model,
California's Penal Code 13519.12 for assault with a deadly weapon, and each plan file's own
`required_claims` for what a state asks (claims come from the plan, and only from it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from bluealert.domain.attestation import Attestation, content_digest
from bluealert.domain.content import AlertContent
from bluealert.domain.criteria import Evaluation, Outcome, evaluate
from bluealert.domain.plan import StatePlan
from bluealert.domain.registry import plan_for
from bluealert.domain.vocabulary import AlertKind, Claim, OfficerStatus
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

# Which officer statuses make each kind of alert (34 U.S.C. 50501(1); CA Penal Code 13519.12).
FITTING_STATUSES = {
    AlertKind.OFFICER_KILLED: {"killed"},
    AlertKind.OFFICER_SERIOUSLY_INJURED: {"seriously_injured", "killed"},
    AlertKind.OFFICER_MISSING: {"missing"},
    AlertKind.IMMINENT_THREAT: {"threatened", "unharmed"},
    AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON: {"assaulted", "injured", "seriously_injured"},
}
KIND_AND_STATUS = [(kind, status) for kind in AlertKind for status in OfficerStatus]

# 34 U.S.C. 50503(b)(2)(D) (officer incidents) and (E) (threats): what the agency confirms.
OFFICER_INCIDENT = {Claim.OFFICER_STATUS_CONFIRMED, Claim.SUSPECT_NOT_APPREHENDED}
THREAT = {
    Claim.THREAT_IMMINENT_AND_CREDIBLE,
    Claim.SUSPECT_WANTED_WHEN_THREAT_MADE,
    Claim.SUSPECT_NOT_APPREHENDED,
}
# Florida: an officer "missing in the line of duty with a safety concern", no suspect needed.
FLORIDA_MISSING = {Claim.OFFICER_STATUS_CONFIRMED, Claim.OFFICER_SAFETY_CONCERN}
# A plan that asks that the suspect is not apprehended: there is a suspect to describe.
SUSPECT_AT_LARGE = f.plan(required_claims={k: [Claim.SUSPECT_NOT_APPREHENDED] for k in AlertKind})


def _content(kind: AlertKind, status: str, plan: str = "TX", **overrides: Any) -> AlertContent:
    officers = [{"agency": dict(f.AGENCY), "status": status}]
    return f.alert_content(NOW, kind=kind.value, plan=plan, officers=officers, **overrides)


def _attested(content: AlertContent, claims: Sequence[Claim]) -> list[Attestation]:
    digest = content_digest(content)
    return [
        Attestation(claim=c, by="sgt.reyes", at=NOW, version=1, content_sha256=digest)
        for c in claims
    ]


def _evaluate(content: AlertContent, plan: StatePlan, claims: Sequence[Claim]) -> Evaluation:
    return evaluate(content, plan, attestations=_attested(content, claims))


def _outcomes(evaluation: Evaluation) -> dict[str, Outcome]:
    return {r.id: r.outcome for r in evaluation.results}


@pytest.mark.parametrize(("kind", "status"), KIND_AND_STATUS)
def test_each_officer_status_fits_only_its_kinds(kind: AlertKind, status: OfficerStatus) -> None:
    content = _content(kind, status.value)
    [result] = [
        r for r in _evaluate(content, f.plan(), list(Claim)).results if r.id == "officer_status"
    ]
    fits = status.value in FITTING_STATUSES[kind]
    assert result.blocking
    assert result.outcome is (Outcome.MET if fits else Outcome.UNMET)
    words = status.value.replace("_", " ")
    if fits:
        assert result.sentence == f"The officer's status ({words}) fits {kind.label}."
    else:
        assert result.sentence == (
            f"No officer's status fits {kind.label}: the alert lists {words}."
        )


def test_one_fitting_officer_among_several_is_enough() -> None:
    officers = [
        {"agency": dict(f.AGENCY), "status": "unharmed"},
        {"agency": dict(f.AGENCY), "status": "killed"},
    ]
    content = f.alert_content(NOW, kind="officer_killed", officers=officers)
    outcomes = _outcomes(_evaluate(content, f.plan(), list(Claim)))
    assert outcomes["officer_status"] is Outcome.MET


@pytest.mark.parametrize("kind", list(AlertKind))
def test_a_plan_that_lists_no_claims_gets_none_added(kind: AlertKind) -> None:
    """Claims come from the plan: the engine adds none of its own to every incident."""
    [status, *_] = sorted(FITTING_STATUSES[kind])
    content = _content(kind, status)
    evaluation = _evaluate(content, f.plan(required_claims={}), [])
    assert not [r for r in evaluation.results if r.id.startswith("claim.")]
    assert evaluation.passes


@pytest.mark.parametrize(
    "kind",
    [
        AlertKind.OFFICER_KILLED,
        AlertKind.OFFICER_SERIOUSLY_INJURED,
        AlertKind.OFFICER_MISSING,
        AlertKind.IMMINENT_THREAT,
    ],
)
def test_the_national_model_asks_the_statutory_claims(kind: AlertKind) -> None:
    [status, *_] = sorted(FITTING_STATUSES[kind])
    content = _content(kind, status, plan="OK")
    statutory = THREAT if kind is AlertKind.IMMINENT_THREAT else OFFICER_INCIDENT
    evaluation = _evaluate(content, plan_for("OK"), [])
    unknown = {r.id for r in evaluation.results if r.outcome is Outcome.UNKNOWN and r.blocking}
    assert unknown == {f"claim.{c.value}" for c in statutory}
    assert not evaluation.passes
    assert _evaluate(content, plan_for("OK"), sorted(statutory)).passes


@pytest.mark.parametrize(
    ("state", "kind", "adds_serious_risk"),
    [
        ("CA", AlertKind.OFFICER_KILLED, True),
        ("CA", AlertKind.OFFICER_SERIOUSLY_INJURED, True),
        ("CA", AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON, True),
        ("FL", AlertKind.OFFICER_KILLED, True),
        ("FL", AlertKind.OFFICER_SERIOUSLY_INJURED, True),
        ("FL", AlertKind.OFFICER_MISSING, False),
        ("IN", AlertKind.OFFICER_KILLED, True),
        ("IN", AlertKind.OFFICER_SERIOUSLY_INJURED, True),
        ("IN", AlertKind.OFFICER_MISSING, True),
        ("TX", AlertKind.OFFICER_KILLED, True),
        ("TX", AlertKind.OFFICER_SERIOUSLY_INJURED, True),
        ("NC", AlertKind.OFFICER_KILLED, False),
        ("NC", AlertKind.OFFICER_SERIOUSLY_INJURED, False),
    ],
)
def test_a_plan_adds_its_own_claims_to_the_statute(
    state: str, kind: AlertKind, adds_serious_risk: bool
) -> None:
    [status, *_] = sorted(FITTING_STATUSES[kind])
    content = _content(kind, status, plan=state)
    missing_in_florida = (state, kind) == ("FL", AlertKind.OFFICER_MISSING)
    asked = FLORIDA_MISSING if missing_in_florida else OFFICER_INCIDENT
    evaluation = _evaluate(content, plan_for(state), sorted(asked))
    serious_risk = f"claim.{Claim.SUSPECT_POSES_SERIOUS_RISK.value}"
    assert (serious_risk in {r.id for r in evaluation.blocking_unmet}) is adds_serious_risk
    claims = [r.id for r in evaluation.results if r.id.startswith("claim.")]
    assert claims.count(serious_risk) == (1 if adds_serious_risk else 0)
    assert {f"claim.{c.value}" for c in asked} <= set(claims)


def test_a_claim_attested_is_met_with_who_and_when() -> None:
    content = _content(AlertKind.OFFICER_KILLED, "killed")
    plan = f.plan(required_claims={AlertKind.OFFICER_KILLED: sorted(OFFICER_INCIDENT)})
    evaluation = _evaluate(content, plan, sorted(OFFICER_INCIDENT))
    [confirmed] = [r for r in evaluation.results if r.id == "claim.officer_status_confirmed"]
    assert confirmed.outcome is Outcome.MET
    assert confirmed.sentence == (
        "sgt.reyes attested that the agency confirms the officer's status "
        "(2026-11-24 09:00 UTC, version 1)."
    )


def test_the_trigger_is_met_only_for_kinds_the_plan_covers() -> None:
    content = _content(AlertKind.OFFICER_MISSING, "missing")
    covering = f.plan(triggers=[AlertKind.OFFICER_MISSING])
    other = f.plan(triggers=[AlertKind.OFFICER_KILLED, AlertKind.IMMINENT_THREAT])
    assert _outcomes(_evaluate(content, covering, list(Claim)))["trigger"] is Outcome.MET
    [trigger] = [r for r in _evaluate(content, other, list(Claim)).results if r.id == "trigger"]
    assert (trigger.outcome, trigger.blocking) == (Outcome.UNMET, True)
    assert trigger.sentence.endswith(
        f"it covers {AlertKind.OFFICER_KILLED.label}, {AlertKind.IMMINENT_THREAT.label}."
    )


# What each claim asks the supervisor to confirm, in the coordinator's words.
CLAIM_WORDS = {
    Claim.OFFICER_STATUS_CONFIRMED: "the agency confirms the officer's status",
    Claim.SUSPECT_NOT_APPREHENDED: "the suspect has not been apprehended",
    Claim.THREAT_IMMINENT_AND_CREDIBLE: "the threat is imminent and credible",
    Claim.SUSPECT_WANTED_WHEN_THREAT_MADE: "the suspect was wanted when the threat was made",
    Claim.SUSPECT_POSES_SERIOUS_RISK: "the suspect poses a serious risk to the public or officers",
    Claim.ENTERED_IN_NCIC: "the information is entered in NCIC",
    Claim.OFFICER_SAFETY_CONCERN: "there is a concern for the missing officer's safety",
}


@pytest.mark.parametrize("claim", list(Claim))
def test_each_claim_unmade_says_what_is_awaited_and_made_says_who(claim: Claim) -> None:
    content = _content(AlertKind.IMMINENT_THREAT, "threatened")
    plan = f.plan(required_claims={AlertKind.IMMINENT_THREAT: [claim]})
    [unmade] = [r for r in _evaluate(content, plan, []).results if r.id == f"claim.{claim.value}"]
    assert (unmade.outcome, unmade.blocking) == (Outcome.UNKNOWN, True)
    assert unmade.sentence == (
        f"Nobody has attested for this content yet that {CLAIM_WORDS[claim]}; a supervisor of "
        f"the requesting agency must (alert submit --attest {claim.value})."
    )
    [made] = [
        r for r in _evaluate(content, plan, [claim]).results if r.id == f"claim.{claim.value}"
    ]
    assert (made.outcome, made.blocking) == (Outcome.MET, True)
    assert made.sentence.startswith(f"sgt.reyes attested that {CLAIM_WORDS[claim]} (")


def test_the_evaluation_names_its_plan() -> None:
    content = _content(AlertKind.OFFICER_KILLED, "killed")
    assert _evaluate(content, plan_for("TX"), []).plan == "TX"
    assert _evaluate(content, f.plan(state=None), []).plan == "national"


def test_a_covered_kind_is_a_blocking_criterion_met() -> None:
    content = _content(AlertKind.OFFICER_KILLED, "killed")
    [trigger] = [r for r in _evaluate(content, f.plan(), []).results if r.id == "trigger"]
    assert (trigger.outcome, trigger.blocking) == (Outcome.MET, True)
    assert trigger.sentence == f"The TX test plan covers {AlertKind.OFFICER_KILLED.label}."


def test_statuses_that_do_not_fit_are_all_listed() -> None:
    officers = [
        {"agency": dict(f.AGENCY), "status": "unharmed"},
        {"agency": dict(f.AGENCY), "status": "injured"},
    ]
    content = f.alert_content(NOW, kind="officer_killed", officers=officers)
    [status] = [r for r in _evaluate(content, f.plan(), []).results if r.id == "officer_status"]
    killed = AlertKind.OFFICER_KILLED.label
    assert (
        status.sentence == f"No officer's status fits {killed}: the alert lists injured, unharmed."
    )


def _description(content: AlertContent) -> Any:
    [found] = [
        r
        for r in _evaluate(content, SUSPECT_AT_LARGE, []).results
        if r.id == "sufficient_description"
    ]
    return found


def test_one_described_suspect_among_several_is_enough() -> None:
    suspects = [{"name": "Unknown"}, f.alert_data(NOW)["suspects"][0]]
    found = _description(f.alert_content(NOW, suspects=suspects, vehicles=[]))
    assert (found.outcome, found.blocking) == (Outcome.MET, True)
    assert found.sentence == "There is enough to recognise the suspect."


def test_the_description_names_what_can_be_recognised() -> None:
    both = _description(f.alert_content(NOW))
    assert both.sentence == "There is enough to recognise the suspect and a vehicle."
    neither = _description(f.alert_content(NOW, suspects=[], vehicles=[]))
    assert (neither.outcome, neither.blocking) == (Outcome.UNMET, True)
    assert neither.sentence.startswith("There is not enough to recognise the suspect or a vehicle")


def test_advisory_requirements_say_so_and_do_not_block() -> None:
    content = _content(AlertKind.OFFICER_KILLED, "killed")
    advisory = [r for r in _evaluate(content, plan_for("TX"), []).results if not r.blocking]
    assert advisory
    assert all(r.sentence.startswith("Advisory: ") for r in advisory)
    assert all(r.id.startswith("requirement.") for r in advisory)
