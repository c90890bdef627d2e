"""From approval to partners and subscribers by webhook, in the embedded mode, on both
databases: who receives, what is signed, what is recorded."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import timedelta
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from standardwebhooks.webhooks import Webhook

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, transaction
from bluealert.app.feeds import feed_dir
from bluealert.app.webhook_key import webhook_public_key
from bluealert.dispatch.channels.webhook import WebhookChannel
from bluealert.dispatch.engine import Dispatcher, Summary
from bluealert.dispatch.planner import plan_item
from bluealert.store.deliveries import DeliveryRepository, S, Settlement
from bluealert.store.tables import DeliveryRow, OutboxRow, RenderingRow
from tests.integration.dispatch.conftest import (
    Receiver,
    RunningClock,
    approved,
    bulk_subscribers,
    partner,
    subscriber,
)

SECRET = "whsec_" + "c2VjcmV0LXNlY3JldC1zZWNyZXQtMTIzNDU2Nzg5MA=="


def verified_v1a(public_key: str, headers: dict[str, str], body: bytes) -> Any:
    """The payload of a webhook signed with Standard Webhooks' v1a (Ed25519), checked against
    the node's published `whpk_` key; raises InvalidSignature unless it is the node's."""
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key.removeprefix("whpk_")))
    scheme, signature = headers["webhook-signature"].split(",", 1)
    assert scheme == "v1a"
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    key.verify(base64.b64decode(signature), signed)
    return json.loads(body)


def drain(ctx: AppContext, wait_for_retries: float = 0.0) -> Summary:
    async def run() -> Summary:
        async with Dispatcher(ctx) as dispatcher:
            return await dispatcher.drain(wait_for_retries)

    return asyncio.run(run())


def receipts(ctx: AppContext) -> list[DeliveryRow]:
    with transaction(ctx) as tx:
        return list(tx.session.scalars(select(DeliveryRow).order_by(DeliveryRow.id)))


def test_an_approved_alert_reaches_whom_its_area_meets_signed(
    dctx: AppContext, receiver: Receiver
) -> None:
    partner(dctx, "Texas TV", receiver.url("ok/texas-tv"))
    partner(dctx, "Oklahoma TV", receiver.url("ok/oklahoma-tv"), area={"states": ["OK"]})
    partner(dctx, "Dallas signs", receiver.url("ok/dallas"), kind="sign_system",
            area={"counties": ["48113"]}, formats=["cap", "dms", "wea"])  # fmt: skip
    partner(dctx, "El Paso signs", receiver.url("ok/el-paso"), kind="sign_system",
            area={"counties": ["48141"]})  # fmt: skip
    partner(dctx, "Off air", receiver.url("ok/disabled"))
    from bluealert.app.partners import disable_partner

    disable_partner(dctx, actor="ops", key="Off air")
    subscriber(dctx, receiver.url("ok/denton-resident"), place_kind="county", place="48121")
    subscriber(dctx, receiver.url("ok/el-paso-resident"), place_kind="county", place="48141")
    alert = approved(dctx)

    summary = drain(dctx)

    reached = sorted(h.path for h in receiver.hits)
    assert reached == ["/ok/dallas", "/ok/denton-resident", "/ok/texas-tv"]
    assert summary.settled == {"sent": 3}
    public_key = webhook_public_key(dctx.settings)  # what GET /api/v1/webhook-key publishes
    for hit in receiver.hits:
        payload = (
            Webhook(SECRET).verify(hit.body, hit.headers)
            if "resident" not in hit.path
            else verified_v1a(public_key, hit.headers, hit.body)
        )
        assert payload["type"] == "alert.published"
        assert payload["data"]["alert"]["reference"] == alert.reference
        assert payload["data"]["alert"]["area"]["counties"] == ["48121", "48113"] or sorted(
            payload["data"]["alert"]["area"]["counties"]
        ) == ["48113", "48121"]
        assert payload["data"]["formats"]["cap"].startswith("<?xml")
    resident = receiver.of("ok/denton-resident")[0]
    with pytest.raises(InvalidSignature):  # a changed body, or another node's key, fails
        verified_v1a(public_key, resident.headers, resident.body.replace(b"Blue", b"Blu_"))
    dallas = receiver.of("ok/dallas")[0].json["data"]["formats"]
    assert set(dallas) == {"cap", "dms", "wea"}
    assert json.loads(dallas["wea"])["en.90"]["text"]
    rows = receipts(dctx)
    assert {r.key for r in rows} == {h.headers["webhook-id"] for h in receiver.hits}
    assert all(r.state == "sent" and r.attempts == 1 and r.latency_ms is not None for r in rows)
    assert all(r.latency_ms >= 0 for r in rows)  # type: ignore[operator]
    assert {r.recipient[0] for r in rows} == {"p", "s"}


def test_each_version_is_rendered_once_and_the_feeds_show_only_live_actual_alerts(
    sctx: AppContext, receiver: Receiver
) -> None:
    partner(sctx, "Texas TV", receiver.url("ok/tv"))
    live = approved(sctx)
    drill = approved(sctx, status="Exercise")
    ended = approved(sctx)
    use_cases.cancel_alert(sctx, actor="tx.kim", key=ended.reference, reason="found safe")
    drain(sctx)
    drain(sctx)  # a second run renders and sends nothing again
    with transaction(sctx) as tx:
        per_version = tx.session.execute(
            select(RenderingRow.alert_id, RenderingRow.version, func.count())
            .group_by(RenderingRow.alert_id, RenderingRow.version)
        ).all()  # fmt: skip
    assert {(a, v) for a, v, _ in per_version} == {
        (live.id, 1), (drill.id, 1), (ended.id, 1), (ended.id, 2),
    }  # fmt: skip
    atom = (feed_dir(sctx) / "alerts.atom").read_text()
    geojson = json.loads((feed_dir(sctx) / "alerts.geojson").read_text())
    assert live.reference in atom
    assert drill.reference not in atom
    assert ended.reference not in atom
    refs = [f["properties"]["parameters"]["reference"][0] for f in geojson["features"]]
    assert refs == [live.reference]
    assert len(receiver.of("ok/tv")) == 1  # the drill and the cancelled alert: nothing


def test_an_exercise_reaches_only_partners_that_accept_exercises(
    dctx: AppContext, receiver: Receiver
) -> None:
    partner(dctx, "Actual only", receiver.url("ok/actual-only"))
    partner(dctx, "Drills too", receiver.url("ok/drills"), statuses=["Actual", "Exercise"])
    partner(dctx, "Tests only", receiver.url("ok/tests"), statuses=["Actual", "Test"])
    subscriber(dctx, receiver.url("ok/public"))
    approved(dctx, status="Exercise")
    drain(dctx)
    assert [h.path for h in receiver.hits] == ["/ok/drills"]
    assert receiver.hits[0].json["data"]["alert"]["status"] == "Exercise"


def test_a_receiver_answering_500_twice_gets_it_on_the_third_try(
    sctx: AppContext, receiver: Receiver
) -> None:
    partner(sctx, "Flaky", receiver.url("flaky/tv"))
    approved(sctx)
    drain(sctx, wait_for_retries=5)
    hits = receiver.of("flaky/tv")
    assert len(hits) == 3
    assert len({h.headers["webhook-id"] for h in hits}) == 1  # the same delivery, retried
    [row] = receipts(sctx)
    assert (row.state, row.attempts) == ("sent", 3)
    assert hits[2].at - hits[0].at >= 0.05 * 0.1  # backed off, not hammered


def test_a_receiver_that_never_answers_holds_only_its_own_delivery(
    sctx: AppContext, receiver: Receiver
) -> None:
    partner(sctx, "Hangs", receiver.url("hang/x"))
    for n in range(30):
        subscriber(sctx, receiver.url(f"ok/{n}"))
    approved(sctx)

    async def run() -> float:
        async with Dispatcher(sctx) as dispatcher:
            started = asyncio.get_running_loop().time()
            await dispatcher.drain()
            return asyncio.get_running_loop().time() - started

    asyncio.run(run())
    ok = [h for h in receiver.hits if h.path.startswith("/ok/")]
    hung = receiver.of("hang/x")
    assert len(ok) == 30
    assert hung
    # Everyone else arrived before the hanging request could even time out (2 s).
    assert max(h.at for h in ok) - hung[0].at < 1.0
    states = {r.recipient: r.state for r in receipts(sctx)}
    assert sorted(set(states.values())) == ["retrying", "sent"]
    assert [r for r, s in states.items() if s == "retrying"] == ["p1"]


def test_a_receiver_that_is_down_gets_a_dead_letter_and_replay_delivers_it_once_back(
    sctx: AppContext,
) -> None:
    down = Receiver()  # its port is chosen, nothing listens on it yet
    partner(sctx, "Down", down.url("ok/down"))
    approved(sctx)
    drain(sctx, wait_for_retries=10)
    [row] = receipts(sctx)
    assert row.state == "dead"
    assert row.attempts == 6
    assert "gave up after 6 attempts" in row.detail
    with transaction(sctx) as tx:
        replayed = DeliveryRepository(tx.session).replay([row.id], sctx.clock())
    assert replayed == 1
    with down:
        drain(sctx)
        assert len(down.of("ok/down")) == 1
    [row] = receipts(sctx)
    assert (row.state, row.attempts) == ("sent", 1)


def test_a_gone_receiver_is_a_dead_letter_at_once(sctx: AppContext, receiver: Receiver) -> None:
    partner(sctx, "Gone", receiver.url("gone/x"))
    approved(sctx)
    drain(sctx, wait_for_retries=5)
    [row] = receipts(sctx)
    assert (row.state, row.attempts, row.detail) == ("dead", 1, "failed: HTTP 410")


def test_updates_go_first_to_earlier_recipients_and_ends_only_to_them(
    dctx: AppContext, receiver: Receiver
) -> None:
    subscriber(dctx, receiver.url("ok/early"))
    alert = approved(dctx)
    drain(dctx)
    subscriber(dctx, receiver.url("ok/late"))
    content = alert.content.model_copy(update={"instructions": "Do not approach. Call 911 now."})
    use_cases.update_alert(
        dctx,
        actor="tx.kim",
        key=alert.reference,
        base=alert.current.number,
        content=content,
        note="x",
    )
    drain(dctx)
    use_cases.cancel_alert(dctx, actor="tx.kim", key=alert.reference, reason="caught")
    drain(dctx)
    seen = [(h.path, h.json["type"], h.json["data"]["alert"]["version"]) for h in receiver.hits]
    assert [hit for hit in seen if hit[0] == "/ok/early"] == [
        ("/ok/early", "alert.published", 1),
        ("/ok/early", "alert.updated", 2),
        ("/ok/early", "alert.cancelled", 3),
    ]
    assert [hit for hit in seen if hit[0] == "/ok/late"] == [
        ("/ok/late", "alert.updated", 2),
        ("/ok/late", "alert.cancelled", 3),
    ]
    # First: the earlier recipient is planned at priority 0 and handed to the senders before the
    # new one (batches are then sent side by side, so arrival order is not promised).
    rows = {(r.recipient, r.version): r for r in receipts(dctx)}
    assert (rows[("s1", 2)].priority, rows[("s2", 2)].priority) == (0, 1)
    assert rows[("s1", 2)].id < rows[("s2", 2)].id
    early_queued, late_queued = rows[("s1", 2)].queued_at, rows[("s2", 2)].queued_at
    assert early_queued is not None
    assert late_queued is not None
    assert early_queued <= late_queued
    cancel = receiver.hits[-1].json["data"]["alert"]
    assert cancel["msgType"] == "Cancel"
    assert cancel["texts"]["en"]["headline"].startswith("Cancelled")


def test_a_cancelled_or_expired_alert_never_reaches_anyone_who_missed_the_original(
    dctx: AppContext, receiver: Receiver, running_clock: RunningClock
) -> None:
    subscriber(dctx, receiver.url("ok/resident"))
    partner(dctx, "Texas TV", receiver.url("ok/tv"))
    cancelled = approved(dctx)
    use_cases.cancel_alert(dctx, actor="tx.kim", key=cancelled.reference, reason="error")
    approved(dctx)
    running_clock.jump(days=3)
    use_cases.expire_due_alerts(dctx)
    drain(dctx)
    assert receiver.hits == []
    assert receipts(dctx) == []


def test_the_embedded_worker_is_woken_by_the_commit(sctx: AppContext, receiver: Receiver) -> None:
    partner(sctx, "Texas TV", receiver.url("ok/tv"))

    async def run() -> None:
        async with Dispatcher(sctx, poll_seconds=60) as dispatcher:
            await dispatcher.start()
            await asyncio.sleep(0.2)
            await asyncio.to_thread(approved, sctx)
            for _ in range(100):
                if receiver.hits:
                    return
                await asyncio.sleep(0.05)

    asyncio.run(run())
    assert len(receiver.hits) == 1  # in well under the 60 s poll


def test_planning_again_or_claiming_twice_never_makes_a_second_receipt(
    dctx: AppContext, receiver: Receiver
) -> None:
    partner(dctx, "Texas TV", receiver.url("ok/tv"))
    subscriber(dctx, receiver.url("ok/resident"))
    approved(dctx)
    with transaction(dctx) as tx:
        [item] = tx.outbox.pending()
    assert plan_item(dctx, item.id) is not None
    planned = [(r.id, r.key) for r in receipts(dctx)]
    assert len(planned) == 2
    # A crash after planning, before the item was marked: planned again, nothing new.
    with transaction(dctx) as tx:
        tx.session.execute(update(OutboxRow).values(dispatched_at=None))
    again = plan_item(dctx, item.id)
    assert again is not None
    assert again.partners == 1
    assert [(r.id, r.key) for r in receipts(dctx)] == planned
    ids = [i for i, _ in planned]
    lease = timedelta(seconds=60)
    with transaction(dctx) as tx:
        first = DeliveryRepository(tx.session).claim(ids, dctx.clock(), lease)
    with transaction(dctx) as tx:
        second = DeliveryRepository(tx.session).claim(ids, dctx.clock(), lease)
    assert len(first) == 2
    assert second == []  # a second worker with the same batch takes nothing
    with transaction(dctx) as tx:
        taken_over = DeliveryRepository(tx.session).claim(ids, dctx.clock(), lease, takeover=True)
    assert [c.attempts for c in taken_over] == [2, 2]  # a redelivered batch takes them over
    row = receipts(dctx)[0]
    copy = {c.name: getattr(row, c.name) for c in DeliveryRow.__table__.columns if c.name != "id"}
    with pytest.raises(IntegrityError), transaction(dctx) as tx:
        tx.session.execute(insert(DeliveryRow).values(copy))


def test_deliveries_queued_by_an_embedded_run_that_died_are_sent_by_the_next(
    dctx: AppContext, receiver: Receiver
) -> None:
    partner(dctx, "Texas TV", receiver.url("ok/tv"))
    subscriber(dctx, receiver.url("ok/resident"))
    approved(dctx)
    with transaction(dctx) as tx:
        [item] = tx.outbox.pending()
    assert plan_item(dctx, item.id) is not None
    ids = [r.id for r in receipts(dctx)]
    # The dead run had put every delivery on its in-process queue, then was killed.
    with transaction(dctx) as tx:
        DeliveryRepository(tx.session).mark_queued(ids, dctx.clock())
    lease = timedelta(seconds=dctx.settings.delivery_lease_seconds)
    with transaction(dctx) as tx:
        assert DeliveryRepository(tx.session).due(dctx.clock(), requeue_after=lease, limit=10) == []
    drain(dctx)
    assert sorted(r.state for r in receipts(dctx)) == ["sent", "sent"]
    assert len(receiver.hits) == 2


def test_a_retry_given_back_unsent_is_due_again_once_its_queueing_is_stale(
    dctx: AppContext, running_clock: RunningClock
) -> None:
    """A retry queued, then given back before any worker claimed it (its channel could not
    open, its batch failed), is not lost: it is due again after the lease, as a planned
    delivery is; meanwhile it is not waiting for its retry time (no loop spins on it)."""
    subscriber(dctx, "http://127.0.0.1:9/resident")
    approved(dctx)
    with transaction(dctx) as tx:
        [item] = tx.outbox.pending()
    assert plan_item(dctx, item.id) is not None
    [row] = receipts(dctx)
    lease = timedelta(seconds=dctx.settings.delivery_lease_seconds)
    with transaction(dctx) as tx:
        deliveries = DeliveryRepository(tx.session)
        [claimed] = deliveries.claim([row.id], dctx.clock(), lease)
        retry_at = dctx.clock() + timedelta(seconds=5)
        deliveries.settle([Settlement(claimed.id, S.RETRYING, "503", next_attempt_at=retry_at)])
    with transaction(dctx) as tx:
        assert DeliveryRepository(tx.session).next_retry_at() == retry_at
    running_clock.jump(seconds=6)
    with transaction(dctx) as tx:
        deliveries = DeliveryRepository(tx.session)
        assert deliveries.due(dctx.clock(), requeue_after=lease, limit=10) == [(row.id, "webhook")]
        deliveries.mark_queued([row.id], dctx.clock())
    # The batch is given back unsent: the row stays retrying and queued.
    with transaction(dctx) as tx:
        deliveries = DeliveryRepository(tx.session)
        assert deliveries.due(dctx.clock(), requeue_after=lease, limit=10) == []
        assert deliveries.next_retry_at() is None
    running_clock.jump(seconds=lease.total_seconds() + 1)
    with transaction(dctx) as tx:
        deliveries = DeliveryRepository(tx.session)
        assert deliveries.due(dctx.clock(), requeue_after=lease, limit=10) == [(row.id, "webhook")]


def test_consumers_asking_for_a_channel_together_open_it_once(
    dctx: AppContext, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first range's four batches go to the four consumers at once: the webhook channel
    (its session, the node's key, its rate limit) is opened once, and everyone receives."""
    bulk_subscribers(dctx, lambda n: receiver.url(f"ok/{n}"), 2_000)
    entered: list[WebhookChannel] = []
    enter = WebhookChannel.__aenter__

    async def counted(channel: WebhookChannel) -> WebhookChannel:
        entered.append(channel)
        return await enter(channel)

    monkeypatch.setattr(WebhookChannel, "__aenter__", counted)
    approved(dctx)
    summary = drain(dctx)
    assert len(entered) == 1
    assert summary.settled == {"sent": 2_000}
    assert len({hit.path for hit in receiver.hits}) == 2_000
