"""The registry of state plans: one plan for each of the 56 jurisdictions.

Five states have a variant of their own (plan files in `domain/plans/`); the others adopt the
national model plan. Plan files are validated on load, field by field and across fields.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from pydantic import ValidationError

from bluealert.domain.jurisdictions import JURISDICTIONS, jurisdiction
from bluealert.domain.people import COORDINATOR_ROLES
from bluealert.domain.plan import StatePlan
from bluealert.domain.vocabulary import AlertKind, Claim
from bluealert.errors import InvalidPlan

VARIANT_STATES = ("CA", "FL", "IN", "NC", "TX")


def plan_problems(plan: StatePlan) -> list[str]:
    """Rules that span fields, each as `field: rule`."""
    problems = [
        f"advisory: {r.value} is listed both as required and as advisory"
        for r in plan.advisory
        if r in plan.requirements
    ]
    problems += [
        f"required_claims.{kind.value}: claims for a trigger the plan does not enable"
        for kind in plan.required_claims
        if kind not in plan.triggers
    ]
    problems += [
        f"required_claims.{kind.value}: officer_safety_concern is asked only of a missing officer"
        for kind, claims in plan.required_claims.items()
        if Claim.OFFICER_SAFETY_CONCERN in claims and kind is not AlertKind.OFFICER_MISSING
    ]
    if not set(plan.activating_roles) & COORDINATOR_ROLES:
        problems.append("activating_roles: a state or national coordinator must activate")
    return problems


def parse_plan(data: Any, source: str) -> StatePlan:
    """Validate a plan file's content; every problem is named `field: rule`."""
    if not isinstance(data, dict):
        raise InvalidPlan(f"{source}: a plan file holds one mapping of fields", field="plan")
    try:
        plan = StatePlan.model_validate(data)
    except ValidationError as error:
        problems = [f"{'.'.join(map(str, e['loc'])) or 'plan'}: {e['msg']}" for e in error.errors()]
        raise InvalidPlan.from_problems(source, problems) from error
    problems = plan_problems(plan)
    if problems:
        raise InvalidPlan.from_problems(source, problems)
    return plan


def _load(name: str) -> StatePlan:
    text = (files("bluealert.domain.plans") / f"{name}.yaml").read_text(encoding="utf-8")
    return parse_plan(yaml.safe_load(text), f"{name}.yaml")


@cache
def national_model() -> StatePlan:
    return _load("national")


@cache
def plan_for(state: str) -> StatePlan:
    """The plan an alert in `state` is issued under (USPS code or FIPS code)."""
    usps = jurisdiction(state).usps
    if usps in VARIANT_STATES:
        plan = _load(usps.lower())
        if plan.state != usps:
            raise InvalidPlan(f"{usps.lower()}.yaml names state {plan.state}", field="state")
        return plan
    return national_model().for_state(usps)


def all_plans() -> dict[str, StatePlan]:
    return {usps: plan_for(usps) for usps in JURISDICTIONS}
