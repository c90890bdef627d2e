"""Expiry (issue 8): an expiry already past is refused at submit and approval, one later than
the plan allows is capped, said, and stored as it applies; updates, renewals and linked alerts
follow the same rule. Expected times are the fixed clock plus the plan's hours, never read back
from the result under test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bluealert.domain import activation, expiry, lifecycle, linked
from bluealert.domain.alert import Alert, Notice
from bluealert.domain.vocabulary import AlertState, Claim
from bluealert.errors import InvalidAlert, TransitionRefused
from tests import factories as f
from tests.unit.domain.test_linked import OK, OK_AREA, TX, _original, _published, _request

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PLAN = f.plan(max_duration_hours=24)  # named "TX test plan"
HOUR = timedelta(hours=1)
TICK = timedelta(microseconds=1)
CLAIMS = [Claim.OFFICER_STATUS_CONFIRMED, Claim.SUSPECT_NOT_APPREHENDED]


def _drafted(expires_at: datetime | None) -> Alert:
    asked = expires_at.isoformat() if expires_at else None
    return lifecycle.draft(
        f.alert_content(NOW, expires_at=asked),
        user=f.ORIGINATOR,
        plan=PLAN,
        alert_id="a-1",
        reference="TX-2026-0001",
        now=NOW,
    )


def _pending(expires_at: datetime | None, at: datetime = NOW) -> Alert:
    attested = lifecycle.attest(_drafted(expires_at), CLAIMS, user=f.SUPERVISOR, now=NOW)
    return lifecycle.submit(attested, user=f.SUPERVISOR, plan=PLAN, now=at)


def _approved(expires_at: datetime | None, at: datetime = NOW) -> Alert:
    return lifecycle.approve(_pending(expires_at), user=f.TX_COORDINATOR, plan=PLAN, now=at)


def _capped(asked: datetime, since: datetime, applies: datetime) -> Notice:
    return Notice(
        field="expires_at",
        rule="plan_max_duration",
        message=(
            f"the requested expiry {asked.isoformat()} is later than the TX test plan allows "
            f"(24 hours from {since.isoformat()}): it expires at {applies.isoformat()}"
        ),
    )


# -- the rule itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "applies", "capped"),
    [
        (None, NOW + 24 * HOUR, False),  # nothing asked: the plan's longest
        (NOW + 5 * HOUR, NOW + 5 * HOUR, False),
        (NOW + 24 * HOUR, NOW + 24 * HOUR, False),  # exactly the longest is allowed
        (NOW + 24 * HOUR + TICK, NOW + 24 * HOUR, True),
        (NOW + 72 * HOUR, NOW + 24 * HOUR, True),
    ],
)
def test_the_expiry_that_applies(asked: datetime | None, applies: datetime, capped: bool) -> None:
    found = expiry.applying(asked, PLAN, NOW)
    assert found.at == applies
    if capped:
        assert asked is not None
        assert found.notices() == (_capped(asked, NOW, applies),)
    else:
        assert found.notices() == ()


# -- approval and submission ---------------------------------------------------------------


def test_approving_after_the_requested_expiry_passed_is_refused_by_name() -> None:
    asked = NOW + 2 * HOUR
    pending = _pending(asked)
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.approve(pending, user=f.TX_COORDINATOR, plan=PLAN, now=asked)
    assert refused.value.field == "expires_at"
    assert str(refused.value) == (
        "expires_at: cannot approve TX-2026-0001: its requested expiry "
        "2026-11-24T11:00:00+00:00 has already passed (it is 2026-11-24T11:00:00+00:00); an "
        "alert is approved only with an expiry still to come: return it to its author to set a "
        "later expires_at, or none for the plan's longest"
    )
    approved = lifecycle.approve(pending, user=f.TX_COORDINATOR, plan=PLAN, now=asked - TICK)
    assert approved.expires_at == asked
    assert approved.activated_at == asked - TICK


def test_submitting_after_the_requested_expiry_passed_is_refused_by_name() -> None:
    asked = NOW + HOUR
    draft = _drafted(asked)
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.submit(draft, user=f.ORIGINATOR, plan=PLAN, now=asked + HOUR)
    assert refused.value.field == "expires_at"
    assert str(refused.value) == (
        "expires_at: cannot submit TX-2026-0001: its requested expiry "
        "2026-11-24T10:00:00+00:00 has already passed (it is 2026-11-24T11:00:00+00:00); an "
        "alert is submitted only with an expiry still to come: revise expires_at to a later "
        "time, or leave it out for the plan's longest"
    )
    assert lifecycle.submit(draft, user=f.ORIGINATOR, plan=PLAN, now=asked - TICK).state is (
        AlertState.PENDING
    )


def test_an_alert_never_ends_before_it_was_activated() -> None:
    """The hole the issue found: approved late, it expired at a time before its activation."""
    asked = NOW + 3 * HOUR
    approved = _approved(asked, at=asked - TICK)
    expired = lifecycle.expire(approved, now=asked + HOUR)
    assert expired.activated_at == asked - TICK
    assert expired.ended_at == asked


def test_an_expiry_beyond_the_plan_is_capped_said_and_stored_as_it_applies() -> None:
    asked = NOW + 72 * HOUR
    approved = _approved(asked, at=NOW + HOUR)
    applies = NOW + 25 * HOUR  # 24 hours after the approval, not after the draft
    assert approved.expires_at == applies
    assert approved.current.content.expires_at == applies
    assert approved.current.notices == (_capped(asked, NOW + HOUR, applies),)
    # The attestations given on the requested content still count for the published version.
    assert [a.claim for a in approved.current.attestations_in_force] == CLAIMS


def test_an_expiry_within_the_plan_or_none_is_kept_without_a_word() -> None:
    within = _approved(NOW + 5 * HOUR)
    assert (within.expires_at, within.current.content.expires_at) == (
        NOW + 5 * HOUR,
        NOW + 5 * HOUR,
    )
    assert within.current.notices == ()
    unasked = _approved(None)
    assert (unasked.expires_at, unasked.current.content.expires_at) == (NOW + 24 * HOUR, None)
    assert unasked.current.notices == ()


def test_a_draft_is_told_its_expiry_will_be_capped_and_a_revision_within_the_plan_is_not() -> None:
    asked = NOW + 30 * HOUR
    draft = _drafted(asked)
    assert draft.current.content.expires_at == asked  # nothing applies before the approval
    assert draft.current.notices == (
        Notice(
            field="expires_at",
            rule="plan_max_duration",
            message=(
                "the requested expiry 2026-11-25T15:00:00+00:00 is more than the TX test plan's "
                "24 hours away: it will expire 24 hours after its approval at the latest"
            ),
        ),
    )
    within = f.alert_content(NOW, expires_at=(NOW + 24 * HOUR).isoformat())
    revised = lifecycle.revise_draft(draft, within, user=f.ORIGINATOR, plan=PLAN, now=NOW)
    assert revised.current.notices == ()


def test_the_draft_notice_is_said_again_at_submission_as_it_stands_then() -> None:
    asked = NOW + 30 * HOUR
    draft = lifecycle.attest(_drafted(asked), CLAIMS, user=f.SUPERVISOR, now=NOW)
    assert [n.rule for n in draft.current.notices] == ["plan_max_duration"]
    # Seven hours later the time asked for is within the plan's 24 hours: nothing to say.
    later = lifecycle.submit(draft, user=f.SUPERVISOR, plan=PLAN, now=NOW + 7 * HOUR)
    assert later.current.notices == ()


# -- updates and renewals ------------------------------------------------------------------


def _update(alert: Alert, asked: datetime | None, at: datetime) -> Alert:
    content = alert.content.model_copy(update={"expires_at": asked, "contact": "Call 911"})
    return lifecycle.update(alert, content, user=f.TX_COORDINATOR, plan=PLAN, note="n", now=at)


def test_an_update_asking_beyond_the_plan_is_capped_said_and_stored() -> None:
    later = NOW + 2 * HOUR
    asked = NOW + 50 * HOUR
    updated = _update(_approved(None), asked, later)
    assert updated.expires_at == later + 24 * HOUR
    assert updated.current.content.expires_at == later + 24 * HOUR
    assert updated.current.notices == (_capped(asked, later, later + 24 * HOUR),)
    assert updated.versions[0].notices == ()


def test_an_update_without_an_expiry_keeps_the_alert_s_and_says_nothing() -> None:
    approved = _approved(NOW + 5 * HOUR)
    updated = _update(approved, None, NOW + HOUR)
    assert updated.expires_at == NOW + 5 * HOUR
    assert updated.current.notices == ()


def test_an_update_naming_a_past_expiry_is_refused_by_name() -> None:
    with pytest.raises(InvalidAlert) as refused:
        _update(_approved(None), NOW + HOUR, NOW + 2 * HOUR)
    assert str(refused.value) == "expires_at: the expiry time is already past"


def test_a_renewal_runs_the_plan_s_longest_from_now_and_stores_it() -> None:
    later = NOW + 20 * HOUR
    renewed = lifecycle.renew(
        _approved(NOW + 72 * HOUR), user=f.TX_COORDINATOR, plan=PLAN, now=later
    )
    assert renewed.expires_at == renewed.current.content.expires_at == later + 24 * HOUR
    assert renewed.current.notices == ()


# -- linked alerts -------------------------------------------------------------------------


def test_a_linked_alert_ending_before_its_original_says_its_plan_decided() -> None:
    original = _original()  # TX: 24 hours; OK allows 6
    later = NOW + HOUR
    _, made = activation.accept(
        _request(original),
        original,
        user=f.OK_COORDINATOR,
        plan=OK,
        alert_id="ok-1",
        reference="OK-2026-0001",
        now=later,
        family=[original],
        area=OK_AREA,
    )
    assert made.expires_at == later + 6 * HOUR
    assert made.current.notices == (
        Notice(
            field="expires_at",
            rule="linked_within_plan",
            message=(
                "it expires at 2026-11-24T16:00:00+00:00, before its original "
                "(2026-11-25T09:00:00+00:00): the OK test plan allows 6 hours"
            ),
        ),
    )


def test_a_linked_alert_of_an_original_with_a_requested_expiry_stores_its_own() -> None:
    asked = NOW + 20 * HOUR
    drafted = lifecycle.draft(
        f.alert_content(NOW, expires_at=asked.isoformat()),
        user=f.ORIGINATOR,
        plan=TX,
        alert_id="tx-1",
        reference="TX-2026-0001",
        now=NOW,
    )
    pending = lifecycle.submit(drafted, user=f.ORIGINATOR, plan=TX, now=NOW)
    original = lifecycle.approve(pending, user=f.TX_COORDINATOR, plan=TX, now=NOW)
    _, made = activation.accept(
        _request(original),
        original,
        user=f.OK_COORDINATOR,
        plan=OK,
        alert_id="ok-1",
        reference="OK-2026-0001",
        now=NOW,
        family=[original],
        area=OK_AREA,
    )
    assert made.expires_at == made.current.content.expires_at == NOW + 6 * HOUR
    assert original.current.content.expires_at == asked


@pytest.mark.parametrize("hours", [2, 6])  # sooner than OK's 6 hours, or exactly when they end
def test_a_linked_alert_never_ending_before_its_original_is_not_noted(hours: int) -> None:
    original = _original().model_copy(update={"expires_at": NOW + hours * HOUR})
    _, made = activation.accept(
        _request(original),
        original,
        user=f.OK_COORDINATOR,
        plan=OK,
        alert_id="ok-1",
        reference="OK-2026-0001",
        now=NOW,
        family=[original],
        area=OK_AREA,
    )
    assert made.expires_at == NOW + hours * HOUR
    assert made.current.notices == ()


def test_an_update_followed_beyond_the_linked_plan_is_capped_and_said() -> None:
    original = _original()
    _, follower = activation.accept(
        _request(original),
        original,
        user=f.OK_COORDINATOR,
        plan=OK,
        alert_id="ok-1",
        reference="OK-2026-0001",
        now=NOW,
        family=[original],
        area=OK_AREA,
    )
    later = NOW + 2 * HOUR
    asked = NOW + 20 * HOUR
    content = original.content.model_copy(update={"expires_at": asked})
    updated = _published(original, content, at=later, note="", expires_at=asked)
    result = linked.follow_update(follower, updated, plan=OK, now=later)
    assert result.expires_at == result.current.content.expires_at == later + 6 * HOUR
    assert result.current.notices == (
        Notice(
            field="expires_at",
            rule="plan_max_duration",
            message=(
                f"the requested expiry {asked.isoformat()} is later than the OK test plan "
                f"allows (6 hours from {later.isoformat()}): it expires at "
                f"{(later + 6 * HOUR).isoformat()}"
            ),
        ),
    )
