"""Email to a real SMTP server (aiosmtpd on loopback): text and HTML with the photo inline,
one-click unsubscribe for subscribers (RFC 8058), the subscriber's language, the LE tier."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from PIL import Image

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, open_app, transaction
from bluealert.app.photos import photo_ref
from bluealert.app.subscriptions import list_subscriptions, unsubscribe_by_token
from bluealert.dispatch.engine import Dispatcher
from bluealert.domain.alert import Alert
from bluealert.domain.photos import check_photo
from bluealert.store import migrate
from bluealert.store.tables import DeliveryRow
from tests import factories as f
from tests.integration.dispatch.conftest import (
    CLAIMS,
    RunningClock,
    add_users,
    dispatch_settings,
    free_port,
    partner,
    subscriber,
)


class Mailbox:
    """Keeps what it is sent; refuses addresses starting with 'refused' (550) or 'busy' (451)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(  # noqa: N802 (aiosmtpd names its hooks so)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.startswith("refused"):
            return "550 5.1.1 no such mailbox"
        if address.startswith("busy"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))  # type: ignore[arg-type]
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [
            message_from_bytes(data, policy=default)  # type: ignore[misc]
            for rcpt, data in self.messages
            if address in rcpt
        ]


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture
def mail_ctx(
    tmp_path: Path, running_clock: RunningClock, mailbox: tuple[Mailbox, int]
) -> Iterator[AppContext]:
    settings = dispatch_settings(
        tmp_path, smtp_url=f"smtp://127.0.0.1:{mailbox[1]}", base_url="https://alerts.example"
    )
    app = open_app(settings, clock=running_clock)
    migrate.upgrade(app.engine)
    add_users(app)
    yield app
    app.engine.dispose()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (20, 40, 200)).save(out, "JPEG")
    return out.getvalue()


def _approved_with_photo(ctx: AppContext) -> Alert:
    photo = check_photo(_jpeg(), 10_000_000)
    data = f.alert_data(ctx.clock())
    data["suspects"][0]["photos"] = [photo_ref(photo).model_dump(mode="json")]
    data["law_enforcement_notes"] = "Suspect known to carry a second weapon."
    content = f.AlertContent.model_validate(data)
    alert = use_cases.draft_alert(ctx, actor="dep.odell", content=content, photos=[photo])
    use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=CLAIMS)
    return use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)


def _drain(ctx: AppContext, wait: float = 0.0) -> None:
    async def run() -> None:
        async with Dispatcher(ctx) as dispatcher:
            await dispatcher.drain(wait)

    asyncio.run(run())


def _parts(message: EmailMessage) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for part in message.walk():
        found.setdefault(part.get_content_type(), part)
    return found


def test_an_alert_email_has_text_html_and_the_photo_inline(
    mail_ctx: AppContext, mailbox: tuple[Mailbox, int]
) -> None:
    box, _ = mailbox
    subscriber(mail_ctx, "ana@example.org", channel="email")
    subscriber(mail_ctx, "luis@example.org", channel="email", place_kind="county",
               place="48113", language="es")  # fmt: skip
    alert = _approved_with_photo(mail_ctx)
    _drain(mail_ctx)
    [mail] = box.to("ana@example.org")
    assert mail["Subject"].startswith(f"Blue Alert {alert.reference}: ")
    parts = _parts(mail)
    assert set(parts) >= {"multipart/alternative", "text/plain", "text/html", "image/jpeg"}
    text = parts["text/plain"].get_content()
    html = parts["text/html"].get_content()
    assert alert.reference in text
    image = parts["image/jpeg"]
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html
    assert image.get_content() == check_photo(_jpeg(), 10_000_000).data
    assert image.get_content_disposition() == "inline"
    # RFC 8058 §3.1: an HTTPS List-Unsubscribe URI and the one-click POST header.
    unsubscribe = mail["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://alerts.example/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "second weapon" not in mail.as_string()
    [spanish] = box.to("luis@example.org")
    assert spanish["Content-Language"] == "es"
    assert spanish["Subject"].startswith(f"Alerta Azul {alert.reference}: ")
    assert "herido" in spanish["Subject"]  # the Spanish headline, not the English one
    token = unsubscribe.strip("<>").rsplit("/", 1)[1]
    assert unsubscribe_by_token(mail_ctx, token)
    assert [s.address for s in list_subscriptions(mail_ctx)] == ["luis@example.org"]
    assert not unsubscribe_by_token(mail_ctx, token)


def test_a_law_enforcement_partner_gets_the_restricted_facts_and_no_unsubscribe(
    mail_ctx: AppContext, mailbox: tuple[Mailbox, int]
) -> None:
    box, _ = mailbox
    partner(mail_ctx, "DPS watch", "watch@dps.example", kind="law_enforcement",
            tier="law_enforcement", channel="email", formats=["cap", "teletype"])  # fmt: skip
    _approved_with_photo(mail_ctx)
    _drain(mail_ctx)
    [mail] = box.to("watch@dps.example")
    assert mail["List-Unsubscribe"] is None
    text = _parts(mail)["text/plain"].get_content()
    assert "LAW ENFORCEMENT ONLY" in text
    assert "second weapon" in text


def test_refused_addresses_die_busy_ones_retry_and_an_expiry_is_skipped_recorded(
    mail_ctx: AppContext, mailbox: tuple[Mailbox, int], running_clock: RunningClock
) -> None:
    box, _ = mailbox
    subscriber(mail_ctx, "refused@example.org", channel="email")
    subscriber(mail_ctx, "busy@example.org", channel="email")
    subscriber(mail_ctx, "ok@example.org", channel="email")
    alert = _approved_with_photo(mail_ctx)
    _drain(mail_ctx)
    with transaction(mail_ctx) as tx:
        states = {r.address: (r.state, r.detail) for r in tx.session.query(DeliveryRow)}
    assert states["refused@example.org"][0] == "dead"
    assert "550" in states["refused@example.org"][1]
    assert states["busy@example.org"] == ("retrying", "SMTP 451 4.3.0 try again later")
    assert states["ok@example.org"][0] == "sent"
    running_clock.jump(days=3)
    use_cases.expire_due_alerts(mail_ctx)
    _drain(mail_ctx)
    with transaction(mail_ctx) as tx:
        expiry = [r for r in tx.session.query(DeliveryRow) if r.event == "expire"]
        left = {r.address: r.state for r in tx.session.query(DeliveryRow) if r.event == "publish"}
    assert [(r.address, r.state) for r in expiry] == [("ok@example.org", "skipped")]
    assert "does not announce an expiry" in expiry[0].detail
    assert left["busy@example.org"] == "superseded"  # never an expired alert to them
    assert len(box.to("ok@example.org")) == 1
    assert alert.reference
