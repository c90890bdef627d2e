"""The criteria engine: is this alert warranted under this plan, and why (or why not)?

`evaluate` returns every criterion — the plan's trigger, the officer's status, the claims the
plan asks for this kind (the national model asks those of 34 U.S.C. 50503(b)(2)(D) for officer
incidents and (E) for threats), a sufficient description of a suspect at large, and the plan's
required information — as met / unmet / unknown, with a sentence a coordinator understands.
Unknown means nobody has said yet (an attestation not made); it blocks like unmet when the
criterion is blocking. The verdict sums it up: eligible, not eligible, or waiting for
attestations (only claims nobody has attested yet stand in the way).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from bluealert.domain.attestation import Attestation
from bluealert.domain.content import AlertContent
from bluealert.domain.descriptions import (
    MIN_KNOWN_PLATE_CHARACTERS,
    suspect_is_described,
    vehicle_is_described,
)
from bluealert.domain.model import Model
from bluealert.domain.plan import Requirement, StatePlan
from bluealert.domain.requirements import check_requirement
from bluealert.domain.vocabulary import AlertKind, Claim, OfficerStatus


class Outcome(StrEnum):
    MET = "met"
    UNMET = "unmet"
    UNKNOWN = "unknown"


class Verdict(StrEnum):
    """`alert check` exits 0, 1 or 3 for these (docs/cli.md)."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    WAITING_FOR_ATTESTATIONS = "waiting_for_attestations"


class CriterionResult(Model):
    id: str
    outcome: Outcome
    blocking: bool
    sentence: str


class Evaluation(Model):
    plan: str
    kind: AlertKind
    results: list[CriterionResult]
    verdict: Verdict

    @property
    def blocking_unmet(self) -> list[CriterionResult]:
        return [r for r in self.results if r.blocking and r.outcome is not Outcome.MET]

    @property
    def passes(self) -> bool:
        return not self.blocking_unmet


def _verdict(results: list[CriterionResult]) -> Verdict:
    """Eligible; waiting when only unattested claims block; else not eligible."""
    blocking = [r for r in results if r.blocking and r.outcome is not Outcome.MET]
    if not blocking:
        return Verdict.ELIGIBLE
    if all(r.outcome is Outcome.UNKNOWN for r in blocking):
        return Verdict.WAITING_FOR_ATTESTATIONS
    return Verdict.NOT_ELIGIBLE


CLAIM_WORDS = {
    Claim.OFFICER_STATUS_CONFIRMED: "the agency confirms the officer's status",
    Claim.SUSPECT_NOT_APPREHENDED: "the suspect has not been apprehended",
    Claim.THREAT_IMMINENT_AND_CREDIBLE: "the threat is imminent and credible",
    Claim.SUSPECT_WANTED_WHEN_THREAT_MADE: "the suspect was wanted when the threat was made",
    Claim.SUSPECT_POSES_SERIOUS_RISK: "the suspect poses a serious risk to the public or officers",
    Claim.ENTERED_IN_NCIC: "the information is entered in NCIC",
    Claim.OFFICER_SAFETY_CONCERN: "there is a concern for the missing officer's safety",
}

STATUSES_FOR_KIND = {
    AlertKind.OFFICER_KILLED: {OfficerStatus.KILLED},
    AlertKind.OFFICER_SERIOUSLY_INJURED: {OfficerStatus.SERIOUSLY_INJURED, OfficerStatus.KILLED},
    AlertKind.OFFICER_MISSING: {OfficerStatus.MISSING},
    AlertKind.IMMINENT_THREAT: {OfficerStatus.THREATENED, OfficerStatus.UNHARMED},
    AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON: {
        OfficerStatus.ASSAULTED,
        OfficerStatus.INJURED,
        OfficerStatus.SERIOUSLY_INJURED,
    },
}


