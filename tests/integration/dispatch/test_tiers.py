"""No law-enforcement field ever reaches a public-tier recipient, in any payload of any channel,
for any version (publish, update, cancel); the law-enforcement tier gets every one of them."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import aiomqtt
import pytest

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, open_app
from bluealert.app.subscriptions import subscribe
from bluealert.app.web_push import application_server_key
from bluealert.dispatch.engine import Dispatcher
from bluealert.domain.subscription import Subscription
from bluealert.store import migrate
from tests import factories as f
from tests.integration.dispatch.conftest import (
    CLAIMS,
    Receiver,
    RunningClock,
    add_users,
    dispatch_settings,
    partner,
    subscriber,
)
from tests.integration.dispatch.push_service import PushService
from tests.integration.dispatch.test_email_channel import Mailbox, mailbox  # noqa: F401

# Every fact only law enforcement may see, each with a value found nowhere else:
# an officer's identity before its release (next-of-kin gate), the incident narrative, the
# law-enforcement notes, and the coordinator's own words on a cancel.
RESTRICTED = {
    "officers.0.name": "Corporal Marker Zyxwv",
    "officers.0.rank": "Rankmarker",
    "incident.narrative": "Narrative-marker-7781",
    "law_enforcement_notes": "Notes-marker-9912",
    "cancel reason": "Reason-marker-5531",
}


def _content(ctx: AppContext) -> Any:
    data = f.alert_data(ctx.clock())
    data["officers"][0].update(
        name=RESTRICTED["officers.0.name"], rank=RESTRICTED["officers.0.rank"]
    )
    data["officers"][0]["identity_released"] = False
    data["incident"]["narrative"] = RESTRICTED["incident.narrative"]
    data["law_enforcement_notes"] = RESTRICTED["law_enforcement_notes"]
    return f.AlertContent.model_validate(data)


async def _mqtt_capture(prefix: str, act: Any) -> list[bytes]:
    seen: list[bytes] = []
    async with aiomqtt.Client("127.0.0.1", 1883, identifier=f"t-{uuid.uuid4().hex[:8]}") as c:
        await c.subscribe(f"{prefix}/#", qos=1)
        await act()
        try:
            async with asyncio.timeout(0.8):
                async for message in c.messages:
                    seen.append(bytes(message.payload))  # type: ignore[arg-type]
        except TimeoutError:
            pass
    return seen


def _readable(raw: bytes) -> str:
    """The raw email and every decoded text part (base64 or quoted-printable hide nothing)."""
    mail = message_from_bytes(raw, policy=default)
    texts = [p.get_content() for p in mail.walk() if p.get_content_maintype() == "text"]
    return raw.decode(errors="replace") + "\n".join(texts)


@pytest.fixture
def tier_ctx(
    tmp_path: Path,
    running_clock: RunningClock,
    mailbox: tuple[Mailbox, int],  # noqa: F811
) -> Any:
    settings = dispatch_settings(
        tmp_path, smtp_url=f"smtp://127.0.0.1:{mailbox[1]}", web_push_services=["127.0.0.1"]
    )
    app = open_app(settings, clock=running_clock)
    migrate.upgrade(app.engine)
    add_users(app)
    yield app
    app.engine.dispose()


@pytest.fixture
def push(tier_ctx: AppContext) -> Iterator[PushService]:
    with PushService(application_server_key(tier_ctx.settings)) as running:
        yield running


def test_no_restricted_field_in_any_public_payload(
    tier_ctx: AppContext,
    receiver: Receiver,
    push: PushService,
    mailbox: tuple[Mailbox, int],  # noqa: F811
) -> None:
    ctx, box = tier_ctx, mailbox[0]
    browser = push.subscribe("resident")
    web_push = {"channel": "web_push", "address": browser.endpoint, "keys": browser.keys,
                "place_kind": "county", "place": "48113"}  # fmt: skip
    subscribe(ctx, actor="ops", subscription=Subscription.model_validate(web_push))
    prefix = f"tiers-{uuid.uuid4().hex[:8]}/v1"
    public_formats = ["cap", "same", "wea", "dms", "json"]
    partner(ctx, "TV", receiver.url("ok/public-partner"), formats=public_formats)
    partner(ctx, "Signs", prefix, kind="sign_system", channel="mqtt", formats=public_formats)
    partner(ctx, "Newsroom", "news@tv.example", channel="email", formats=public_formats)
    subscriber(ctx, receiver.url("ok/public-subscriber"))
    subscriber(ctx, "resident@example.org", channel="email")
    restricted_formats = ["cap", "cap-restricted", "teletype", "json"]
    partner(ctx, "DPS", receiver.url("ok/police"), kind="law_enforcement",
            tier="law_enforcement", formats=restricted_formats)  # fmt: skip
    partner(ctx, "Peer", receiver.url("ok/cap-peer"), kind="peer_node", channel="cap_push")
    subscriber(ctx, receiver.url("ok/cap-subscriber"), channel="cap_push")
    subscriber(ctx, f"json://127.0.0.1:{receiver.port}/ok/apprise", channel="apprise")
    partner(ctx, "DPS CAP", receiver.url("ok/police-cap"), kind="law_enforcement",
            tier="law_enforcement", channel="cap_push", formats=["cap-restricted"])  # fmt: skip

    async def act() -> None:
        def publish_update_cancel() -> None:
            alert = use_cases.draft_alert(ctx, actor="dep.odell", content=_content(ctx))
            use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=CLAIMS)
            alert = use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)
            asyncio.run(_drain(ctx))
            later = alert.content.model_copy(update={"instructions": "Call 911 at once."})
            use_cases.update_alert(ctx, actor="tx.kim", key=alert.reference, content=later,
                                   note="more", base=alert.current.number)  # fmt: skip
            asyncio.run(_drain(ctx))
            use_cases.cancel_alert(ctx, actor="tx.kim", key=alert.reference,
                                   reason=RESTRICTED["cancel reason"])  # fmt: skip
            asyncio.run(_drain(ctx))

        await asyncio.to_thread(publish_update_cancel)

    mqtt = asyncio.run(_mqtt_capture(prefix, act))
    public = {
        **{f"{_kind(h)} {h.path} #{i}": h.body.decode() for i, h in enumerate(receiver.hits)
           if "police" not in h.path},
        **{f"mqtt #{i}": p.decode() for i, p in enumerate(mqtt) if p},
        **{f"email {to} #{i}": _readable(raw) for i, (to, raw) in enumerate(box.messages)},
        **{f"web_push #{i}": json.dumps(n, ensure_ascii=False) for i, n in enumerate(browser.read)},
    }  # fmt: skip
    assert len([k for k in public if k.startswith("webhook")]) == 6  # 2 recipients × 3 versions
    assert len([k for k in public if k.startswith("cap_push")]) == 6
    assert len([k for k in public if k.startswith("apprise")]) == 3
    assert len([k for k in public if k.startswith("mqtt")]) >= 3
    assert len([k for k in public if k.startswith("email")]) == 6
    assert len([k for k in public if k.startswith("web_push")]) == 3  # decrypted, as a browser
    leaks = [
        (where, field) for where, text in public.items()
        for field, marker in RESTRICTED.items() if marker in text
    ]  # fmt: skip
    assert leaks == []
    police = "\n".join(h.body.decode() for h in receiver.of("ok/police"))
    for field, marker in RESTRICTED.items():
        assert marker in police, f"the law-enforcement tier lacks {field}"
    police_cap = [h.body.decode() for h in receiver.of("ok/police-cap")]
    assert len(police_cap) == 3
    assert all("<scope>Restricted</scope>" in cap for cap in police_cap)
    for field, marker in RESTRICTED.items():  # the reason only in the Cancel, the last
        assert marker in police_cap[-1], f"the restricted CAP lacks {field}"


def _kind(hit: Any) -> str:
    if hit.headers.get("Content-Type") == "application/cap+xml":
        return "cap_push"
    return "webhook" if "webhook-id" in hit.headers else "apprise"


async def _drain(ctx: AppContext) -> None:
    async with Dispatcher(ctx) as dispatcher:
        await dispatcher.drain()
