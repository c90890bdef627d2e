"""The ipaws channel through the real engine, against the stand-in in its own process: the
receipt records IPAWS's answer per channel, a cancel references the original and reaches
IPAWS, a message the COG may not send is stopped before sending, and every other way it can go
wrong ends as a dead letter that says why, or a retry."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import select

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, open_app, transaction
from bluealert.dispatch.engine import Dispatcher
from bluealert.dispatch.ipaws.standin import CogAccount, IpawsStandIn
from bluealert.dispatch.ipaws.wsdl import CAP_NS
from bluealert.store import migrate
from bluealert.store.tables import DeliveryRow
from tests.integration.dispatch.conftest import (
    START,
    Receiver,
    RunningClock,
    add_users,
    approved,
    dispatch_settings,
    partner,
)
from tests.ipaws_support import COG_ID, USER, Identity, cog_account, identity

ACCEPTED = "NWEM message-not-disseminated-as-NWEM; EAS Ack; WEA Ack; public feed Ack"


@pytest.fixture
def cog(tmp_path: Path) -> Identity:
    return identity(tmp_path / "certs", COG_ID)


def _ipaws_app(
    tmp_path: Path, clock: RunningClock, url: str, cog: Identity, **more: Any
) -> AppContext:
    settings = dispatch_settings(
        tmp_path, ipaws_url=url, ipaws_cog_id=COG_ID, ipaws_user=USER,
        ipaws_key=cog.key_file, ipaws_cert=cog.cert_file, ipaws_timeout_seconds=5.0, **more,
    )  # fmt: skip
    app = open_app(settings, clock=clock)
    migrate.upgrade(app.engine)
    add_users(app)
    return app


@pytest.fixture
def stand_in(tmp_path: Path, cog: Identity) -> Iterator[IpawsStandIn]:
    with IpawsStandIn([cog_account(cog)], tmp_path / "stand-in", clock_start=START) as running:
        yield running


@pytest.fixture
def ictx(
    tmp_path: Path, running_clock: RunningClock, stand_in: IpawsStandIn, cog: Identity
) -> Iterator[AppContext]:
    app = _ipaws_app(tmp_path, running_clock, stand_in.url, cog)
    partner(app, "IPAWS-OPEN", str(COG_ID), kind="ipaws", channel="ipaws", secret=None)
    yield app
    app.engine.dispose()


def _drain(ctx: AppContext) -> None:
    async def run() -> None:
        async with Dispatcher(ctx) as dispatcher:
            await dispatcher.drain()

    asyncio.run(run())


def _receipts(ctx: AppContext) -> list[DeliveryRow]:
    with transaction(ctx) as tx:
        rows = tx.session.scalars(select(DeliveryRow).order_by(DeliveryRow.id))
        return [r for r in rows if r.channel == "ipaws"]


def _cap_field(posted: dict[str, Any], name: str) -> str:
    return str(etree.fromstring(str(posted["cap"]).encode()).findtext(f"{{{CAP_NS}}}{name}"))


def test_a_post_records_the_answer_per_channel_and_a_cancel_references_it(
    ictx: AppContext, stand_in: IpawsStandIn
) -> None:
    alert = approved(ictx)
    _drain(ictx)
    [receipt] = _receipts(ictx)
    assert (receipt.event, receipt.state) == ("publish", "sent")
    assert receipt.detail == f"IPAWS accepted BLU-{alert.reference}-v1: {ACCEPTED}"
    [original] = stand_in.posts()
    assert (original["accepted"], original["msgType"], original["references"]) == (
        True,
        "Alert",
        None,
    )

    use_cases.cancel_alert(ictx, actor="tx.kim", key=alert.reference, reason="suspect in custody")
    _drain(ictx)
    cancel = _receipts(ictx)[-1]
    assert (cancel.event, cancel.state) == ("cancel", "sent")
    assert cancel.detail.startswith(f"IPAWS accepted BLU-{alert.reference}-v2: ")
    posted = stand_in.posts()[-1]
    assert (posted["accepted"], posted["msgType"]) == (True, "Cancel")
    # CAP 1.2 §3.2.1: references are sender,identifier,sent of the original, exactly as sent.
    sender, sent = _cap_field(original, "sender"), _cap_field(original, "sent")
    assert posted["references"] == f"{sender},BLU-{alert.reference}-v1,{sent}"


def test_an_expiry_is_not_posted(
    ictx: AppContext, stand_in: IpawsStandIn, running_clock: RunningClock
) -> None:
    approved(ictx)
    _drain(ictx)
    running_clock.jump(days=3)
    use_cases.expire_due_alerts(ictx)
    _drain(ictx)
    ended = _receipts(ictx)[-1]
    assert (ended.event, ended.state) == ("expire", "skipped")
    assert ended.detail == "IPAWS ends the alert itself at its expiry; nothing is posted"
    assert len(stand_in.posts()) == 1


def test_the_preflight_stops_what_the_cog_may_not_send_before_it_is_sent(
    tmp_path: Path, running_clock: RunningClock, cog: Identity
) -> None:
    narrow = cog_account(cog, event_codes=frozenset({"LAE"}), geo_codes=frozenset({"048113"}))
    with IpawsStandIn([narrow], tmp_path / "stand-in", clock_start=START) as stand_in:
        ctx = _ipaws_app(tmp_path, running_clock, stand_in.url, cog)
        partner(ctx, "IPAWS-OPEN", str(COG_ID), kind="ipaws", channel="ipaws", secret=None)
        approved(ctx)
        _drain(ctx)
        [receipt] = _receipts(ctx)
        assert receipt.state == "dead"
        assert receipt.detail == (
            "failed: pre-flight: COG 120999 (Texas DPS (fictional)) may not send event code BLU "
            "(permitted: LAE); COG 120999 (Texas DPS (fictional)) may not alert SAME area(s) 048121"
        )
        assert stand_in.posts() == []
        assert [r["operation"] for r in stand_in.requests()] == ["getRequest"]


def test_a_refusal_is_a_dead_letter_naming_it(
    tmp_path: Path, running_clock: RunningClock, cog: Identity
) -> None:
    other = identity(tmp_path / "other", COG_ID)
    registered = CogAccount(cog_account(cog).profile, USER, other.pem)  # FEMA holds another cert
    with IpawsStandIn([registered], tmp_path / "stand-in", clock_start=START) as stand_in:
        ctx = _ipaws_app(tmp_path, running_clock, stand_in.url, cog)
        partner(ctx, "IPAWS-OPEN", str(COG_ID), kind="ipaws", channel="ipaws", secret=None)
        approved(ctx)
        _drain(ctx)
        [receipt] = _receipts(ctx)
        assert receipt.state == "dead"
        assert receipt.detail == (
            "failed: IPAWS refused it (wrong-certificate): the request is not signed with "
            "COG 120999's certificate"
        )


@pytest.mark.parametrize(
    ("settings", "address", "detail"),
    [
        ({"ipaws_url": None, "ipaws_user": None}, str(COG_ID),
         "failed: ipaws: not configured: set BLUEALERT_IPAWS_URL, BLUEALERT_IPAWS_USER"),
        ({}, "120001", "failed: this node holds the credentials of COG 120999, not of COG 120001"),
    ],
)  # fmt: skip
def test_a_partner_the_settings_cannot_serve_is_a_dead_letter(
    tmp_path: Path, running_clock: RunningClock, cog: Identity,
    settings: dict[str, Any], address: str, detail: str,
) -> None:  # fmt: skip
    ctx = _ipaws_app(tmp_path, running_clock, "http://127.0.0.1:9/IPAWS", cog)
    if settings:
        ctx = open_app(ctx.settings.model_copy(update=settings), clock=running_clock)
    partner(ctx, "IPAWS-OPEN", address, kind="ipaws", channel="ipaws", secret=None)
    approved(ctx)
    _drain(ctx)
    [receipt] = _receipts(ctx)
    assert (receipt.state, receipt.detail) == ("dead", detail)


def test_a_key_file_that_is_not_pem_holds_the_deliveries_until_it_is_one(
    tmp_path: Path, running_clock: RunningClock, cog: Identity, stand_in: IpawsStandIn,
    receiver: Receiver, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    """Refused by name when the channel opens; its deliveries are not claimed (no attempt
    spent, no dead letter) and go once the file is right, without a restart; the other
    channels are not held up."""
    good = cog.key_file.read_bytes()
    cog.key_file.write_bytes(b"Java keystore, not converted\n")
    ctx = _ipaws_app(tmp_path, running_clock, stand_in.url, cog)
    partner(ctx, "IPAWS-OPEN", str(COG_ID), kind="ipaws", channel="ipaws", secret=None)
    partner(ctx, "KXAS", receiver.url("ok/kxas"))
    alert = approved(ctx)

    async def run() -> None:
        async with Dispatcher(ctx) as dispatcher:
            await dispatcher.drain()
            [held] = _receipts(ctx)
            assert (held.state, held.attempts, held.detail) == ("planned", 0, "")
            assert len(receiver.of("ok/kxas")) == 1
            cog.key_file.write_bytes(good)
            running_clock.jump(seconds=ctx.settings.delivery_lease_seconds + 1)
            await dispatcher.drain()

    with caplog.at_level("ERROR", logger="bluealert.dispatch"):
        asyncio.run(run())
    [refused] = [r for r in caplog.records if r.getMessage() == "channel_unavailable"]
    assert (refused.__dict__["action"], refused.__dict__["channel"]) == (
        "channel_unavailable",
        "ipaws",
    )
    assert refused.__dict__["reason"] == (
        f"BLUEALERT_IPAWS_KEY: {cog.key_file} is not a PEM private key "
        "(-----BEGIN PRIVATE KEY-----)"
    )
    assert refused.exc_info is None  # a clear line, not a traceback
    assert [r.getMessage() for r in caplog.records] == ["channel_unavailable"]
    [sent] = _receipts(ctx)
    assert (sent.state, sent.attempts) == ("sent", 1)
    assert sent.detail == f"IPAWS accepted BLU-{alert.reference}-v1: {ACCEPTED}"
    assert len(stand_in.posts()) == 1


def test_no_answer_is_retried(tmp_path: Path, running_clock: RunningClock, cog: Identity) -> None:
    ctx = _ipaws_app(tmp_path, running_clock, "http://127.0.0.1:9/IPAWS_CAPService/IPAWS", cog)
    partner(ctx, "IPAWS-OPEN", str(COG_ID), kind="ipaws", channel="ipaws", secret=None)
    approved(ctx)
    _drain(ctx)
    [receipt] = _receipts(ctx)
    assert receipt.state == "retrying"
    assert "IPAWS at http://127.0.0.1:9/IPAWS_CAPService/IPAWS" in receipt.detail


def test_one_message_to_several_ipaws_partners_at_once(
    ictx: AppContext, stand_in: IpawsStandIn
) -> None:
    """The channel posts a batch from several threads; each post carries its own copy."""
    for n in range(2, 6):
        partner(ictx, f"IPAWS-OPEN {n}", str(COG_ID), kind="ipaws", channel="ipaws", secret=None)
    alert = approved(ictx)
    _drain(ictx)
    receipts = _receipts(ictx)
    assert [r.state for r in receipts] == ["sent"] * 5
    assert {r.detail for r in receipts} == {f"IPAWS accepted BLU-{alert.reference}-v1: {ACCEPTED}"}
    assert [p["accepted"] for p in stand_in.posts()] == [True] * 5
