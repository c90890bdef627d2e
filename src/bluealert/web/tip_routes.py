"""Tips: the public submits one about an active alert (no login, rate- and size-limited);
law enforcement of the alert's agency or state, and national coordinators, read and review."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Query

from bluealert.app import tips
from bluealert.dispatch.tip_notices import tell_of_tip
from bluealert.domain.tips import SAFETY_ADVICE, TipSubmission
from bluealert.web.auth import CurrentPrincipal
from bluealert.web.pagination import CursorQuery, LimitQuery, page
from bluealert.web.problems import Problem
from bluealert.web.schemas.tips import (
    TipCreate,
    TipReceived,
    TipRestricted,
    TipReview,
    TipsRestricted,
)
from bluealert.web.state import StateDep

router = APIRouter(prefix="/api/v1/alerts/{reference}/tips", tags=["tips"])

ReferencePath = Annotated[
    str, Path(description="Alert reference, e.g. TX-2026-0007.", max_length=40)
]
TipPath = Annotated[str, Path(description="The tip's id.", max_length=36)]


@router.post(
    "",
    response_model=TipReceived,
    status_code=201,
    responses={409: {"model": Problem, "description": "The alert has ended: no tips now"}},
    summary="Tell law enforcement what you saw about an active alert (no login)",
)
def submit_tip(
    reference: ReferencePath, body: TipCreate, web: StateDep, after: BackgroundTasks
) -> TipReceived:
    given = TipSubmission.model_validate(body.model_dump())
    stored = tips.submit_tip(web.ctx, alert_key=reference, tip=given)
    after.add_task(tell_of_tip, web.ctx, stored)  # once the answer has left: the tip is committed
    return TipReceived(
        id=stored.id, alert=stored.reference, received_at=stored.received_at, advice=SAFETY_ADVICE
    )


@router.get("", response_model=TipsRestricted, summary="The alert's tips, oldest first")
def list_tips(
    reference: ReferencePath,
    web: StateDep,
    reviewed: Annotated[
        bool | None, Query(description="Only reviewed (true) or unreviewed (false) tips.")
    ] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 100,
) -> TipsRestricted:
    found = tips.list_tips(web.ctx, alert_key=reference, reviewed=reviewed)
    chosen, next_cursor = page(found, lambda t: t.id, cursor, limit)
    return TipsRestricted(tips=[TipRestricted.of(t) for t in chosen], next_cursor=next_cursor)


@router.post("/{tip_id}/review", response_model=TipRestricted, summary="Mark a tip reviewed")
def review_tip(
    reference: ReferencePath,
    tip_id: TipPath,
    body: TipReview,
    principal: CurrentPrincipal,
    web: StateDep,
) -> TipRestricted:
    reviewed = tips.review_tip(
        web.ctx, actor=principal.username, alert_key=reference, tip_id=tip_id, note=body.note
    )
    return TipRestricted.of(reviewed)
