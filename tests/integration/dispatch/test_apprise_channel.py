"""Apprise to a local HTTP receiver through its json:// service: what arrives, a failing
service retried then a dead letter with Apprise's reason, per-service limits, and the event
loop left free while Apprise (synchronous) waits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import select

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, open_app, transaction
from bluealert.app.subscriptions import list_subscriptions
from bluealert.dispatch.channels.apprise import SERVICES, AppriseChannel, limits_of
from bluealert.dispatch.engine import Dispatcher
from bluealert.errors import InvalidInput
from bluealert.formats.public_text import CANCELLED, compose_public_text
from bluealert.store import migrate
from bluealert.store.tables import DeliveryRow
from tests.integration.dispatch.conftest import (
    Receiver,
    RunningClock,
    add_users,
    approved,
    dispatch_settings,
    partner,
    subscriber,
)


@pytest.fixture
def actx(tmp_path: Path, running_clock: RunningClock) -> Iterator[AppContext]:
    app = open_app(dispatch_settings(tmp_path), clock=running_clock)
    migrate.upgrade(app.engine)
    add_users(app)
    yield app
    app.engine.dispose()


def apprise_url(receiver: Receiver, path: str) -> str:
    return f"json://127.0.0.1:{receiver.port}/{path}"


def drain(ctx: AppContext, wait_for_retries: float = 0.0) -> None:
    async def run() -> None:
        async with Dispatcher(ctx) as dispatcher:
            await dispatcher.drain(wait_for_retries)

    asyncio.run(run())


def receipts(ctx: AppContext) -> list[DeliveryRow]:
    with transaction(ctx) as tx:
        query = select(DeliveryRow).where(DeliveryRow.channel == "apprise")
        return list(tx.session.scalars(query.order_by(DeliveryRow.id)))


def test_each_version_reaches_the_service_in_the_subscribers_language(
    actx: AppContext, receiver: Receiver
) -> None:
    subscriber(actx, apprise_url(receiver, "ok/ana"), channel="apprise")
    subscriber(actx, apprise_url(receiver, "ok/bea"), channel="apprise", place_kind="county",
               place="48113", language="es")  # fmt: skip
    partner(actx, "Pager", apprise_url(receiver, "ok/pager"), channel="apprise")
    alert = approved(actx)
    drain(actx)
    use_cases.cancel_alert(actx, actor="tx.kim", key=alert.reference, reason="caught")
    drain(actx)
    ana = [h.json for h in receiver.of("ok/ana")]
    assert ana[0]["title"] == compose_public_text(alert.content, "en").headline
    assert ana[1]["title"].startswith(f"{CANCELLED['en']}: ")
    assert f"/alerts/{alert.reference}" in ana[0]["message"]
    [bea, _] = [h.json for h in receiver.of("ok/bea")]
    assert bea["title"] == compose_public_text(alert.content, "es").headline
    assert len(receiver.of("ok/pager")) == 2
    assert {(r.state, r.detail) for r in receipts(actx)} == {("sent", "json: sent")}


def test_a_failing_service_is_retried_then_a_dead_letter_with_apprises_reason(
    actx: AppContext, receiver: Receiver
) -> None:
    flaky = subscriber(actx, apprise_url(receiver, "flaky/1"), channel="apprise")
    broken = subscriber(actx, apprise_url(receiver, "gone/1"), channel="apprise")
    approved(actx)
    drain(actx, wait_for_retries=10.0)
    found = {r.recipient: r for r in receipts(actx)}
    assert (found[f"s{flaky}"].state, found[f"s{flaky}"].attempts) == ("sent", 3)
    dead = found[f"s{broken}"]
    assert (dead.state, dead.attempts) == ("dead", 6)
    assert dead.detail.startswith("gave up after 6 attempts: json: ")
    assert "410" in dead.detail  # what Apprise logged, kept on the receipt
    assert len(receiver.of("gone/1")) == 6
    assert len(list_subscriptions(actx)) == 2  # a failing service is not a gone subscription


def test_an_exercise_never_reaches_an_apprise_subscriber(
    actx: AppContext, receiver: Receiver
) -> None:
    subscriber(actx, apprise_url(receiver, "ok/ana"), channel="apprise")
    partner(actx, "Drill pager", apprise_url(receiver, "ok/drills"), channel="apprise",
            statuses=["Actual", "Exercise"])  # fmt: skip
    approved(actx, status="Exercise")
    drain(actx)
    assert [h.path for h in receiver.hits] == ["/ok/drills"]


def test_a_url_apprise_does_not_understand_is_refused_at_registration(actx: AppContext) -> None:
    with pytest.raises(InvalidInput, match=r"Apprise does not understand this URL \(nope://"):
        subscriber(actx, "nope://token@somewhere", channel="apprise")
    with pytest.raises(InvalidInput, match="Apprise does not understand"):
        partner(actx, "Pager", "nope://token@somewhere", channel="apprise")
    assert list_subscriptions(actx) == []


def test_each_service_has_its_own_rate(actx: AppContext) -> None:
    channel = AppriseChannel(actx.settings)
    assert limits_of("json://x/y") is SERVICES["json"]
    assert limits_of("TWILIO://sid:token@15551234567/15557654321").max_chars == 160
    assert limits_of("unheard-of://x").rate_per_second == 1.0
    json_bucket, tgram_bucket = channel._bucket("json://a/b"), channel._bucket("tgram://t/c")
    assert (json_bucket.rate, tgram_bucket.rate) == (50.0, 30.0)
    assert channel._bucket("json://other/host") is json_bucket  # per service, not per URL


def test_the_event_loop_runs_while_apprise_waits_on_a_slow_service(
    tmp_path: Path, running_clock: RunningClock, receiver: Receiver
) -> None:
    # A minute before any retry: one attempt, however slow the machine.
    actx = open_app(dispatch_settings(tmp_path, retry_base_seconds=60), clock=running_clock)
    migrate.upgrade(actx.engine)
    add_users(actx)
    # /hang/ never answers: Apprise blocks its thread until its read timeout (rto=1 s here).
    subscriber(actx, apprise_url(receiver, "hang/1") + "?rto=1&cto=1", channel="apprise")
    approved(actx)
    ticks: list[float] = []

    async def run() -> None:
        async def heartbeat() -> None:
            while True:
                ticks.append(time.monotonic())
                await asyncio.sleep(0.01)

        beating = asyncio.create_task(heartbeat())
        async with Dispatcher(actx) as dispatcher:
            await dispatcher.drain()
        beating.cancel()

    asyncio.run(run())
    [receipt] = receipts(actx)
    assert receipt.state == "retrying"
    gaps = [b - a for a, b in pairwise(ticks)]
    assert len(ticks) > 20
    assert max(gaps) < 0.9  # never frozen for the second Apprise spent waiting
    actx.engine.dispose()
