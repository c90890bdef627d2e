"""A linked alert follows its original (issue 8): its updates, its end, one alert per state.

On SQLite and PostgreSQL. The original is a Texas alert; Oklahoma accepted a request for it.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bluealert.app import alerts as use_cases
from bluealert.app import cross_state
from bluealert.app.context import AppContext, transaction
from bluealert.domain import linked as linked_rules
from bluealert.domain.activation import ActivationRequest, RequestState
from bluealert.domain.alert import Alert
from bluealert.domain.vocabulary import AlertState, MsgType, Resolution, Role
from bluealert.errors import TransitionRefused
from bluealert.store import audit
from bluealert.store.tables import ActivationRequestRow, OutboxRow
from tests import factories as f
from tests.conftest import Clock
from tests.integration.app.conftest import active, seed_people

KS_COORDINATOR = f.user("ks.ray", Role.STATE_COORDINATOR, states=("KS",))


def _people(ctx: AppContext) -> None:
    seed_people(ctx)
    with transaction(ctx) as tx:
        tx.users.add(KS_COORDINATOR, ctx.clock())


def _ask(ctx: AppContext, key: str, state: str = "OK", actor: str = "tx.kim") -> ActivationRequest:
    return cross_state.request_activation(ctx, actor=actor, key=key, to_state=state)


def _linked(ctx: AppContext) -> tuple[Alert, Alert]:
    """An active Texas alert and the Oklahoma alert linked to it."""
    _people(ctx)
    original = active(ctx)
    _, linked = cross_state.accept_activation(
        ctx, actor="ok.lee", request_id=_ask(ctx, original.reference).id
    )
    return original, linked


def _outbox(ctx: AppContext) -> list[tuple[str, int, str]]:
    with transaction(ctx) as tx:
        rows = tx.session.scalars(select(OutboxRow).order_by(OutboxRow.id))
        return [(r.alert_id, r.version, r.kind) for r in rows]


def _events(ctx: AppContext, subject_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    with transaction(ctx) as tx:
        return [(e.action, e.actor, e.data) for e in audit.events(tx.session, subject_id)]


def _requests(ctx: AppContext) -> list[ActivationRequest]:
    with transaction(ctx) as tx:
        rows = tx.session.scalars(select(ActivationRequestRow))
        return sorted(
            (ActivationRequest.model_validate(r.body) for r in rows), key=lambda r: r.requested_at
        )


def _get(ctx: AppContext, key: str) -> Alert:
    return use_cases.get_alert(ctx, key)


def test_the_linked_alert_runs_only_in_its_own_state(ctx: AppContext) -> None:
    original, linked = _linked(ctx)
    assert original.content.area.counties
    assert not linked.content.area.counties
    assert linked.content.area.states == ["OK"]  # Dallas and Denton do not reach Oklahoma
    assert linked.content.plan == "OK"


def test_an_update_of_the_original_reaches_the_linked_alert(ctx: AppContext, clock: Clock) -> None:
    original, linked = _linked(ctx)
    clock.advance(minutes=10)
    changed = original.content.model_copy(update={"contact": "Call 911 or Texas DPS"})
    updated = use_cases.update_alert(
        ctx,
        actor="tx.patel",
        key=original.reference,
        base=original.current.number,
        content=changed,
        note="DPS takes calls",
    )
    seen = _get(ctx, linked.reference)  # what Oklahoma's coordinator sees
    assert [v.msg_type for v in seen.versions] == [MsgType.ALERT, MsgType.UPDATE]
    follows = seen.current
    assert follows.content.contact == "Call 911 or Texas DPS"
    assert (follows.content.plan, follows.content.area) == ("OK", linked.content.area)
    assert follows.note == f"follows {original.reference} version 2: DPS takes calls"
    assert (follows.created_by, follows.published_at) == ("tx.patel", clock.now)
    assert seen.state is AlertState.ACTIVE
    assert seen.expires_at is not None
    assert updated.expires_at is not None
    assert seen.expires_at <= updated.expires_at
    assert _outbox(ctx)[-2:] == [(original.id, 2, "update"), (linked.id, 2, "update")]
    action, actor, data = _events(ctx, linked.id)[-1]
    assert (action, actor) == ("alert.updated", "tx.patel")
    assert (data["follows"], data["follows_version"], data["version"]) == (
        original.reference,
        2,
        2,
    )
    assert data["criteria_unmet"] == []


def test_the_linked_alert_takes_a_new_expiry_within_its_own_plan(
    ctx: AppContext, clock: Clock
) -> None:
    original, linked = _linked(ctx)
    sooner = clock.now + timedelta(hours=3)
    changed = original.content.model_copy(update={"expires_at": sooner})
    use_cases.update_alert(
        ctx,
        actor="tx.patel",
        key=original.reference,
        base=original.current.number,
        content=changed,
        note="x",
    )
    seen = _get(ctx, linked.reference)
    assert seen.expires_at == sooner
    assert seen.current.content.expires_at == sooner
    clock.advance(hours=2)
    renewed = use_cases.renew_alert(ctx, actor="tx.kim", key=original.reference)
    seen = _get(ctx, linked.reference)
    # Both plans allow 24 hours (tx.yaml, national.yaml): the renewal reaches Oklahoma in full.
    assert renewed.expires_at == clock.now + timedelta(hours=24)
    assert seen.expires_at == renewed.expires_at
    assert seen.current.note == f"follows {original.reference} version 3: renewed"


@pytest.mark.parametrize(
    ("end", "state", "outbox"),
    [
        (
            lambda ctx, key: use_cases.resolve_alert(
                ctx, actor="tx.kim", key=key, resolution=Resolution.SUSPECT_APPREHENDED
            ),
            AlertState.RESOLVED,
            "resolve",
        ),
        (
            lambda ctx, key: use_cases.cancel_alert(
                ctx, actor="tx.kim", key=key, reason="vehicle found empty"
            ),
            AlertState.CANCELLED,
            "cancel",
        ),
    ],
)
def test_ending_the_original_ends_the_linked_alert_the_same_way(
    ctx: AppContext, clock: Clock, end: Any, state: AlertState, outbox: str
) -> None:
    original, linked = _linked(ctx)
    clock.advance(minutes=30)
    ended = end(ctx, original.reference)
    seen = _get(ctx, linked.reference)
    assert (seen.state, ended.state) == (state, state)
    assert seen.ended_at == ended.ended_at == clock.now
    assert seen.resolution == ended.resolution
    assert seen.current.msg_type is MsgType.CANCEL
    assert seen.current.created_by == "tx.kim"
    assert seen.reason == f"{original.reference} was {state.value}: {ended.reason}"
    assert _outbox(ctx)[-2:] == [(original.id, 2, outbox), (linked.id, 2, outbox)]
    action, actor, data = _events(ctx, linked.id)[-1]
    assert (action, actor, data["follows"]) == (
        f"alert.{state.value}",
        "tx.kim",
        original.reference,
    )
    assert (data["state_from"], data["state_to"]) == ("active", state.value)


def test_the_linked_alert_ends_in_the_original_s_transaction(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    original, linked = _linked(ctx)
    before = _outbox(ctx)

    def broken(*args: object, **kwargs: object) -> Alert:
        raise RuntimeError("crash while ending the linked alert")

    monkeypatch.setattr(linked_rules, "end_with_original", broken)
    with pytest.raises(RuntimeError):
        use_cases.cancel_alert(ctx, actor="tx.kim", key=original.reference, reason="x")
    assert _get(ctx, original.reference).state is AlertState.ACTIVE
    assert _get(ctx, linked.reference).state is AlertState.ACTIVE
    assert _outbox(ctx) == before


def test_the_original_expiring_ends_the_linked_alert_even_one_renewed_past_it(
    ctx: AppContext, clock: Clock
) -> None:
    original, linked = _linked(ctx)
    assert original.expires_at is not None
    clock.advance(hours=20)
    renewed = use_cases.renew_alert(ctx, actor="ok.lee", key=linked.reference)
    assert renewed.expires_at is not None
    assert renewed.expires_at > original.expires_at
    clock.now = original.expires_at + timedelta(seconds=1)
    use_cases.expire_due_alerts(ctx)
    seen = _get(ctx, linked.reference)
    assert _get(ctx, original.reference).state is AlertState.EXPIRED
    assert seen.state is AlertState.EXPIRED
    assert seen.ended_at == original.expires_at
    assert _outbox(ctx)[-2:] == [(original.id, 1, "expire"), (linked.id, 2, "expire")]
    assert _events(ctx, linked.id)[-1][:2] == ("alert.expired", "system")


@pytest.mark.parametrize(
    ("end", "closed", "words"),
    [
        (
            lambda ctx, key: use_cases.resolve_alert(
                ctx, actor="tx.kim", key=key, resolution=Resolution.SUSPECT_APPREHENDED
            ),
            RequestState.WITHDRAWN,
            "was resolved before an answer",
        ),
        (
            lambda ctx, key: use_cases.cancel_alert(ctx, actor="tx.kim", key=key, reason="found"),
            RequestState.WITHDRAWN,
            "was cancelled before an answer: found",
        ),
        (
            lambda ctx, key: (
                setattr(ctx.clock, "now", ctx.clock.now + timedelta(hours=25)),
                use_cases.expire_due_alerts(ctx),
            ),
            RequestState.EXPIRED,
            "expired at",
        ),
    ],
)
def test_a_request_still_pending_when_its_alert_ends_is_closed(
    ctx: AppContext, end: Any, closed: RequestState, words: str
) -> None:
    _people(ctx)
    original = active(ctx)
    request = _ask(ctx, original.reference)
    end(ctx, original.reference)
    [found] = _requests(ctx)
    assert (found.id, found.state) == (request.id, closed)
    assert words in found.reason
    assert original.reference in found.reason
    assert found.answered_at == ctx.clock()
    action, _, data = _events(ctx, request.id)[-1]
    assert action == f"activation.{closed.value}"
    assert data["reason"] == found.reason
    with pytest.raises(TransitionRefused, match=f"already {closed.value}"):
        cross_state.accept_activation(ctx, actor="ok.lee", request_id=request.id)


def test_a_second_request_while_one_is_pending_is_refused(ctx: AppContext) -> None:
    _people(ctx)
    original = active(ctx)
    first = _ask(ctx, original.reference)
    asked = f"OK was already asked about {original.reference} (request {first.id}, by tx.kim)"
    with pytest.raises(TransitionRefused, match=re.escape(asked)):
        _ask(ctx, original.reference, actor="tx.patel")
    assert [r.id for r in _requests(ctx)] == [first.id]


def test_a_second_request_while_one_is_accepted_is_refused(ctx: AppContext) -> None:
    original, linked = _linked(ctx)
    with pytest.raises(
        TransitionRefused, match=f"OK already runs this alert as {linked.reference}"
    ):
        _ask(ctx, original.reference)
    assert len(_requests(ctx)) == 1


def test_a_linked_alert_may_not_ask_the_state_it_came_from(ctx: AppContext) -> None:
    original, linked = _linked(ctx)
    with pytest.raises(
        TransitionRefused, match=f"TX already runs this alert as {original.reference}"
    ):
        _ask(ctx, linked.reference, "TX", actor="ok.lee")


def test_a_state_may_be_asked_again_once_it_declined_or_its_alert_ended(ctx: AppContext) -> None:
    _people(ctx)
    original = active(ctx)
    first = _ask(ctx, original.reference)
    cross_state.decline_activation(ctx, actor="ok.lee", request_id=first.id, reason="not yet")
    second = _ask(ctx, original.reference)
    _, linked = cross_state.accept_activation(ctx, actor="ok.lee", request_id=second.id)
    use_cases.cancel_alert(ctx, actor="ok.lee", key=linked.reference, reason="left Oklahoma")
    third = _ask(ctx, original.reference)
    assert [r.state for r in _requests(ctx)] == [
        RequestState.DECLINED,
        RequestState.ACCEPTED,
        RequestState.PENDING,
    ]
    assert third.to_state == "OK"


def test_two_requests_from_before_the_rule_cannot_both_be_accepted(ctx: AppContext) -> None:
    _people(ctx)
    original = active(ctx)
    first = _ask(ctx, original.reference)
    twin = first.model_copy(update={"id": "twin-request"})
    with transaction(ctx) as tx:
        tx.requests.save(twin)
    _, linked = cross_state.accept_activation(ctx, actor="ok.lee", request_id=first.id)
    with pytest.raises(
        TransitionRefused, match=f"OK already runs this alert as {linked.reference}"
    ):
        cross_state.accept_activation(ctx, actor="ok.lee", request_id=twin.id)
    assert len(use_cases.list_alerts(ctx, states=[AlertState.ACTIVE], plan="OK")) == 1


def test_a_request_cannot_be_accepted_once_its_alert_is_past_expiry(
    ctx: AppContext, clock: Clock
) -> None:
    _people(ctx)
    original = active(ctx)
    request = _ask(ctx, original.reference)
    assert original.expires_at is not None
    clock.now = original.expires_at  # due, though no sweep has run yet
    with pytest.raises(TransitionRefused, match=f"{original.reference} expired at"):
        cross_state.accept_activation(ctx, actor="ok.lee", request_id=request.id)
    assert use_cases.list_alerts(ctx, states=[], plan="OK") == []


def test_a_request_whose_alert_ended_cannot_be_accepted(ctx: AppContext) -> None:
    """A request left pending by a version without the closing rule still cannot be accepted."""
    _people(ctx)
    original = active(ctx)
    request = _ask(ctx, original.reference)
    use_cases.cancel_alert(ctx, actor="tx.kim", key=original.reference, reason="found")
    with transaction(ctx) as tx:
        tx.requests.save(request)  # pending again, as old data would be
    with pytest.raises(TransitionRefused, match="is cancelled, no longer active"):
        cross_state.accept_activation(ctx, actor="ok.lee", request_id=request.id)


def test_an_expired_alert_not_yet_swept_cannot_ask(ctx: AppContext, clock: Clock) -> None:
    _people(ctx)
    original = active(ctx)
    assert original.expires_at is not None
    clock.now = original.expires_at
    with pytest.raises(TransitionRefused, match="expired at"):
        _ask(ctx, original.reference)


def test_linked_alerts_of_linked_alerts_follow_too(ctx: AppContext, clock: Clock) -> None:
    original, linked = _linked(ctx)
    ask_kansas = _ask(ctx, linked.reference, "KS", actor="ok.lee")
    _, kansas = cross_state.accept_activation(ctx, actor="ks.ray", request_id=ask_kansas.id)
    with pytest.raises(TransitionRefused, match="KS already runs"):
        _ask(ctx, original.reference, "KS")
    changed = original.content.model_copy(update={"contact": "Call 911 or the KHP"})
    use_cases.update_alert(
        ctx,
        actor="tx.patel",
        key=original.reference,
        base=original.current.number,
        content=changed,
        note="",
    )
    assert _get(ctx, kansas.reference).current.content.contact == "Call 911 or the KHP"
    assert _get(ctx, kansas.reference).current.content.plan == "KS"
    use_cases.resolve_alert(
        ctx, actor="tx.kim", key=original.reference, resolution=Resolution.SUSPECT_DECEASED
    )
    assert _get(ctx, kansas.reference).state is AlertState.RESOLVED
    assert _get(ctx, kansas.reference).resolution is Resolution.SUSPECT_DECEASED


def _all_at_once(calls: list[Any]) -> list[object]:
    """Run the calls in threads released together; each result or the error it raised."""
    barrier = threading.Barrier(len(calls))

    def run(call: Any) -> object:
        barrier.wait()
        try:
            return call()
        except TransitionRefused as refused:
            return refused

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_coordinators_asking_at_once_make_one_request(ctx: AppContext) -> None:
    _people(ctx)
    original = active(ctx)
    asks = [
        lambda actor=actor: _ask(ctx, original.reference, actor=actor)
        for actor in ("tx.kim", "tx.patel", "tx.kim", "tx.patel")
    ]
    results = _all_at_once(asks)
    made = [r for r in results if isinstance(r, ActivationRequest)]
    assert len(made) == 1
    assert all("OK was already asked" in str(r) for r in results if r not in made)
    assert [r.id for r in _requests(ctx)] == [made[0].id]


def test_an_answer_racing_the_original_s_end_never_leaves_a_linked_alert_running(
    ctx: AppContext,
) -> None:
    _people(ctx)
    original = active(ctx)
    request = _ask(ctx, original.reference)
    _all_at_once(
        [
            lambda: cross_state.accept_activation(ctx, actor="ok.lee", request_id=request.id),
            lambda: use_cases.cancel_alert(ctx, actor="tx.kim", key=original.reference, reason="x"),
        ]
    )
    assert _get(ctx, original.reference).state is AlertState.CANCELLED
    assert use_cases.list_alerts(ctx, states=[AlertState.ACTIVE], plan="OK") == []
    [answered] = _requests(ctx)
    assert answered.state in {RequestState.ACCEPTED, RequestState.WITHDRAWN}