def evaluate(
    content: AlertContent, plan: StatePlan, *, attestations: Sequence[Attestation]
) -> Evaluation:
    """Every criterion of `plan` for `content`, the claims met by `attestations` (in force)."""
    claims = plan.required_claims.get(content.kind, [])  # the plan's, and only the plan's
    results = [_trigger(content, plan), _officer_status(content)]
    results += [_claim(attestations, claim) for claim in claims]
    if Claim.SUSPECT_NOT_APPREHENDED in claims:
        # (D) and (E) ask for a description of the suspect at large; a plan whose trigger needs
        # no suspect (Florida's missing officer with a safety concern) has none to describe.
        results.append(_statutory_description(content))
    for requirement in plan.requirements:
        results.append(_requirement(content, requirement, plan, blocking=True))
    for requirement in plan.advisory:
        results.append(_requirement(content, requirement, plan, blocking=False))
    return Evaluation(
        plan=plan.state or "national",
        kind=content.kind,
        results=results,
        verdict=_verdict(results),
    )


def _trigger(content: AlertContent, plan: StatePlan) -> CriterionResult:
    covered = ", ".join(k.label for k in plan.triggers)
    if content.kind in plan.triggers:
        return CriterionResult(
            id="trigger",
            outcome=Outcome.MET,
            blocking=True,
            sentence=f"The {plan.name} covers {content.kind.label}.",
        )
    return CriterionResult(
        id="trigger",
        outcome=Outcome.UNMET,
        blocking=True,
        sentence=f"The {plan.name} does not cover {content.kind.label}; it covers {covered}.",
    )


def _officer_status(content: AlertContent) -> CriterionResult:
    wanted = STATUSES_FOR_KIND[content.kind]
    found = sorted({o.status.value.replace("_", " ") for o in content.officers})
    met = any(o.status in wanted for o in content.officers)
    if met:
        sentence = f"The officer's status ({', '.join(found)}) fits {content.kind.label}."
    else:
        sentence = (
            f"No officer's status fits {content.kind.label}: the alert lists {', '.join(found)}."
        )
    return CriterionResult(
        id="officer_status",
        outcome=Outcome.MET if met else Outcome.UNMET,
        blocking=True,
        sentence=sentence,
    )


def _claim(attestations: Sequence[Attestation], claim: Claim) -> CriterionResult:
    words = CLAIM_WORDS[claim]
    made = next((a for a in reversed(attestations) if a.claim is claim), None)
    if made is None:
        return CriterionResult(
            id=f"claim.{claim.value}",
            outcome=Outcome.UNKNOWN,
            blocking=True,
            sentence=f"Nobody has attested for this content yet that {words}; a supervisor of "
            f"the requesting agency must (alert submit --attest {claim.value}).",
        )
    when = made.at.strftime("%Y-%m-%d %H:%M UTC")
    return CriterionResult(
        id=f"claim.{claim.value}",
        outcome=Outcome.MET,
        blocking=True,
        sentence=f"{made.by} attested that {words} ({when}, version {made.version}).",
    )


def _statutory_description(content: AlertContent) -> CriterionResult:
    """The Act asks for sufficient description of the suspect and any vehicle and tag."""
    suspects = any(suspect_is_described(s) for s in content.suspects)
    vehicles = any(vehicle_is_described(v) for v in content.vehicles)
    if suspects or vehicles:
        parts = [p for p, ok in (("the suspect", suspects), ("a vehicle", vehicles)) if ok]
        return CriterionResult(
            id="sufficient_description",
            outcome=Outcome.MET,
            blocking=True,
            sentence=f"There is enough to recognise {' and '.join(parts)}.",
        )
    return CriterionResult(
        id="sufficient_description",
        outcome=Outcome.UNMET,
        blocking=True,
        sentence="There is not enough to recognise the suspect or a vehicle: give at least "
        "two traits of the suspect that say something (not 'unknown'), or a photo; or a "
        f"vehicle's plate with at least {MIN_KNOWN_PLATE_CHARACTERS} known characters, or two "
        "of its make, model, colour and body style.",
    )


def _requirement(
    content: AlertContent, requirement: Requirement, plan: StatePlan, *, blocking: bool
) -> CriterionResult:
    met, sentence = check_requirement(content, requirement, plan.name)
    prefix = "" if blocking else "Advisory: "
    return CriterionResult(
        id=f"requirement.{requirement.value}",
        outcome=Outcome.MET if met else Outcome.UNMET,
        blocking=blocking,
        sentence=prefix + sentence,
    )
