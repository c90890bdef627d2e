"""A linked alert follows its original; one alert per state; unanswered requests are closed.

Pure rules (domain.linked, domain.activation), each with the cases that must refuse.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bluealert.domain import activation, lifecycle, linked
from bluealert.domain.activation import ActivationRequest, RequestState
from bluealert.domain.alert import Alert, AlertVersion
from bluealert.domain.attestation import Attestation, content_digest
from bluealert.domain.content import AlertContent, AreaRequest
from bluealert.domain.vocabulary import AlertState, Claim, MsgType, Resolution
from bluealert.errors import TransitionRefused
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TX = f.plan("TX", max_duration_hours=24)
OK = f.plan("OK", max_duration_hours=6)
OK_AREA = AreaRequest(counties=["40027"])


def _original() -> Alert:
    drafted = lifecycle.draft(
        f.alert_content(NOW),
        user=f.ORIGINATOR,
        plan=TX,
        alert_id="tx-1",
        reference="TX-2026-0001",
        now=NOW,
    )
    pending = lifecycle.submit(drafted, user=f.ORIGINATOR, plan=TX, now=NOW)
    approved = lifecycle.approve(pending, user=f.TX_COORDINATOR, plan=TX, now=NOW)
    given = Attestation(
        claim=Claim.SUSPECT_NOT_APPREHENDED,
        by="sgt.reyes",
        at=NOW,
        version=1,
        content_sha256=content_digest(approved.content),
    )
    attested = approved.current.model_copy(update={"attestations": (given,)})
    return approved.model_copy(update={"versions": (attested,)})


def _request(original: Alert, to_state: str = "OK") -> ActivationRequest:
    return activation.request_activation(
        original,
        user=f.TX_COORDINATOR,
        plan=TX,
        to_state=to_state,
        note="",
        request_id="r-1",
        now=NOW,
        family=[original],
        earlier=[],
    )


def _linked(original: Alert) -> Alert:
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
    return made


def _published(
    alert: Alert, content: AlertContent, *, at: datetime, note: str, expires_at: datetime
) -> Alert:
    """The original after an update (built here, so that these tests need no lifecycle rule)."""
    version = AlertVersion(
        number=alert.current.number + 1,
        msg_type=MsgType.UPDATE,
        content=content,
        created_at=at,
        created_by="tx.patel",
        published_at=at,
        note=note,
        attestations=alert.current.attestations,
    )
    return alert.model_copy(
        update={"versions": (*alert.versions, version), "expires_at": expires_at}
    )


def test_an_update_carries_the_facts_and_keeps_the_linked_state_and_area() -> None:
    original = _original()
    follower = _linked(original)
    later = NOW + timedelta(hours=1)
    moved = original.content.model_copy(
        update={"contact": "Call 911 or Texas DPS", "area": AreaRequest(counties=["48085"])}
    )
    updated = _published(
        original, moved, at=later, note="new area", expires_at=NOW + timedelta(hours=24)
    )
    result = linked.follow_update(follower, updated, plan=OK, now=later)
    version = result.current
    assert (version.number, version.msg_type) == (2, MsgType.UPDATE)
    assert version.content.contact == "Call 911 or Texas DPS"
    assert version.content.plan == "OK"
    assert version.content.area.counties == ["40027"]
    assert (version.created_by, version.created_at, version.published_at) == (
        "tx.patel",
        later,
        later,
    )
    assert version.note == "follows TX-2026-0001 version 2: new area"
    assert version.attestations == updated.current.attestations == original.current.attestations
    assert [a.claim for a in version.attestations] == [Claim.SUSPECT_NOT_APPREHENDED]
    assert result.versions[0] == follower.versions[0]
    assert result.state is AlertState.ACTIVE


def test_an_update_without_a_note_says_only_what_it_follows() -> None:
    original = _original()
    updated = _published(original, original.content, at=NOW, note="", expires_at=NOW)
    follows = linked.follow_update(_linked(original), updated, plan=OK, now=NOW)
    assert follows.current.note == "follows TX-2026-0001 version 2"


@pytest.mark.parametrize(
    ("requested", "original_expires", "after", "expected"),
    [
        # No expiry asked for: the linked alert keeps its own (6 h, OK's maximum).
        (None, 24, 1, 6),
        # No expiry asked for, but the original now ends sooner: never past the original.
        (None, 4, 1, 4),
        # An expiry within both plans: taken as it is, in the content too.
        (3, 3, 1, 3),
        # An expiry past OK's maximum from now: capped by OK's plan.
        (20, 20, 2, 8),
        # An expiry past the original's (which its own plan capped): the original's.
        (30, 24, 20, 24),
    ],
)
def test_the_linked_expiry_stays_within_its_plan_and_the_original(
    requested: int | None, original_expires: int, after: int, expected: int
) -> None:
    original = _original()
    follower = _linked(original)
    assert follower.expires_at == NOW + timedelta(hours=6)
    asked = NOW + timedelta(hours=requested) if requested is not None else None
    content = original.content.model_copy(update={"expires_at": asked})
    updated = _published(
        original,
        content,
        at=NOW + timedelta(hours=after),
        note="",
        expires_at=NOW + timedelta(hours=original_expires),
    )
    result = linked.follow_update(follower, updated, plan=OK, now=NOW + timedelta(hours=after))
    assert result.expires_at == NOW + timedelta(hours=expected)
    assert result.current.content.expires_at == result.expires_at


def test_only_an_active_alert_linked_to_this_original_follows_it() -> None:
    original = _original()
    follower = _linked(original)
    stranger = follower.model_copy(update={"linked_alert_id": "someone-else"})
    with pytest.raises(TransitionRefused, match="OK-2026-0001 is not linked to TX-2026-0001"):
        linked.follow_update(stranger, original, plan=OK, now=NOW)
    ended = follower.model_copy(update={"state": AlertState.CANCELLED})
    with pytest.raises(TransitionRefused, match="is cancelled: only an active linked alert"):
        linked.follow_update(ended, original, plan=OK, now=NOW)
    with pytest.raises(TransitionRefused, match="is not linked"):
        linked.end_with_original(stranger, original, by="tx.kim", now=NOW)


def _ended(original: Alert, state: AlertState) -> Alert:
    later = NOW + timedelta(hours=2)
    if state is AlertState.CANCELLED:
        return lifecycle.cancel(
            original, user=f.TX_COORDINATOR, plan=TX, reason="vehicle found empty", now=later
        )
    if state is AlertState.RESOLVED:
        return lifecycle.resolve(
            original,
            user=f.TX_COORDINATOR,
            plan=TX,
            resolution=Resolution.SUSPECT_APPREHENDED,
            note="arrested in Ardmore",
            now=later,
        )
    return lifecycle.expire(original, now=NOW + timedelta(hours=25))


@pytest.mark.parametrize(
    ("state", "resolution", "reason"),
    [
        (AlertState.CANCELLED, None, "TX-2026-0001 was cancelled: vehicle found empty"),
        (
            AlertState.RESOLVED,
            Resolution.SUSPECT_APPREHENDED,
            "TX-2026-0001 was resolved: arrested in Ardmore",
        ),
    ],
)
def test_the_linked_alert_ends_as_its_original_ended(
    state: AlertState, resolution: Resolution | None, reason: str
) -> None:
    original = _original()
    follower = _linked(original)
    later = NOW + timedelta(hours=2)
    result = linked.end_with_original(follower, _ended(original, state), by="tx.kim", now=later)
    assert (result.state, result.resolution, result.reason) == (state, resolution, reason)
    assert result.ended_at == later
    version = result.current
    assert (version.number, version.msg_type, version.note) == (2, MsgType.CANCEL, reason)
    assert (version.created_by, version.published_at) == ("tx.kim", later)
    assert version.content == follower.content
    assert version.attestations == follower.current.attestations
    assert [a.by for a in version.attestations] == ["sgt.reyes"]


def test_the_linked_alert_expires_when_its_original_does() -> None:
    original = _original()
    follower = _linked(original).model_copy(update={"expires_at": NOW + timedelta(hours=30)})
    expired = _ended(original, AlertState.EXPIRED)
    assert expired.ended_at == NOW + timedelta(hours=24)
    result = linked.end_with_original(follower, expired, by="system", now=NOW + timedelta(hours=25))
    assert result.state is AlertState.EXPIRED
    assert result.ended_at == result.expires_at == NOW + timedelta(hours=24)
    assert result.versions == follower.versions  # an expiry publishes no new version


def test_a_linked_alert_due_before_its_original_expires_at_its_own_time() -> None:
    original = _original()
    follower = _linked(original)  # expires at 6 h
    result = linked.end_with_original(
        follower, _ended(original, AlertState.EXPIRED), by="system", now=NOW + timedelta(hours=25)
    )
    assert result.ended_at == NOW + timedelta(hours=6)


@pytest.mark.parametrize("state", [AlertState.ACTIVE, AlertState.REJECTED])
def test_a_linked_alert_does_not_end_while_its_original_has_not(state: AlertState) -> None:
    original = _original()
    follower = _linked(original)
    with pytest.raises(TransitionRefused, match="ends only when its original"):
        linked.end_with_original(
            follower, original.model_copy(update={"state": state}), by="tx.kim", now=NOW
        )


@pytest.mark.parametrize(
    ("state", "closed", "reason"),
    [
        (
            AlertState.CANCELLED,
            RequestState.WITHDRAWN,
            "TX-2026-0001 was cancelled before an answer: vehicle found empty",
        ),
        (
            AlertState.RESOLVED,
            RequestState.WITHDRAWN,
            "TX-2026-0001 was resolved before an answer: arrested in Ardmore",
        ),
        (
            AlertState.EXPIRED,
            RequestState.EXPIRED,
            "TX-2026-0001 expired at 2026-11-25T09:00:00+00:00 before an answer",
        ),
    ],
)
def test_a_request_unanswered_when_its_alert_ends_is_closed(
    state: AlertState, closed: RequestState, reason: str
) -> None:
    original = _original()
    request = _request(original)
    later = NOW + timedelta(hours=26)
    result = activation.close_unanswered(request, _ended(original, state), by="tx.kim", now=later)
    assert (result.state, result.reason) == (closed, reason)
    assert (result.answered_by, result.answered_at) == ("tx.kim", later)
    assert result.linked_alert_id is None


def test_only_a_pending_request_of_an_ended_alert_is_closed() -> None:
    original = _original()
    request = _request(original)
    with pytest.raises(TransitionRefused, match="TX-2026-0001 is active, not ended"):
        activation.close_unanswered(request, original, by="tx.kim", now=NOW)
    declined = request.model_copy(update={"state": RequestState.DECLINED})
    with pytest.raises(TransitionRefused, match="was already declined"):
        activation.close_unanswered(
            declined, _ended(original, AlertState.CANCELLED), by="tx.kim", now=NOW
        )


def _asking(original: Alert, family: list[Alert], earlier: list[ActivationRequest]) -> None:
    activation.request_activation(
        original,
        user=f.TX_COORDINATOR,
        plan=TX,
        to_state="OK",
        note="",
        request_id="r-2",
        now=NOW,
        family=family,
        earlier=earlier,
    )


@pytest.mark.parametrize(
    ("earlier_state", "refused"),
    [
        (RequestState.PENDING, True),
        (RequestState.ACCEPTED, False),  # refused only while its linked alert runs (below)
        (RequestState.DECLINED, False),
        (RequestState.WITHDRAWN, False),
        (RequestState.EXPIRED, False),
    ],
)
def test_a_state_with_an_unanswered_request_is_not_asked_again(
    earlier_state: RequestState, refused: bool
) -> None:
    original = _original()
    earlier = _request(original).model_copy(update={"state": earlier_state})
    if refused:
        with pytest.raises(TransitionRefused, match="OK was already asked about TX-2026-0001"):
            _asking(original, [original], [earlier])
    else:
        _asking(original, [original], [earlier])
    elsewhere = earlier.model_copy(update={"to_state": "KS"})
    _asking(original, [original], [elsewhere])  # a request to another state is no obstacle


@pytest.mark.parametrize(
    ("state", "plan", "refused"),
    [
        (AlertState.ACTIVE, "OK", True),
        (AlertState.CANCELLED, "OK", False),
        (AlertState.EXPIRED, "OK", False),
        (AlertState.ACTIVE, "KS", False),
    ],
)
def test_a_state_already_running_the_alert_is_not_asked_again(
    state: AlertState, plan: str, refused: bool
) -> None:
    original = _original()
    follower = _linked(original)
    member = follower.model_copy(
        update={
            "state": state,
            "versions": (
                follower.current.model_copy(
                    update={"content": follower.content.model_copy(update={"plan": plan})}
                ),
            ),
        }
    )
    if refused:
        with pytest.raises(TransitionRefused, match="OK already runs this alert as OK-2026-0001"):
            _asking(original, [original, member], [])
    else:
        _asking(original, [original, member], [])


def test_accepting_refuses_a_second_alert_in_the_same_state() -> None:
    original = _original()
    running = _linked(original)
    with pytest.raises(TransitionRefused, match="OK already runs this alert as OK-2026-0001"):
        activation.accept(
            _request(original),
            original,
            user=f.OK_COORDINATOR,
            plan=OK,
            alert_id="ok-2",
            reference="OK-2026-0002",
            now=NOW,
            family=[original, running],
            area=OK_AREA,
        )


def test_an_alert_past_its_expiry_is_not_shared() -> None:
    original = _original()
    assert original.expires_at == NOW + timedelta(hours=24)
    with pytest.raises(TransitionRefused, match="TX-2026-0001 expired at 2026-11-25T09:00:00"):
        activation.request_activation(
            original,
            user=f.TX_COORDINATOR,
            plan=TX,
            to_state="OK",
            note="",
            request_id="r-1",
            now=original.expires_at,
            family=[original],
            earlier=[],
        )


def test_an_alert_past_its_expiry_is_not_activated_elsewhere() -> None:
    original = _original()
    assert original.expires_at is not None
    with pytest.raises(TransitionRefused, match="TX-2026-0001 expired at 2026-11-25T09:00:00"):
        activation.accept(
            _request(original),
            original,
            user=f.OK_COORDINATOR,
            plan=OK,
            alert_id="ok-1",
            reference="OK-2026-0001",
            now=original.expires_at,
            family=[original],
            area=OK_AREA,
        )
    _, made = activation.accept(
        _request(original),
        original,
        user=f.OK_COORDINATOR,
        plan=OK,
        alert_id="ok-1",
        reference="OK-2026-0001",
        now=original.expires_at - timedelta(seconds=1),
        family=[original],
        area=OK_AREA,
    )
    assert made.state is AlertState.ACTIVE
