"""Who may attest, what an attestation binds to, and the two-person rule over the whole chain."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from bluealert.domain import lifecycle
from bluealert.domain.alert import Act, Alert
from bluealert.domain.attestation import content_digest
from bluealert.domain.content import AlertContent
from bluealert.domain.people import User
from bluealert.domain.vocabulary import AlertState, Claim, Status
from bluealert.errors import InvalidAlert, NotAllowed
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=10)
PLAN = f.plan()
CLAIMS = [Claim.OFFICER_STATUS_CONFIRMED, Claim.SUSPECT_NOT_APPREHENDED]


def drafted(author: User = f.ORIGINATOR, **overrides: object) -> Alert:
    return lifecycle.draft(
        f.alert_content(NOW, **overrides),
        user=author,
        plan=PLAN,
        alert_id="a1",
        reference="TX-2026-0001",
        now=NOW,
    )


def attested(alert: Alert, by: User = f.SUPERVISOR, claims: list[Claim] = CLAIMS) -> Alert:
    return lifecycle.attest(alert, claims, user=by, now=LATER)


def revised(alert: Alert, by: User = f.ORIGINATOR, **change: object) -> Alert:
    content = alert.content.model_copy(update=change) if change else alert.content
    return lifecycle.revise_draft(alert, content, user=by, plan=PLAN, now=LATER)


def submitted(alert: Alert, by: User = f.SUPERVISOR) -> Alert:
    return lifecycle.submit(alert, user=by, plan=PLAN, now=LATER)


def test_an_alert_file_carrying_attestations_is_refused_naming_the_field() -> None:
    data = f.alert_data(NOW)
    data["attestations"] = [
        {"claim": "suspect_not_apprehended", "by": "invented.person", "at": NOW.isoformat()}
    ]
    with pytest.raises(ValidationError) as raised:
        AlertContent.model_validate(data)
    assert "attestations: an alert file may not carry attestations" in str(raised.value)


def test_an_attestation_records_who_when_the_version_and_the_content_it_was_given_on() -> None:
    alert = attested(drafted())
    made = {a.claim: a for a in alert.current.attestations}
    assert list(made) == CLAIMS
    expected_digest = content_digest(f.alert_content(NOW))
    for claim in CLAIMS:
        assert (made[claim].by, made[claim].at, made[claim].version) == ("sgt.reyes", LATER, 1)
        assert made[claim].content_sha256 == expected_digest
    assert [(c.by, c.act) for c in alert.current.contributions] == [
        ("dep.odell", Act.DRAFTED),
        ("sgt.reyes", Act.ATTESTED),
    ]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (f.SUPERVISOR, True),
        (f.SUPERVISOR_AND_COORDINATOR, True),
        (f.ORIGINATOR, False),  # of the agency, but not a supervisor
        (f.OTHER_AGENCY_SUPERVISOR, False),  # a supervisor, of another agency
        (f.TX_COORDINATOR, False),  # the coordinator checks the claims; they do not make them
        (f.NATIONAL, False),
    ],
)
def test_only_a_supervisor_of_the_requesting_agency_attests(who: User, allowed: bool) -> None:
    if allowed:
        assert attested(drafted(), by=who).current.attestations[0].by == who.username
    else:
        with pytest.raises(NotAllowed) as raised:
            attested(drafted(), by=who)
        assert raised.value.field == "attestations"


def test_attesting_a_claim_again_replaces_it_and_keeps_the_others() -> None:
    first = attested(drafted(), claims=CLAIMS)
    again = lifecycle.attest(
        first, [Claim.SUSPECT_NOT_APPREHENDED], user=f.SUPERVISOR, now=LATER + timedelta(1)
    )
    times = {a.claim: a.at for a in again.current.attestations}
    assert times == {
        Claim.OFFICER_STATUS_CONFIRMED: LATER,
        Claim.SUSPECT_NOT_APPREHENDED: LATER + timedelta(1),
    }


def test_attestations_are_void_once_the_draft_content_changes() -> None:
    alert = attested(drafted())
    changed = revised(alert, contact="Call 911 or 940-555-0100")
    assert changed.current.attestations_in_force == ()
    assert changed.current.attestations == ()  # and not kept to be published later
    unchanged = revised(alert)
    assert unchanged.current.attestations_in_force == alert.current.attestations


def test_attestations_that_no_longer_match_the_content_never_count() -> None:
    """Even a version that somehow still holds them: the content digest decides."""
    alert = attested(drafted())
    other = alert.content.model_copy(update={"contact": "Call 911 or 940-555-0100"})
    stale = alert.current.model_copy(update={"content": other})
    assert stale.attestations_in_force == ()


def test_approval_publishes_only_the_attestations_in_force() -> None:
    alert = submitted(attested(drafted()))
    active = lifecycle.approve(alert, user=f.TX_COORDINATOR, plan=PLAN, now=LATER)
    assert active.current.attestations == alert.current.attestations_in_force
    assert len(active.current.attestations) == len(CLAIMS)


def test_an_update_carries_the_claims_the_alert_was_activated_on() -> None:
    alert = submitted(attested(drafted()))
    active = lifecycle.approve(alert, user=f.TX_COORDINATOR, plan=PLAN, now=LATER)
    content = active.content.model_copy(update={"contact": "Call 911 or 940-555-0100"})
    updated = lifecycle.update(
        active, content, user=f.TX_COORDINATOR_2, plan=PLAN, note="new number", now=LATER
    )
    assert updated.current.attestations_in_force == active.current.attestations
    assert {a.version for a in updated.current.attestations} == {1}


@pytest.mark.parametrize("reviser", [f.OTHER_AGENCY_SUPERVISOR, f.OTHER_AGENCY_OFFICER])
def test_a_revision_of_another_agencys_draft_is_refused(reviser: User) -> None:
    alert = attested(drafted())
    theirs = {"ori": "TX2200000", "name": "Another agency (fictional)"}
    for change in ({}, {"requesting_agency": theirs}):
        content = alert.content.model_copy(update=change)
        with pytest.raises(NotAllowed):
            lifecycle.revise_draft(alert, content, user=reviser, plan=PLAN, now=LATER)


@pytest.mark.parametrize("reviser", [f.ORIGINATOR, f.SUPERVISOR, f.TX_COORDINATOR])
def test_a_revision_keeps_the_requesting_agency(reviser: User) -> None:
    alert = drafted()
    theirs = {"ori": "TX2200000", "name": "Another agency (fictional)"}
    content = f.alert_content(NOW, requesting_agency=theirs)
    with pytest.raises(InvalidAlert) as raised:
        lifecycle.revise_draft(alert, content, user=reviser, plan=PLAN, now=LATER)
    assert raised.value.field == "requesting_agency.ori"


def test_an_update_keeps_the_requesting_agency() -> None:
    alert = submitted(attested(drafted()))
    active = lifecycle.approve(alert, user=f.TX_COORDINATOR, plan=PLAN, now=LATER)
    theirs = {"ori": "TX2200000", "name": "Another agency (fictional)"}
    content = f.alert_content(NOW, requesting_agency=theirs)
    with pytest.raises(InvalidAlert) as raised:
        lifecycle.update(active, content, user=f.TX_COORDINATOR, plan=PLAN, note="x", now=LATER)
    assert raised.value.field == "requesting_agency.ori"


# Each chain leads to a pending alert; `hand` is the one person in it who then tries to approve.
Chain = Callable[[], Alert]
CHAINS: dict[str, tuple[Chain, User, str]] = {
    "drafted": (
        lambda: submitted(attested(drafted(f.TX_COORDINATOR))),
        f.TX_COORDINATOR,
        "drafted",
    ),
    "revised": (
        lambda: submitted(attested(revised(drafted(), by=f.TX_COORDINATOR))),
        f.TX_COORDINATOR,
        "revised",
    ),
    "attested": (
        lambda: submitted(attested(drafted(), by=f.SUPERVISOR_AND_COORDINATOR)),
        f.SUPERVISOR_AND_COORDINATOR,
        "attested",
    ),
    "submitted": (
        lambda: submitted(attested(drafted()), by=f.TX_COORDINATOR),
        f.TX_COORDINATOR,
        "submitted",
    ),
    "drafted, attested and submitted": (
        lambda: submitted(
            attested(drafted(f.SUPERVISOR_AND_COORDINATOR), by=f.SUPERVISOR_AND_COORDINATOR),
            by=f.SUPERVISOR_AND_COORDINATOR,
        ),
        f.SUPERVISOR_AND_COORDINATOR,
        "drafted and attested and submitted",
    ),
}


@pytest.mark.parametrize("chain", list(CHAINS))
def test_nobody_who_had_a_hand_in_the_version_may_approve_it(chain: str) -> None:
    make, hand, acts = CHAINS[chain]
    alert = make()
    with pytest.raises(NotAllowed) as raised:
        lifecycle.approve(alert, user=hand, plan=PLAN, now=LATER)
    assert f"two-person rule: {hand.username} {acts} TX-2026-0001" in str(raised.value)
    approved = lifecycle.approve(alert, user=f.TX_COORDINATOR_2, plan=PLAN, now=LATER)
    assert (approved.state, approved.approved_by) == (AlertState.ACTIVE, "tx.patel")


def test_a_hand_from_before_the_draft_was_returned_still_counts() -> None:
    alert = submitted(attested(drafted()), by=f.TX_COORDINATOR)
    returned = lifecycle.return_to_author(
        alert, user=f.TX_COORDINATOR_2, plan=PLAN, reason="add the plate", now=LATER
    )
    again = submitted(attested(revised(returned)))
    with pytest.raises(NotAllowed, match=r"two-person rule: tx\.kim submitted"):
        lifecycle.approve(again, user=f.TX_COORDINATOR, plan=PLAN, now=LATER)
    # Returning is a review, not a hand in the version: tx.patel may still approve.
    assert lifecycle.approve(again, user=f.TX_COORDINATOR_2, plan=PLAN, now=LATER).state is (
        AlertState.ACTIVE
    )


@pytest.mark.parametrize(
    ("status", "allowed"), [(Status.EXERCISE, True), (Status.ACTUAL, False), (Status.TEST, False)]
)
def test_only_an_exercise_may_be_approved_by_a_hand_in_it(status: Status, allowed: bool) -> None:
    both = f.SUPERVISOR_AND_COORDINATOR
    alert = submitted(attested(drafted(both, status=status.value), by=both), by=both)
    if allowed:
        assert lifecycle.approve(alert, user=both, plan=PLAN, now=LATER).approved_by == "lt.both"
    else:
        with pytest.raises(NotAllowed, match="two-person rule"):
            lifecycle.approve(alert, user=both, plan=PLAN, now=LATER)
