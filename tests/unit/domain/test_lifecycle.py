"""Every lifecycle transition, allowed and refused; the two-person rule; expiry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bluealert.domain import lifecycle
from bluealert.domain.alert import Alert
from bluealert.domain.people import User
from bluealert.domain.vocabulary import AlertState, MsgType, Resolution
from bluealert.errors import BlueAlertError, InvalidAlert, NotAllowed, TransitionRefused
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PLAN = f.plan()


def drafted(author: User = f.ORIGINATOR, **overrides: object) -> Alert:
    content = f.alert_content(NOW, **overrides)
    return lifecycle.draft(
        content, user=author, plan=PLAN, alert_id="a1", reference="TX-2026-0001", now=NOW
    )


def pending(author: User = f.ORIGINATOR, **overrides: object) -> Alert:
    return lifecycle.submit(drafted(author, **overrides), user=author, plan=PLAN, now=NOW)


def active(**overrides: object) -> Alert:
    return lifecycle.approve(pending(**overrides), user=f.TX_COORDINATOR, plan=PLAN, now=NOW)


def in_state(state: AlertState) -> Alert:
    later = NOW + timedelta(hours=1)
    by_state: dict[AlertState, Callable[[], Alert]] = {
        AlertState.DRAFT: drafted,
        AlertState.PENDING: pending,
        AlertState.ACTIVE: active,
        AlertState.CANCELLED: lambda: lifecycle.cancel(
            active(), user=f.TX_COORDINATOR, plan=PLAN, reason="no longer effective", now=later
        ),
        AlertState.RESOLVED: lambda: lifecycle.resolve(
            active(),
            user=f.TX_COORDINATOR,
            plan=PLAN,
            resolution=Resolution.SUSPECT_APPREHENDED,
            note="",
            now=later,
        ),
        AlertState.EXPIRED: lambda: lifecycle.expire(active(), now=NOW + timedelta(hours=25)),
        AlertState.REJECTED: lambda: lifecycle.reject(
            pending(), user=f.TX_COORDINATOR, plan=PLAN, reason="insufficient detail", now=later
        ),
    }
    alert = by_state[state]()
    assert alert.state is state
    return alert


LATER = NOW + timedelta(hours=2)
STEPS: dict[str, Callable[[Alert], Alert]] = {
    "submit": lambda a: lifecycle.submit(a, user=f.ORIGINATOR, plan=PLAN, now=LATER),
    "approve": lambda a: lifecycle.approve(a, user=f.TX_COORDINATOR_2, plan=PLAN, now=LATER),
    "reject": lambda a: lifecycle.reject(
        a, user=f.TX_COORDINATOR, plan=PLAN, reason="no", now=LATER
    ),
    "return": lambda a: lifecycle.return_to_author(
        a, user=f.TX_COORDINATOR, plan=PLAN, reason="add the plate", now=LATER
    ),
    "update": lambda a: lifecycle.update(
        a, a.content, user=f.TX_COORDINATOR, plan=PLAN, note="more", now=LATER
    ),
    "cancel": lambda a: lifecycle.cancel(
        a, user=f.TX_COORDINATOR, plan=PLAN, reason="done", now=LATER
    ),
    "resolve": lambda a: lifecycle.resolve(
        a,
        user=f.TX_COORDINATOR,
        plan=PLAN,
        resolution=Resolution.SUSPECT_APPREHENDED,
        note="",
        now=LATER,
    ),
    "expire": lambda a: lifecycle.expire(a, now=NOW + timedelta(hours=30)),
}
ALLOWED = {
    ("submit", AlertState.DRAFT): AlertState.PENDING,
    ("approve", AlertState.PENDING): AlertState.ACTIVE,
    ("reject", AlertState.PENDING): AlertState.REJECTED,
    ("return", AlertState.PENDING): AlertState.DRAFT,
    ("update", AlertState.ACTIVE): AlertState.ACTIVE,
    ("cancel", AlertState.ACTIVE): AlertState.CANCELLED,
    ("resolve", AlertState.ACTIVE): AlertState.RESOLVED,
    ("expire", AlertState.ACTIVE): AlertState.EXPIRED,
}


@pytest.mark.parametrize("state", list(AlertState))
@pytest.mark.parametrize("step", list(STEPS))
def test_every_transition_is_allowed_or_refused_by_name(step: str, state: AlertState) -> None:
    alert = in_state(state)
    expected = ALLOWED.get((step, state))
    if expected is None:
        with pytest.raises(TransitionRefused, match=f"cannot {step}"):
            STEPS[step](alert)
    else:
        assert STEPS[step](alert).state is expected


def test_approval_publishes_version_one_and_sets_expiry_at_plan_maximum() -> None:
    alert = active()
    assert alert.current.published_at == NOW
    assert alert.approved_by == f.TX_COORDINATOR.username
    assert alert.expires_at == NOW + timedelta(hours=24)


def test_requested_expiry_is_kept_when_sooner_and_clamped_when_later() -> None:
    soon = (NOW + timedelta(hours=3)).isoformat()
    assert active(expires_at=soon).expires_at == NOW + timedelta(hours=3)
    late = (NOW + timedelta(days=5)).isoformat()
    assert active(expires_at=late).expires_at == NOW + timedelta(hours=24)


@pytest.mark.parametrize(
    ("approver", "status", "allowed"),
    [
        (f.TX_COORDINATOR_2, "Actual", True),
        (f.NATIONAL, "Actual", True),
        (f.TX_COORDINATOR, "Actual", False),  # the author: two-person rule
        (f.TX_COORDINATOR, "Exercise", True),  # self-approval exists only for exercises
        (f.SUPERVISOR, "Actual", False),
        (f.OK_COORDINATOR, "Actual", False),
        (f.ORIGINATOR, "Exercise", False),
    ],
)
def test_two_person_rule(approver: User, status: str, allowed: bool) -> None:
    alert = pending(author=f.TX_COORDINATOR, status=status)
    if allowed:
        assert lifecycle.approve(alert, user=approver, plan=PLAN, now=NOW).state is (
            AlertState.ACTIVE
        )
    else:
        with pytest.raises(NotAllowed):
            lifecycle.approve(alert, user=approver, plan=PLAN, now=NOW)


def test_two_person_rule_message_names_the_rule() -> None:
    alert = pending(author=f.TX_COORDINATOR)
    with pytest.raises(NotAllowed, match="two-person rule"):
        lifecycle.approve(alert, user=f.TX_COORDINATOR, plan=PLAN, now=NOW)


@pytest.mark.parametrize(
    ("who", "error"),
    [
        (f.ORIGINATOR, None),
        (f.SUPERVISOR, None),
        (f.TX_COORDINATOR, None),
        (f.OTHER_AGENCY_OFFICER, NotAllowed),
        (f.OK_COORDINATOR, NotAllowed),
    ],
)
def test_who_may_draft(who: User, error: type[Exception] | None) -> None:
    if error is None:
        assert drafted(author=who).state is AlertState.DRAFT
    else:
        with pytest.raises(error):
            drafted(author=who)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"expires_at": (NOW - timedelta(minutes=1)).isoformat()}, "expires_at"),
        ({"plan": "OK"}, "plan"),
        (
            {
                "incident": {
                    "occurred_at": (NOW + timedelta(hours=1)).isoformat(),
                    "location": {"description": "x"},
                }
            },
            "incident.occurred_at",
        ),
    ],
)
def test_drafts_refuse_content_that_breaks_a_rule(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidAlert) as raised:
        drafted(**overrides)
    assert raised.value.field == field


def test_update_adds_a_version_that_references_the_earlier_one() -> None:
    alert = active()
    updated = STEPS["update"](alert)
    assert [v.msg_type for v in updated.versions] == [MsgType.ALERT, MsgType.UPDATE]
    assert [v.number for v in updated.references_for(2, LATER)] == [1]


def test_an_expired_alert_cannot_be_updated_even_before_the_sweep() -> None:
    alert = active()
    with pytest.raises(TransitionRefused, match="expired"):
        lifecycle.update(
            alert,
            alert.content,
            user=f.TX_COORDINATOR,
            plan=PLAN,
            note="late",
            now=NOW + timedelta(hours=25),
        )


def test_update_may_not_move_the_alert_to_another_plan_or_status() -> None:
    alert = active()
    for change, field in (({"plan": "OK"}, "plan"), ({"status": "Exercise"}, "status")):
        with pytest.raises(InvalidAlert) as raised:
            lifecycle.update(
                alert,
                alert.content.model_copy(update=change),
                user=f.TX_COORDINATOR,
                plan=PLAN,
                note="x",
                now=LATER,
            )
        assert raised.value.field == field


def test_cancel_and_resolve_publish_a_cancel_version() -> None:
    cancelled = in_state(AlertState.CANCELLED)
    resolved = in_state(AlertState.RESOLVED)
    assert cancelled.current.msg_type is MsgType.CANCEL
    assert resolved.current.msg_type is MsgType.CANCEL
    assert resolved.resolution is Resolution.SUSPECT_APPREHENDED


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (f.SUPERVISOR, True),
        (f.TX_COORDINATOR, True),
        (f.ORIGINATOR, False),
        (f.OK_COORDINATOR, False),
    ],
)
def test_who_may_cancel(who: User, allowed: bool) -> None:
    def cancel() -> Alert:
        return lifecycle.cancel(active(), user=who, plan=PLAN, reason="done", now=LATER)

    if allowed:
        assert cancel().state is AlertState.CANCELLED
    else:
        with pytest.raises(NotAllowed):
            cancel()


def test_reasons_are_required() -> None:
    with pytest.raises(InvalidAlert) as raised:
        lifecycle.reject(pending(), user=f.TX_COORDINATOR, plan=PLAN, reason="  ", now=NOW)
    assert raised.value.field == "reason"


def test_expiry_happens_only_at_the_expiry_time() -> None:
    alert = active()
    assert not lifecycle.is_due_to_expire(alert, NOW + timedelta(hours=23))
    assert lifecycle.is_due_to_expire(alert, NOW + timedelta(hours=24))
    with pytest.raises(TransitionRefused):
        lifecycle.expire(alert, now=NOW + timedelta(hours=23))
    assert lifecycle.expire(alert, now=NOW + timedelta(hours=24)).ended_at == alert.expires_at


def test_renew_extends_by_the_plan_maximum_unless_the_plan_forbids() -> None:
    alert = active()
    renewed = lifecycle.renew(alert, user=f.TX_COORDINATOR, plan=PLAN, now=LATER)
    assert renewed.expires_at == LATER + timedelta(hours=24)
    assert renewed.current.msg_type is MsgType.UPDATE
    with pytest.raises(TransitionRefused, match="renew"):
        lifecycle.renew(alert, user=f.TX_COORDINATOR, plan=f.plan(renewable=False), now=LATER)


def test_refusals_are_blue_alert_errors_with_messages() -> None:
    with pytest.raises(BlueAlertError) as raised:
        STEPS["cancel"](drafted())
    assert "draft" in str(raised.value)
