"""Cross-state requests: who may ask and answer, and what an accepted request becomes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bluealert.domain import activation, lifecycle
from bluealert.domain.activation import ActivationRequest, RequestState
from bluealert.domain.alert import Alert
from bluealert.domain.people import User
from bluealert.domain.vocabulary import AlertState, MsgType
from bluealert.errors import BlueAlertError, InvalidAlert, NotAllowed, TransitionRefused
from tests import factories as f
from tests.unit.domain.test_linked import NOW, OK, OK_AREA, TX, _original, _request

LATER = NOW + timedelta(minutes=10)


def _ask(alert: Alert, user: User = f.TX_COORDINATOR, to_state: str = "OK") -> ActivationRequest:
    return activation.request_activation(
        alert,
        user=user,
        plan=TX,
        to_state=to_state,
        note="northbound",
        request_id="r-9",
        now=LATER,
        family=[alert],
        earlier=[],
    )


def test_a_request_records_who_asked_which_state_about_what() -> None:
    original = _original()
    request = _ask(original)
    assert request == ActivationRequest(
        id="r-9",
        source_alert_id="tx-1",
        source_reference="TX-2026-0001",
        from_state="TX",
        to_state="OK",
        requested_by="tx.kim",
        requested_at=LATER,
        note="northbound",
    )
    assert request.state is RequestState.PENDING


@pytest.mark.parametrize(
    ("alert", "user", "to_state", "error", "words"),
    [
        (
            lambda: lifecycle.cancel(
                _original(), user=f.TX_COORDINATOR, plan=TX, reason="x", now=NOW
            ),
            f.TX_COORDINATOR,
            "OK",
            TransitionRefused,
            "only an active alert can be shared with another state; TX-2026-0001 is cancelled",
        ),
        (_original, f.OK_COORDINATOR, "KS", NotAllowed, "ok.lee is not a coordinator"),
        (_original, f.SUPERVISOR, "OK", NotAllowed, "sgt.reyes is not a coordinator"),
        (_original, f.TX_COORDINATOR, "TX", InvalidAlert, "to_state: ask another state"),
    ],
)
def test_who_may_ask_and_whom(
    alert: object, user: User, to_state: str, error: type[BlueAlertError], words: str
) -> None:
    with pytest.raises(error) as refused:
        _ask(alert(), user, to_state)  # type: ignore[operator]
    assert words in str(refused.value)


def _accept(
    request: ActivationRequest, source: Alert, user: User = f.OK_COORDINATOR
) -> tuple[ActivationRequest, Alert]:
    return activation.accept(
        request,
        source,
        user=user,
        plan=OK,
        alert_id="ok-9",
        reference="OK-2026-0009",
        now=LATER,
        family=[source],
        area=OK_AREA,
    )


def test_an_accepted_request_becomes_an_active_alert_under_the_answering_plan() -> None:
    original = _original()
    request = _request(original)
    answered, made = _accept(request, original)
    assert (answered.state, answered.answered_by, answered.answered_at) == (
        RequestState.ACCEPTED,
        "ok.lee",
        LATER,
    )
    assert answered.linked_alert_id == "ok-9"
    assert (made.id, made.reference, made.state) == ("ok-9", "OK-2026-0009", AlertState.ACTIVE)
    assert (made.author, made.approved_by) == ("tx.kim", "ok.lee")  # two people
    assert (made.activated_at, made.submitted_at) == (LATER, request.requested_at)
    assert made.linked_alert_id == original.id
    # OK's plan allows 6 hours, less than what the original has left.
    assert made.expires_at == LATER + timedelta(hours=6)
    [version] = made.versions
    assert (version.number, version.msg_type, version.published_at) == (1, MsgType.ALERT, LATER)
    assert version.content.plan == "OK"
    assert version.content.area == OK_AREA  # the answering state's part, not the original's
    assert version.content.contact == original.content.contact
    assert version.note == "activated at the request of TX (TX-2026-0001)"
    assert version.attestations == original.current.attestations


def test_a_linked_alert_never_outlasts_its_original() -> None:
    original = _original().model_copy(update={"expires_at": LATER + timedelta(hours=2)})
    _, made = _accept(_request(original), original)
    assert made.expires_at == LATER + timedelta(hours=2)


@pytest.mark.parametrize(
    ("request_state", "user", "error", "words"),
    [
        (RequestState.DECLINED, f.OK_COORDINATOR, TransitionRefused, "was already declined"),
        (RequestState.ACCEPTED, f.OK_COORDINATOR, TransitionRefused, "was already accepted"),
        (RequestState.WITHDRAWN, f.OK_COORDINATOR, TransitionRefused, "was already withdrawn"),
        (RequestState.PENDING, f.TX_COORDINATOR_2, NotAllowed, "not a coordinator"),
        (RequestState.PENDING, f.NATIONAL, NotAllowed, "two-person rule"),
    ],
)
def test_who_may_answer(
    request_state: RequestState, user: User, error: type[BlueAlertError], words: str
) -> None:
    original = _original()
    request = _request(original).model_copy(update={"state": request_state})
    if user is f.NATIONAL:  # a national coordinator who asked may not also answer
        request = request.model_copy(update={"requested_by": f.NATIONAL.username})
    with pytest.raises(error, match=words):
        _accept(request, original, user)
    with pytest.raises(error, match=words):
        activation.decline(request, user=user, plan=OK, reason="no", now=LATER)


def test_a_request_about_an_alert_no_longer_active_is_not_accepted() -> None:
    original = _original()
    ended = lifecycle.cancel(original, user=f.TX_COORDINATOR, plan=TX, reason="x", now=NOW)
    with pytest.raises(TransitionRefused, match="TX-2026-0001 is cancelled, no longer active"):
        _accept(_request(original), ended)


def test_declining_takes_a_reason_and_records_it() -> None:
    request = _request(_original())
    with pytest.raises(InvalidAlert, match="say why") as refused:
        activation.decline(request, user=f.OK_COORDINATOR, plan=OK, reason="  ", now=LATER)
    assert refused.value.field == "reason"
    declined = activation.decline(
        request, user=f.OK_COORDINATOR, plan=OK, reason=" heading south ", now=LATER
    )
    assert (declined.state, declined.reason) == (RequestState.DECLINED, "heading south")
    assert (declined.answered_by, declined.answered_at) == ("ok.lee", LATER)
    assert declined.linked_alert_id is None
