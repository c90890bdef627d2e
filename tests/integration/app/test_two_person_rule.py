"""The holes of issue 8 ("one person could activate an alert"), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext
from bluealert.domain.vocabulary import AlertState
from bluealert.errors import CriteriaNotMet, InvalidAlert, NotAllowed
from tests import factories as f
from tests.integration.app.conftest import TX_CLAIMS, drafted, seed_people


def _state(ctx: AppContext, reference: str) -> AlertState:
    return use_cases.get_alert(ctx, reference).state


def test_a_coordinator_cannot_attest_submit_and_approve_alone(ctx: AppContext) -> None:
    seed_people(ctx)
    alert = drafted(ctx)
    with pytest.raises(NotAllowed, match="may not attest"):
        use_cases.submit_alert(ctx, actor="tx.kim", key=alert.reference, attest=TX_CLAIMS)
    use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=TX_CLAIMS)
    use_cases.return_alert(ctx, actor="tx.patel", key=alert.reference, reason="check")
    use_cases.submit_alert(ctx, actor="tx.kim", key=alert.reference)
    with pytest.raises(NotAllowed, match=r"two-person rule: tx\.kim submitted"):
        use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)
    assert _state(ctx, alert.reference) is AlertState.PENDING


def test_a_coordinator_who_rewrote_the_draft_may_not_approve_it(ctx: AppContext) -> None:
    seed_people(ctx)
    alert = drafted(ctx)
    content = alert.content.model_copy(update={"contact": "Call 911 or 940-555-0100"})
    use_cases.update_alert(
        ctx,
        actor="tx.kim",
        key=alert.reference,
        base=alert.current.number,
        content=content,
        note="",
    )
    use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=TX_CLAIMS)
    with pytest.raises(NotAllowed, match=r"two-person rule: tx\.kim revised"):
        use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)
    approved = use_cases.approve_alert(ctx, actor="tx.patel", key=alert.reference)
    assert approved.approved_by == "tx.patel"


def test_another_agencys_supervisor_may_not_revise_the_draft(ctx: AppContext) -> None:
    seed_people(ctx)
    alert = drafted(ctx)
    use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=TX_CLAIMS)
    use_cases.return_alert(ctx, actor="tx.kim", key=alert.reference, reason="check")
    theirs = f.alert_content(
        ctx.clock(), requesting_agency={"ori": "TX2200000", "name": "Other (fictional)"}
    )
    with pytest.raises(NotAllowed, match="acts for agency TX2200000"):
        use_cases.update_alert(
            ctx,
            actor="sgt.other",
            key=alert.reference,
            base=alert.current.number,
            content=theirs,
            note="",
        )
    with pytest.raises(InvalidAlert, match="keeps the requesting agency"):
        use_cases.update_alert(
            ctx,
            actor="sgt.reyes",
            key=alert.reference,
            base=alert.current.number,
            content=theirs,
            note="",
        )
    stored = use_cases.get_alert(ctx, alert.reference)
    assert stored.content == alert.content
    assert {a.by for a in stored.current.attestations} == {"sgt.reyes"}


def test_a_changed_draft_needs_its_attestations_again(ctx: AppContext) -> None:
    seed_people(ctx)
    alert = drafted(ctx)
    use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=TX_CLAIMS)
    use_cases.return_alert(ctx, actor="tx.kim", key=alert.reference, reason="wrong plate")
    plate = {"state": "TX", "number": "KZT4781"}
    vehicle = {**f.alert_data(ctx.clock())["vehicles"][0], "plate": plate}
    changed = f.alert_content(ctx.clock(), vehicles=[vehicle])
    use_cases.update_alert(
        ctx,
        actor="dep.odell",
        key=alert.reference,
        base=alert.current.number,
        content=changed,
        note="",
    )
    with pytest.raises(CriteriaNotMet, match="Nobody has attested for this content yet"):
        use_cases.submit_alert(ctx, actor="dep.odell", key=alert.reference)
    with pytest.raises(CriteriaNotMet, match="suspect_poses_serious_risk"):
        use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=TX_CLAIMS[:2])
    submitted, evaluation = use_cases.submit_alert(
        ctx, actor="sgt.reyes", key=alert.reference, attest=TX_CLAIMS
    )
    assert evaluation.passes
    stored = use_cases.get_alert(ctx, alert.reference).current
    assert stored == submitted.current
    assert [a.claim for a in stored.attestations] == TX_CLAIMS


def test_attestations_are_stored_with_who_when_and_what_they_vouch_for(ctx: AppContext) -> None:
    seed_people(ctx)
    alert = drafted(ctx)
    submitted, _ = use_cases.submit_alert(
        ctx, actor="sgt.reyes", key=alert.reference, attest=TX_CLAIMS
    )
    approved = use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)
    stored = use_cases.get_alert(ctx, alert.reference)
    assert stored == approved
    assert stored.current.attestations == submitted.current.attestations
    assert [(c.by, c.act.value) for c in stored.current.contributions] == [
        ("dep.odell", "drafted"),
        ("sgt.reyes", "attested"),
        ("sgt.reyes", "submitted"),
    ]
