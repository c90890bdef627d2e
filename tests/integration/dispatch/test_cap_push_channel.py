"""CAP push to a stand-in peer that verifies what it is sent: the signed CAP arrives whole,
the peer's answer is on the receipt, a refusal is a dead letter and a busy peer is retried."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, open_app, transaction
from bluealert.dispatch.engine import Dispatcher
from bluealert.formats.cap.signature import TrustStore
from bluealert.store import migrate
from bluealert.store.tables import DeliveryRow
from tests.integration.dispatch.cap_peer import CapPeer
from tests.integration.dispatch.conftest import (
    RunningClock,
    add_users,
    approved,
    dispatch_settings,
    partner,
    subscriber,
)
from tests.integration.formats.conftest import Identity, _identity


@pytest.fixture(scope="module")
def identities(tmp_path_factory: pytest.TempPathFactory) -> tuple[Identity, Identity]:
    """A CA the peer trusts and the node's signing identity it issued."""
    tmp = tmp_path_factory.mktemp("cap-push-keys")
    ca = _identity(tmp, "peer-trusted-ca")
    return ca, _identity(tmp, "bluealert-node", issuer=ca)


@pytest.fixture
def peer(identities: tuple[Identity, Identity]) -> Iterator[CapPeer]:
    with CapPeer(TrustStore((identities[0].certificate,))) as running:
        yield running


def _app(tmp_path: Path, clock: RunningClock, **settings: Any) -> Iterator[AppContext]:
    app = open_app(dispatch_settings(tmp_path, **settings), clock=clock)
    migrate.upgrade(app.engine)
    add_users(app)
    yield app
    app.engine.dispose()


@pytest.fixture
def signing_ctx(
    tmp_path: Path, running_clock: RunningClock, identities: tuple[Identity, Identity]
) -> Iterator[AppContext]:
    node = identities[1]
    yield from _app(tmp_path, running_clock, cap_signing_key=node.key_file,
                    cap_signing_cert=node.cert_file)  # fmt: skip


@pytest.fixture
def impatient_ctx(tmp_path: Path, running_clock: RunningClock) -> Iterator[AppContext]:
    """Waits 1 s for an answer, and a minute before trying again."""
    yield from _app(tmp_path, running_clock, cap_push_timeout_seconds=1.0, retry_base_seconds=60)


@pytest.fixture
def unsigned_ctx(tmp_path: Path, running_clock: RunningClock) -> Iterator[AppContext]:
    yield from _app(tmp_path, running_clock)


def drain(ctx: AppContext, wait_for_retries: float = 0.0) -> None:
    async def run() -> None:
        async with Dispatcher(ctx) as dispatcher:
            await dispatcher.drain(wait_for_retries)

    asyncio.run(run())


def receipts(ctx: AppContext, channel: str = "cap_push") -> list[DeliveryRow]:
    with transaction(ctx) as tx:
        query = select(DeliveryRow).where(DeliveryRow.channel == channel).order_by(DeliveryRow.id)
        return list(tx.session.scalars(query))


def test_the_signed_cap_reaches_the_peer_whole_and_its_answer_is_on_the_receipt(
    signing_ctx: AppContext, peer: CapPeer
) -> None:
    ctx = signing_ctx
    partner(ctx, "Oklahoma node", peer.url("ok/ok-node"), kind="peer_node", channel="cap_push")
    alert = approved(ctx)
    drain(ctx)
    [pushed] = peer.accepted
    assert peer.refused == []
    assert pushed.content_type == "application/cap+xml"
    assert pushed.field("msgType") == "Alert"
    assert pushed.field("scope") == "Public"
    [receipt] = receipts(ctx)
    assert receipt.state == "sent"
    assert pushed.idempotency_key == receipt.key
    assert receipt.detail == f"HTTP 202: accepted {pushed.field('identifier')}"
    assert receipt.alert_id == alert.id

    use_cases.cancel_alert(ctx, actor="tx.kim", key=alert.reference, reason="caught")
    drain(ctx)
    original, cancel = peer.accepted
    assert cancel.field("msgType") == "Cancel"
    assert original.field("identifier") in cancel.field("references")
    assert [r.state for r in receipts(ctx)] == ["sent", "sent"]


