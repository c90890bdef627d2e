"""A missing officer with no suspect goes out where the plan allows it (issue 8), and only there."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, transaction
from bluealert.domain.vocabulary import AlertState, Claim, Role
from bluealert.errors import CriteriaNotMet
from tests import factories as f

AGENCIES = {"FL": "FL0130000", "GA": "GA0600000"}
COUNTIES = {"FL": "12086", "GA": "13121"}


def _people(ctx: AppContext) -> None:
    with transaction(ctx) as tx:
        for state, ori in AGENCIES.items():
            s = state.lower()
            tx.users.add(f.user(f"sgt.{s}", Role.SUPERVISOR, ori=ori), ctx.clock())
            tx.users.add(f.user(f"{s}.coord", Role.STATE_COORDINATOR, states=(state,)), ctx.clock())


def _missing_officer(state: str, now: datetime) -> Any:
    agency = {"ori": AGENCIES[state], "name": "A fictional sheriff's office"}
    return f.alert_content(
        now,
        kind="officer_missing",
        plan=state,
        requesting_agency=agency,
        incident={
            "occurred_at": (now - timedelta(hours=1)).isoformat(),
            "location": {"description": "County Road 12 at the river", "lat": 25.7, "lon": -80.4},
        },
        officers=[{"agency": agency, "status": "missing", "name": "Deputy Fictional"}],
        suspects=[],
        vehicles=[{"make": "Ford", "model": "Explorer", "color": "white", "body_style": "SUV"}],
        area={"counties": [COUNTIES[state]]},
    )


SAFETY = [Claim.OFFICER_STATUS_CONFIRMED, Claim.OFFICER_SAFETY_CONCERN]


def test_florida_activates_a_missing_officer_alert_with_no_suspect(ctx: AppContext) -> None:
    _people(ctx)
    alert = use_cases.draft_alert(ctx, actor="sgt.fl", content=_missing_officer("FL", ctx.clock()))
    with pytest.raises(CriteriaNotMet, match="concern for the missing officer's safety"):
        use_cases.submit_alert(
            ctx, actor="sgt.fl", key=alert.reference, attest=[Claim.OFFICER_STATUS_CONFIRMED]
        )
    _, evaluation = use_cases.submit_alert(ctx, actor="sgt.fl", key=alert.reference, attest=SAFETY)
    assert evaluation.passes
    active = use_cases.approve_alert(ctx, actor="fl.coord", key=alert.reference)
    assert (active.state, active.content.suspects) == (AlertState.ACTIVE, [])


def test_the_national_model_still_asks_that_the_suspect_is_not_apprehended(
    ctx: AppContext,
) -> None:
    _people(ctx)
    alert = use_cases.draft_alert(ctx, actor="sgt.ga", content=_missing_officer("GA", ctx.clock()))
    with pytest.raises(CriteriaNotMet, match="the suspect has not been apprehended"):
        use_cases.submit_alert(ctx, actor="sgt.ga", key=alert.reference, attest=SAFETY)
    assert use_cases.get_alert(ctx, alert.reference).state is AlertState.DRAFT
