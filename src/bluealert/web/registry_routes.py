"""State plans, agencies, and the audit log (export and verify)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from bluealert.app.audit_log import export_audit, verify_audit
from bluealert.app.users import list_agencies
from bluealert.domain.plan import StatePlan
from bluealert.domain.registry import all_plans, plan_for
from bluealert.domain.vocabulary import Role
from bluealert.web.auth import CurrentPrincipal
from bluealert.web.state import StateDep

router = APIRouter(prefix="/api/v1", tags=["plans, agencies and audit"])


class StatePlanPublic(StatePlan):
    """A state's Blue Alert plan: triggers, criteria, who requests and activates, limits."""


class AgencyKnown(BaseModel):
    ori: str
    name: str | None
    people: int


class AuditVerification(BaseModel):
    ok: bool
    checked: int
    bad_seq: int | None = None
    problem: str | None = None


@router.get("/plans", response_model=dict[str, StatePlanPublic], summary="The 56 plans")
def list_plans() -> dict[str, StatePlanPublic]:
    return {s: StatePlanPublic.model_validate(p.model_dump()) for s, p in all_plans().items()}


@router.get("/plans/{state}", response_model=StatePlanPublic, summary="One state's plan")
def get_plan(state: Annotated[str, Path(max_length=2)]) -> StatePlanPublic:
    return StatePlanPublic.model_validate(plan_for(state).model_dump())


@router.get("/agencies", response_model=list[AgencyKnown], summary="Agencies known to this node")
def get_agencies(principal: CurrentPrincipal, web: StateDep) -> list[AgencyKnown]:
    """A state coordinator sees the agencies of the states it coordinates (ORI prefix)."""
    wide = principal.roles & {Role.ADMIN.value, Role.NATIONAL_COORDINATOR.value}
    found = list_agencies(web.ctx)
    shown = [a for a in found if wide or a.ori[:2] in principal.states]
    return [AgencyKnown(ori=a.ori, name=a.name, people=a.people) for a in shown]


@router.get(
    "/audit/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}, "description": "JSON lines"}},
    summary="The audit log as JSON lines, oldest first",
)
def export_audit_events(
    web: StateDep,
    subject: Annotated[
        str | None, Query(max_length=64, description="Only this subject id.")
    ] = None,
) -> StreamingResponse:
    lines: Iterator[str] = (line + "\n" for line in export_audit(web.ctx, subject))
    return StreamingResponse(lines, media_type="application/x-ndjson")


@router.get(
    "/audit/verify", response_model=AuditVerification, summary="Verify the audit hash chain"
)
def verify_audit_log(web: StateDep) -> AuditVerification:
    result = verify_audit(web.ctx)
    return AuditVerification(
        ok=result.ok, checked=result.checked, bad_seq=result.bad_seq, problem=result.problem
    )