def test_an_expiry_is_not_pushed_the_cap_carries_its_own(
    signing_ctx: AppContext, peer: CapPeer, running_clock: RunningClock
) -> None:
    ctx = signing_ctx
    partner(ctx, "Oklahoma node", peer.url("ok/ok-node"), kind="peer_node", channel="cap_push")
    approved(ctx)
    drain(ctx)
    running_clock.jump(hours=30)
    assert use_cases.expire_due_alerts(ctx)
    drain(ctx)
    assert len(peer.accepted) == 1
    ended = receipts(ctx)[-1]
    assert (ended.event, ended.state) == ("expire", "skipped")
    assert "carries its own expiry" in ended.detail


def test_a_peer_that_refuses_is_a_dead_letter_at_once_with_its_reason(
    unsigned_ctx: AppContext, peer: CapPeer
) -> None:
    # No signing key configured: the CAP goes unsigned and the peer refuses it (400).
    ctx = unsigned_ctx
    partner(ctx, "Strict node", peer.url("ok/strict"), kind="peer_node", channel="cap_push")
    approved(ctx)
    drain(ctx, wait_for_retries=1.0)
    [receipt] = receipts(ctx)
    assert (receipt.state, receipt.attempts) == ("dead", 1)
    assert receipt.detail.startswith("failed: HTTP 400: Signature: the document is not signed")
    assert len(peer.refused) == 1


def test_a_forbidden_answer_is_permanent_too(signing_ctx: AppContext, peer: CapPeer) -> None:
    partner(signing_ctx, "Not ours", peer.url("refuse/x"), kind="peer_node", channel="cap_push")
    approved(signing_ctx)
    drain(signing_ctx, wait_for_retries=1.0)
    [receipt] = receipts(signing_ctx)
    assert (receipt.state, receipt.detail) == ("dead", "failed: HTTP 403: not a peer of ours")


def test_a_busy_peer_is_retried_until_it_takes_the_message(
    signing_ctx: AppContext, peer: CapPeer
) -> None:
    partner(signing_ctx, "Busy node", peer.url("busy/1"), kind="peer_node", channel="cap_push")
    approved(signing_ctx)
    drain(signing_ctx, wait_for_retries=5.0)
    [receipt] = receipts(signing_ctx)
    assert (receipt.state, receipt.attempts) == ("sent", 3)
    assert len(peer.accepted) == 1
    # Each try was the same message under the same key: the peer can drop a repeat.
    assert len(peer.hits) == 3
    assert len({h.headers["Idempotency-Key"] for h in peer.hits}) == 1


def test_a_peer_that_never_answers_is_retried_not_waited_for(
    impatient_ctx: AppContext, peer: CapPeer
) -> None:
    partner(impatient_ctx, "Silent", peer.url("hang/1"), kind="peer_node", channel="cap_push")
    approved(impatient_ctx)
    drain(impatient_ctx)
    [receipt] = receipts(impatient_ctx)
    assert receipt.state == "retrying"
    assert receipt.detail == "no answer within 1 s"


def test_the_law_enforcement_tier_gets_the_restricted_message_the_public_never(
    signing_ctx: AppContext, peer: CapPeer
) -> None:
    ctx = signing_ctx
    partner(ctx, "DPS", peer.url("ok/dps"), kind="law_enforcement", tier="law_enforcement",
            channel="cap_push", formats=["cap", "cap-restricted"])  # fmt: skip
    partner(ctx, "Public node", peer.url("ok/public"), kind="peer_node", channel="cap_push",
            formats=["cap"])  # fmt: skip
    subscriber(ctx, peer.url("ok/resident"), channel="cap_push")
    approved(ctx)
    drain(ctx)
    scopes = {p.path: p.field("scope") for p in peer.accepted}
    assert scopes == {"/ok/dps": "Restricted", "/ok/public": "Public", "/ok/resident": "Public"}


@pytest.mark.parametrize("status", ["Exercise", "Test"])
def test_an_exercise_or_test_reaches_a_peer_that_takes_it_never_a_subscriber(
    signing_ctx: AppContext, peer: CapPeer, status: str
) -> None:
    ctx = signing_ctx
    partner(ctx, "Drill node", peer.url("ok/drills"), kind="peer_node", channel="cap_push",
            statuses=["Actual", status])  # fmt: skip
    partner(ctx, "Actual node", peer.url("ok/actual"), kind="peer_node", channel="cap_push")
    subscriber(ctx, peer.url("ok/resident"), channel="cap_push")
    approved(ctx, status=status)
    drain(ctx)
    assert [(p.path, p.field("status")) for p in peer.accepted] == [("/ok/drills", status)]
    assert [r.recipient[0] for r in receipts(ctx)] == ["p"]
