"""Each alert use case reads the clock once and decides and acts in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, transaction
from bluealert.domain.criteria import Evaluation
from bluealert.store import audit
from tests.conftest import Clock
from tests.integration.app.conftest import TX_CLAIMS, active, drafted, seed_people


class TickingClock(Clock):
    """A clock that moves a second every time it is read, so a second reading shows."""

    def __call__(self) -> object:  # type: ignore[override]
        self.now += timedelta(seconds=1)
        return self.now


def _last_event_time(ctx: AppContext) -> object:
    with transaction(ctx) as tx:
        return list(audit.events(tx.session))[-1].at


def test_the_change_and_its_audit_event_carry_one_reading_of_the_clock(
    ctx: AppContext, clock: Clock
) -> None:
    seed_people(ctx)
    alert = drafted(ctx)
    use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=TX_CLAIMS)
    ticking = TickingClock(clock.now)
    ctx.clock = ticking
    approved = use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)
    assert approved.activated_at is not None
    assert _last_event_time(ctx) == approved.activated_at


def _count_sessions(ctx: AppContext) -> list[Session]:
    opened: list[Session] = []
    factory = ctx.sessions

    def counting() -> Session:
        session = factory()
        opened.append(session)
        return session

    ctx.sessions = counting  # type: ignore[assignment]
    return opened


@pytest.mark.parametrize("state", ["draft", "active"])
def test_an_update_decides_and_acts_in_one_transaction(ctx: AppContext, state: str) -> None:
    seed_people(ctx)
    alert = drafted(ctx) if state == "draft" else active(ctx)
    actor = "dep.odell" if state == "draft" else "tx.patel"
    opened = _count_sessions(ctx)
    use_cases.update_alert(
        ctx,
        actor=actor,
        key=alert.reference,
        base=alert.current.number,
        content=alert.content,
        note="x",
    )
    assert len(opened) == 1


def test_submitting_evaluates_the_criteria_once(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_people(ctx)
    alert = drafted(ctx)
    calls: list[Evaluation] = []
    real: Callable[..., Evaluation] = use_cases.evaluate

    def counted(*args: object, **kwargs: object) -> Evaluation:
        calls.append(real(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr(use_cases, "evaluate", counted)
    _, evaluation = use_cases.submit_alert(
        ctx, actor="sgt.reyes", key=alert.reference, attest=TX_CLAIMS
    )
    assert calls == [evaluation]
