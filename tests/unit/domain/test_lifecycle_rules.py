"""Lifecycle rules one row at a time: who may act under which plan, the fields each step sets,
and the boundaries of time (expiry, an incident at exactly now). Expected values are the
inputs and the fixed clock, never read back from the result under test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bluealert.domain import lifecycle
from bluealert.domain.alert import Alert
from bluealert.domain.registry import plan_for
from bluealert.domain.vocabulary import AlertState, Claim, MsgType, Resolution, Role
from bluealert.errors import InvalidAlert, NotAllowed, TransitionRefused
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
PLAN = f.plan()  # 24 hours at most


def _draft(now: datetime = NOW, **overrides: object) -> Alert:
    content = f.alert_content(now, **overrides)
    return lifecycle.draft(
        content, user=f.ORIGINATOR, plan=PLAN, alert_id="a-1", reference="TX-2026-0001", now=now
    )


def _pending() -> Alert:
    attested = lifecycle.attest(
        _draft(),
        [Claim.OFFICER_STATUS_CONFIRMED, Claim.SUSPECT_NOT_APPREHENDED],
        user=f.SUPERVISOR,
        now=NOW,
    )
    return lifecycle.submit(attested, user=f.SUPERVISOR, plan=PLAN, now=NOW)


def _active() -> Alert:
    return lifecycle.approve(_pending(), user=f.TX_COORDINATOR, plan=PLAN, now=NOW)


# -- who may act -----------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["CA", "IN", "NC"])
def test_an_originator_may_not_request_under_a_supervisors_only_plan(state: str) -> None:
    plan = plan_for(state)
    assert plan.requesting_roles == [Role.SUPERVISOR]  # as the plan file says
    content = f.alert_content(NOW, plan=state)
    with pytest.raises(NotAllowed, match="may not request alerts under this plan"):
        lifecycle.may_request(f.ORIGINATOR, content, plan)
    lifecycle.may_request(f.SUPERVISOR, content, plan)


def test_an_activating_role_is_needed_besides_coordinating_the_state() -> None:
    national_only = f.plan(activating_roles=[Role.NATIONAL_COORDINATOR])
    with pytest.raises(NotAllowed, match=r"tx\.kim is not a coordinator who may activate"):
        lifecycle.may_activate(f.TX_COORDINATOR, national_only, "TX")
    lifecycle.may_activate(f.NATIONAL, national_only, "TX")
    with pytest.raises(NotAllowed):
        lifecycle.may_activate(f.OK_COORDINATOR, PLAN, "TX")  # the role, but not the state


def test_attesting_again_keeps_the_earlier_claims() -> None:
    first = lifecycle.attest(_draft(), [Claim.OFFICER_STATUS_CONFIRMED], user=f.SUPERVISOR, now=NOW)
    both = lifecycle.attest(first, [Claim.SUSPECT_NOT_APPREHENDED], user=f.SUPERVISOR, now=LATER)
    made = {(a.claim, a.at) for a in both.current.attestations}
    assert made == {
        (Claim.OFFICER_STATUS_CONFIRMED, NOW),
        (Claim.SUSPECT_NOT_APPREHENDED, LATER),
    }


# -- the fields each step sets ---------------------------------------------------------------


def test_a_draft_records_its_author_and_time() -> None:
    alert = _draft()
    assert (alert.state, alert.author, alert.created_at) == (AlertState.DRAFT, "dep.odell", NOW)
    assert (alert.current.created_by, alert.current.created_at) == ("dep.odell", NOW)
    assert alert.current.msg_type is MsgType.ALERT


def test_submitting_records_when() -> None:
    pending = _pending()
    assert (pending.state, pending.submitted_at) == (AlertState.PENDING, NOW)


def test_approval_activates_now_for_at_most_the_plans_duration() -> None:
    active = _active()
    assert active.state is AlertState.ACTIVE
    assert (active.approved_by, active.activated_at) == ("tx.kim", NOW)
    assert active.current.published_at == NOW
    assert active.expires_at == NOW + timedelta(hours=24)


def test_an_earlier_expiry_asked_for_is_kept() -> None:
    pending = lifecycle.submit(
        lifecycle.attest(
            _draft(expires_at=(NOW + timedelta(hours=5)).isoformat()),
            [Claim.OFFICER_STATUS_CONFIRMED],
            user=f.SUPERVISOR,
            now=NOW,
        ),
        user=f.SUPERVISOR,
        plan=PLAN,
        now=NOW,
    )
    active = lifecycle.approve(pending, user=f.TX_COORDINATOR, plan=PLAN, now=NOW)
    assert active.expires_at == NOW + timedelta(hours=5)


def test_rejecting_and_returning_record_the_reason() -> None:
    rejected = lifecycle.reject(
        _pending(), user=f.TX_COORDINATOR, plan=PLAN, reason="  duplicate  ", now=LATER
    )
    assert (rejected.state, rejected.reason, rejected.ended_at) == (
        AlertState.REJECTED,
        "duplicate",
        LATER,
    )
    returned = lifecycle.return_to_author(
        _pending(), user=f.TX_COORDINATOR, plan=PLAN, reason="add the plate", now=LATER
    )
    assert (returned.state, returned.reason, returned.submitted_at) == (
        AlertState.DRAFT,
        "add the plate",
        None,
    )
    with pytest.raises(InvalidAlert) as raised:
        lifecycle.reject(_pending(), user=f.TX_COORDINATOR, plan=PLAN, reason="  ", now=LATER)
    assert raised.value.field == "reason"


def test_a_cancel_publishes_a_cancel_version_carrying_the_reason() -> None:
    cancelled = lifecycle.cancel(
        _active(), user=f.TX_COORDINATOR_2, plan=PLAN, reason="found", now=LATER
    )
    assert (cancelled.state, cancelled.reason, cancelled.ended_at) == (
        AlertState.CANCELLED,
        "found",
        LATER,
    )
    version = cancelled.current
    assert (version.number, version.msg_type, version.note) == (2, MsgType.CANCEL, "found")
    assert (version.created_by, version.created_at, version.published_at) == (
        "tx.patel",
        LATER,
        LATER,
    )


@pytest.mark.parametrize(
    ("note", "reason"),
    [("in custody at 5th St", "in custody at 5th St"), ("", "suspect apprehended")],
)
def test_a_resolve_keeps_the_note_and_words_the_outcome_only_without_one(
    note: str, reason: str
) -> None:
    resolved = lifecycle.resolve(
        _active(),
        user=f.TX_COORDINATOR,
        plan=PLAN,
        resolution=Resolution.SUSPECT_APPREHENDED,
        note=note,
        now=LATER,
    )
    assert (resolved.state, resolved.resolution) == (
        AlertState.RESOLVED,
        Resolution.SUSPECT_APPREHENDED,
    )
    assert (resolved.reason, resolved.current.note, resolved.ended_at) == (reason, reason, LATER)
    assert resolved.current.msg_type is MsgType.CANCEL


# -- time boundaries ---------------------------------------------------------------------------


def test_an_alert_expires_at_its_expiry_time_not_a_moment_before() -> None:
    active = _active()
    expiry = NOW + timedelta(hours=24)
    with pytest.raises(TransitionRefused, match="has not reached its expiry time"):
        lifecycle.expire(active, now=expiry - timedelta(microseconds=1))
    assert lifecycle.expired_at(active, expiry - timedelta(microseconds=1)) is None
    expired = lifecycle.expire(active, now=expiry)
    assert (expired.state, expired.ended_at) == (AlertState.EXPIRED, expiry)
    assert lifecycle.expired_at(active, expiry) == expiry


def test_an_update_at_the_expiry_time_is_refused() -> None:
    active = _active()
    expiry = NOW + timedelta(hours=24)
    with pytest.raises(TransitionRefused, match="it expired at"):
        lifecycle.update(
            active, active.content, user=f.TX_COORDINATOR, plan=PLAN, note="late", now=expiry
        )


def test_an_incident_at_exactly_now_is_accepted_and_a_moment_later_is_not() -> None:
    assert _draft(incident={**f.alert_data(NOW)["incident"], "occurred_at": NOW.isoformat()})
    future = {
        **f.alert_data(NOW)["incident"],
        "occurred_at": (NOW + timedelta(seconds=1)).isoformat(),
    }
    with pytest.raises(InvalidAlert) as raised:
        _draft(incident=future)
    assert raised.value.field == "incident.occurred_at"


def test_an_expiry_time_of_now_is_already_past() -> None:
    with pytest.raises(InvalidAlert) as raised:
        _draft(expires_at=NOW.isoformat())
    assert (raised.value.field, raised.value.message) == (
        "expires_at",
        "the expiry time is already past",
    )
    assert _draft(expires_at=(NOW + timedelta(seconds=1)).isoformat()).state is AlertState.DRAFT


# -- each step refuses the wrong person, state or content --------------------------------------


def test_a_draft_is_revised_in_place_by_its_agency_only_while_a_draft() -> None:
    returned = lifecycle.return_to_author(
        _pending(), user=f.TX_COORDINATOR, plan=PLAN, reason="add the plate", now=NOW
    )
    new_content = f.alert_content(NOW, contact="Call 911 or 555-0100")
    revised = lifecycle.revise_draft(returned, new_content, user=f.SUPERVISOR, plan=PLAN, now=LATER)
    assert (revised.state, revised.reason, revised.content) == (AlertState.DRAFT, "", new_content)
    assert (revised.current.created_by, revised.current.created_at) == ("sgt.reyes", LATER)
    assert revised.current.attestations == ()  # given on the earlier content: void
    assert [c.act.value for c in revised.current.contributions][-1] == "revised"
    with pytest.raises(TransitionRefused, match="cannot revise alert TX-2026-0001: it is pending"):
        lifecycle.revise_draft(_pending(), new_content, user=f.SUPERVISOR, plan=PLAN, now=LATER)
    with pytest.raises(InvalidAlert) as other_plan:
        lifecycle.revise_draft(
            returned, f.alert_content(NOW, plan="OK"), user=f.SUPERVISOR, plan=PLAN, now=LATER
        )
    assert other_plan.value.field == "plan"
    future = {
        **f.alert_data(NOW)["incident"],
        "occurred_at": (LATER + timedelta(hours=1)).isoformat(),
    }
    with pytest.raises(InvalidAlert, match="the incident time is in the future"):
        lifecycle.revise_draft(
            returned, f.alert_content(NOW, incident=future), user=f.SUPERVISOR, plan=PLAN, now=LATER
        )


def test_attesting_needs_a_draft_and_a_supervisor_of_the_agency() -> None:
    with pytest.raises(TransitionRefused, match="cannot attest"):
        lifecycle.attest(_pending(), [Claim.OFFICER_STATUS_CONFIRMED], user=f.SUPERVISOR, now=NOW)
    with pytest.raises(NotAllowed) as raised:
        lifecycle.attest(
            _draft(), [Claim.OFFICER_STATUS_CONFIRMED], user=f.OTHER_AGENCY_SUPERVISOR, now=NOW
        )
    assert raised.value.message == (
        f"sgt.other is not a supervisor of the requesting agency {f.ORI} and may not attest"
    )


def test_another_agencys_officer_may_not_submit() -> None:
    with pytest.raises(NotAllowed) as raised:
        lifecycle.submit(_draft(), user=f.OTHER_AGENCY_OFFICER, plan=PLAN, now=NOW)
    assert raised.value.field == "requesting_agency.ori"
    assert raised.value.message == (
        f"ptl.other acts for agency TX2200000, not the requesting agency {f.ORI}"
    )


@pytest.mark.parametrize("step", ["reject", "return_to_author"])
def test_only_a_coordinator_rejects_or_returns(step: str) -> None:
    act = getattr(lifecycle, step)
    with pytest.raises(NotAllowed):
        act(_pending(), user=f.SUPERVISOR, plan=PLAN, reason="no", now=NOW)


def test_an_update_is_by_a_coordinator_under_the_same_plan_and_status() -> None:
    active = _active()
    with pytest.raises(NotAllowed):
        lifecycle.update(active, active.content, user=f.SUPERVISOR, plan=PLAN, note="x", now=LATER)
    with pytest.raises(InvalidAlert) as other_plan:
        lifecycle.update(
            active,
            f.alert_content(NOW, plan="OK"),
            user=f.TX_COORDINATOR,
            plan=PLAN,
            note="x",
            now=LATER,
        )
    assert other_plan.value.field == "plan"
    assert "an alert stays under its plan (TX)" in other_plan.value.message
    with pytest.raises(InvalidAlert) as status:
        lifecycle.update(
            active,
            f.alert_content(NOW, status="Exercise"),
            user=f.TX_COORDINATOR,
            plan=PLAN,
            note="x",
            now=LATER,
        )
    assert (status.value.field, status.value.message) == (
        "status",
        "an update keeps the alert's status",
    )
    future = {
        **f.alert_data(NOW)["incident"],
        "occurred_at": (LATER + timedelta(hours=1)).isoformat(),
    }
    with pytest.raises(InvalidAlert) as raised:
        lifecycle.update(
            active,
            f.alert_content(NOW, incident=future),
            user=f.TX_COORDINATOR,
            plan=PLAN,
            note="x",
            now=LATER,
        )
    assert (raised.value.field, raised.value.message) == (
        "incident.occurred_at",
        "the incident time is in the future",
    )


def test_a_renewal_is_an_update_noted_renewed() -> None:
    renewed = lifecycle.renew(_active(), user=f.TX_COORDINATOR, plan=PLAN, now=LATER)
    assert (renewed.current.msg_type, renewed.current.note) == (MsgType.UPDATE, "renewed")
    assert renewed.expires_at == LATER + timedelta(hours=24)


def test_another_agencys_officer_may_not_resolve() -> None:
    with pytest.raises(NotAllowed):
        lifecycle.resolve(
            _active(),
            user=f.OTHER_AGENCY_OFFICER,
            plan=PLAN,
            resolution=Resolution.THREAT_ENDED,
            note="",
            now=LATER,
        )


def test_a_blank_reason_is_refused_by_name() -> None:
    with pytest.raises(InvalidAlert) as raised:
        lifecycle.cancel(_active(), user=f.TX_COORDINATOR, plan=PLAN, reason=" ", now=LATER)
    assert (raised.value.field, raised.value.message) == ("reason", "give a reason")
