"""The criteria engine: is this alert warranted under this plan, and why (or why not)?

`evaluate` returns every criterion — the plan's trigger, the statutory criteria of
34 U.S.C. 50503(b)(2)(D) (officer incidents) or (E) (threats), the plan's required
information and required attestations — as met / unmet / unknown, with a sentence a
coordinator understands. Unknown means nobody has said yet (an attestation not made);
it blocks like unmet when the criterion is blocking.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from bluealert.domain.attestation import Attestation
from bluealert.domain.content import AlertContent
from bluealert.domain.model import Model
from bluealert.domain.plan import Requirement, StatePlan
from bluealert.domain.requirements import check_requirement
from bluealert.domain.vocabulary import AlertKind, Claim, OfficerStatus


class Outcome(StrEnum):
    MET = "met"
    UNMET = "unmet"
    UNKNOWN = "unknown"


class CriterionResult(Model):
    id: str
    outcome: Outcome
    blocking: bool
    sentence: str


class Evaluation(Model):
    plan: str
    kind: AlertKind
    results: list[CriterionResult]

    @property
    def blocking_unmet(self) -> list[CriterionResult]:
        return [r for r in self.results if r.blocking and r.outcome is not Outcome.MET]

    @property
    def passes(self) -> bool:
        return not self.blocking_unmet


CLAIM_WORDS = {
    Claim.OFFICER_STATUS_CONFIRMED: "the agency confirms the officer's status",
    Claim.SUSPECT_NOT_APPREHENDED: "the suspect has not been apprehended",
    Claim.THREAT_IMMINENT_AND_CREDIBLE: "the threat is imminent and credible",
    Claim.SUSPECT_WANTED_WHEN_THREAT_MADE: "the suspect was wanted when the threat was made",
    Claim.SUSPECT_POSES_SERIOUS_RISK: "the suspect poses a serious risk to the public or officers",
    Claim.ENTERED_IN_NCIC: "the information is entered in NCIC",
}

STATUTORY_CLAIMS = {
    AlertKind.IMMINENT_THREAT: [
        Claim.THREAT_IMMINENT_AND_CREDIBLE,
        Claim.SUSPECT_WANTED_WHEN_THREAT_MADE,
        Claim.SUSPECT_NOT_APPREHENDED,
    ],
}
OFFICER_INCIDENT_CLAIMS = [Claim.OFFICER_STATUS_CONFIRMED, Claim.SUSPECT_NOT_APPREHENDED]

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
    results = [_trigger(content, plan), _officer_status(content)]
    results += [_claim(attestations, claim) for claim in _claims(content.kind, plan)]
    results.append(_statutory_description(content))
    for requirement in plan.requirements:
        results.append(_requirement(content, requirement, plan, blocking=True))
    for requirement in plan.advisory:
        results.append(_requirement(content, requirement, plan, blocking=False))
    return Evaluation(plan=plan.state or "national", kind=content.kind, results=results)


def _claims(kind: AlertKind, plan: StatePlan) -> list[Claim]:
    statutory = STATUTORY_CLAIMS.get(kind, OFFICER_INCIDENT_CLAIMS)
    extra = [c for c in plan.required_claims.get(kind, []) if c not in statutory]
    return [*statutory, *extra]


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
    suspects = any(s.is_described for s in content.suspects)
    vehicles = any(v.is_described for v in content.vehicles)
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
        "two traits of the suspect (or a photo), or a vehicle's plate or make and colour.",
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
