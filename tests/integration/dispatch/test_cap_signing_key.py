"""A CAP signing key that is not a PEM file, through the real dispatcher loop: refused by the
setting's name once a round (no traceback), nothing planned and nothing lost, the deliveries
already due still sent, and every pending version planned once the file is right."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bluealert.app.context import AppContext, open_app, transaction
from bluealert.dispatch.engine import Dispatcher
from bluealert.store import migrate
from bluealert.store.tables import DeliveryRow
from tests.integration.dispatch.conftest import (
    Receiver,
    RunningClock,
    add_users,
    approved,
    dispatch_settings,
    partner,
)
from tests.ipaws_support import COG_ID, Identity, identity
from tests.waiting import wait_for_async

NOT_PEM = b"Java keystore, not converted\n"


@pytest.fixture
def signer(tmp_path: Path) -> Identity:
    return identity(tmp_path / "certs", COG_ID)


@pytest.fixture
def ctx(tmp_path: Path, running_clock: RunningClock, signer: Identity) -> AppContext:
    settings = dispatch_settings(
        tmp_path, cap_signing_key=signer.key_file, cap_signing_cert=signer.cert_file
    )
    app = open_app(settings, clock=running_clock)
    migrate.upgrade(app.engine)
    add_users(app)
    return app


def _pending(ctx: AppContext) -> int:
    with transaction(ctx) as tx:
        return len(tx.outbox.pending(limit=100))


def _planned(ctx: AppContext) -> int:
    with transaction(ctx) as tx:
        return tx.session.scalar(select(func.count()).select_from(DeliveryRow)) or 0


def _refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == "planning_refused"]


def test_a_key_that_is_not_pem_is_refused_once_a_round_and_planned_once_fixed(
    ctx: AppContext, signer: Identity, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    good = signer.key_file.read_bytes()
    signer.key_file.write_bytes(NOT_PEM)
    partner(ctx, "KXAS", receiver.url("ok/kxas"))
    approved(ctx)
    approved(ctx)

    async def run() -> None:
        # A long poll: one round at the start, the next only when woken.
        async with Dispatcher(ctx, poll_seconds=60.0) as dispatcher:
            await dispatcher.start()
            await wait_for_async(lambda: bool(_refusals(caplog)), 10.0, "the refusal")
            await asyncio.sleep(0.3)
            assert len(_refusals(caplog)) == 1  # one round, two items: one line
            assert (_pending(ctx), _planned(ctx)) == (2, 0)  # nothing planned, nothing lost
            signer.key_file.write_bytes(good)
            dispatcher.wake()
            await wait_for_async(
                lambda: len(receiver.of("ok/kxas")) == 2, 10.0, "both alerts delivered"
            )
            # Batches are queued before the item is marked dispatched: both may arrive first.
            await wait_for_async(lambda: _pending(ctx) == 0, 10.0, "both items marked dispatched")

    with caplog.at_level("INFO", logger="bluealert.dispatch"):
        asyncio.run(run())
    [refused] = _refusals(caplog)
    assert refused.levelno == logging.ERROR
    assert refused.exc_info is None  # a clear line, not a traceback
    assert (refused.__dict__["action"], refused.__dict__["field"]) == (
        "planning_refused",
        "BLUEALERT_CAP_SIGNING_KEY",
    )
    assert refused.__dict__["reason"] == (
        f"BLUEALERT_CAP_SIGNING_KEY: {signer.key_file} is not a PEM private key "
        "(-----BEGIN PRIVATE KEY-----)"
    )
    assert not [r for r in caplog.records if r.getMessage() == "dispatch_loop_failed"]
    signed = [b"<Signature" in hit.body for hit in receiver.of("ok/kxas")]
    assert signed == [True, True]  # planned with the fixed key, not unsigned


def test_deliveries_already_due_are_sent_while_planning_is_refused(
    ctx: AppContext, signer: Identity, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    partner(ctx, "KXAS", receiver.url("flaky/kxas"))  # 500 twice, then 200
    approved(ctx)

    async def run() -> None:
        # A long poll: each batch settled with a retry wakes the loop to send it at its time.
        async with Dispatcher(ctx, poll_seconds=60.0) as dispatcher:
            await dispatcher.drain()  # planned and tried once: retrying
            assert len(receiver.of("flaky/kxas")) == 1
            signer.cert_file.write_bytes(NOT_PEM)
            approved(ctx)
            await dispatcher.start()
            await wait_for_async(
                lambda: len(receiver.of("flaky/kxas")) == 3, 10.0, "the retries of the first"
            )
            assert _pending(ctx) == 1  # the second alert waits for the certificate

    with caplog.at_level("INFO", logger="bluealert.dispatch"):
        asyncio.run(run())
    refusals = _refusals(caplog)
    assert refusals
    assert {r.__dict__["field"] for r in refusals} == {"BLUEALERT_CAP_SIGNING_CERT"}
