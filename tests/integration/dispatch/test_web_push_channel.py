"""Web push through a stand-in push service that checks the VAPID token and decrypts each
message with the browser's private key: what arrives is what a browser would read."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from bluealert.app import alerts as use_cases
from bluealert.app.audit_log import export_audit
from bluealert.app.context import AppContext, open_app, transaction
from bluealert.app.subscriptions import list_subscriptions, subscribe
from bluealert.app.web_push import application_server_key
from bluealert.dispatch.engine import Dispatcher
from bluealert.domain.subscription import Subscription
from bluealert.errors import InvalidInput
from bluealert.formats.public_text import compose_public_text
from bluealert.store import migrate
from bluealert.store.tables import DeliveryRow
from tests.integration.dispatch.conftest import (
    RunningClock,
    add_users,
    approved,
    dispatch_settings,
    partner,
)
from tests.integration.dispatch.push_service import (
    Browser,
    PushService,
    decrypt_aes128gcm,
    unb64url,
    verify_vapid,
)

# RFC 8291 Appendix A: published test data (not credentials), to prove the stand-in decrypts
# exactly as the RFC says a user agent does.
RFC_UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
RFC_AUTH = "BTBZMqHH6r4Tts7J_aSIgg"
RFC_BODY = (
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml"
    "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT"
    "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
)


def test_the_stand_in_decrypts_the_rfc_8291_example() -> None:
    ua = ec.derive_private_key(int.from_bytes(unb64url(RFC_UA_PRIVATE)), ec.SECP256R1())
    body = unb64url(RFC_BODY)
    assert decrypt_aes128gcm(body, ua, unb64url(RFC_AUTH)) == (
        b"When I grow up, I want to be a watermelon"
    )
    tampered = body[:-1] + bytes([body[-1] ^ 0x40])
    with pytest.raises(InvalidTag):
        decrypt_aes128gcm(tampered, ua, unb64url(RFC_AUTH))


def test_the_stand_in_refuses_tokens_a_push_service_would_refuse() -> None:
    from py_vapid import Vapid02

    key = ec.generate_private_key(ec.SECP256R1())
    vapid = Vapid02(key, conf={"no-strict": True})  # lets it sign the bad claims we test
    public = unb64url(vapid.sign({"aud": "https://p.example", "exp": 2000, "sub": "mailto:a@b.c"})
                      ["Authorization"].split("k=")[1])  # fmt: skip

    def header(**claims: Any) -> str:
        base = {"aud": "https://p.example", "exp": 2000, "sub": "mailto:a@b.c"}
        return str(vapid.sign(base | claims)["Authorization"])

    assert verify_vapid(header(), "https://p.example", public, 1000) == (0, "")
    assert verify_vapid(header(), "https://p.example", b"\x04" + b"\x00" * 64, 1000)[0] == 403
    assert (
        verify_vapid(header(aud="https://q.example"), "https://p.example", public, 1000)[0] == 401
    )
    assert verify_vapid(header(exp=999), "https://p.example", public, 1000)[0] == 401
    assert verify_vapid(header(exp=1000 + 25 * 3600), "https://p.example", public, 1000)[0] == 401
    assert verify_vapid(header(sub="someone"), "https://p.example", public, 1000)[0] == 401
    forged = header().replace("t=", "t=x", 1)
    assert verify_vapid(forged, "https://p.example", public, 1000)[0] == 401
    assert verify_vapid("WebPush abc", "https://p.example", public, 1000)[0] == 401


@pytest.fixture
def wctx(tmp_path: Path, running_clock: RunningClock) -> Iterator[AppContext]:
    settings = dispatch_settings(tmp_path, web_push_services=["127.0.0.1"],
                                 web_push_timeout_seconds=2.0)  # fmt: skip
    app = open_app(settings, clock=running_clock)
    migrate.upgrade(app.engine)
    add_users(app)
    yield app
    app.engine.dispose()


@pytest.fixture
def push(wctx: AppContext) -> Iterator[PushService]:
    with PushService(application_server_key(wctx.settings)) as running:
        yield running


def subscribe_browser(ctx: AppContext, browser: Browser, **place: Any) -> int:
    where = place or {"place_kind": "county", "place": "48113"}
    subscription = Subscription.model_validate(
        {"channel": "web_push", "address": browser.endpoint, "keys": browser.keys, **where}
    )
    return subscribe(ctx, actor="ops", subscription=subscription)


def drain(ctx: AppContext, wait_for_retries: float = 0.0) -> None:
    async def run() -> None:
        async with Dispatcher(ctx) as dispatcher:
            await dispatcher.drain(wait_for_retries)

    asyncio.run(run())


def receipts(ctx: AppContext) -> list[DeliveryRow]:
    with transaction(ctx) as tx:
        query = select(DeliveryRow).where(DeliveryRow.channel == "web_push")
        return list(tx.session.scalars(query.order_by(DeliveryRow.id)))


def test_each_version_reaches_the_browser_readable_only_with_its_key(
    wctx: AppContext, push: PushService
) -> None:
    ctx = wctx
    ana, bea = push.subscribe("ana"), push.subscribe("bea")
    subscribe_browser(ctx, ana)
    subscribe_browser(ctx, bea, place_kind="county", place="48113", language="es")
    alert = approved(ctx)
    drain(ctx)
    later = alert.content.model_copy(update={"instructions": "Call 911 at once."})
    use_cases.update_alert(
        ctx,
        actor="tx.kim",
        key=alert.reference,
        base=alert.current.number,
        content=later,
        note="more",
    )
    drain(ctx)
    use_cases.cancel_alert(ctx, actor="tx.kim", key=alert.reference, reason="caught")
    drain(ctx)
    assert push.refused == []
    assert [n["type"] for n in ana.read] == ["alert.published", "alert.updated", "alert.cancelled"]
    assert {n["reference"] for n in ana.read} == {alert.reference}
    assert ana.read[0]["url"] == f"{ctx.settings.base_url}/alerts/{alert.reference}"
    assert ana.read[0]["title"] == compose_public_text(alert.content, "en").headline
    assert bea.read[0]["title"] == compose_public_text(alert.content, "es").headline
    first = ana.headers[0]
    assert (first["urgency"], first["topic"]) == ("high", alert.reference)
    assert 0 < int(first["ttl"]) <= 30 * 3600
    assert ana.headers[2]["urgency"] == "normal"  # the cancel
    assert all(r.state == "sent" and r.detail == "HTTP 201" for r in receipts(ctx))
    assert len(receipts(ctx)) == 6


def test_a_subscription_the_push_service_reports_gone_is_removed_and_audited(
    wctx: AppContext, push: PushService
) -> None:
    ctx = wctx
    kept, left = push.subscribe("kept"), push.subscribe("left")
    subscribe_browser(ctx, kept)
    gone_id = subscribe_browser(ctx, left)
    missing = push.subscribe("missing")
    push.browsers.pop("/push/missing")  # never known to the push service: 404
    missing_id = subscribe_browser(ctx, missing)
    push.forget(left)  # the user revoked the permission: 410
    approved(ctx)
    drain(ctx, wait_for_retries=1.0)
    states = {r.recipient: (r.state, r.attempts, r.detail) for r in receipts(ctx)}
    assert states[f"s{gone_id}"][:2] == ("dead", 1)
    assert states[f"s{gone_id}"][2].startswith("gone: HTTP 410: push subscription has")
    assert states[f"s{missing_id}"][:2] == ("dead", 1)
    assert [s.address for s in list_subscriptions(ctx)] == [kept.endpoint]
    events = [json.loads(line) for line in export_audit(ctx)]
    removed = {e["subject_id"]: e for e in events if e["action"] == "subscription.removed"}
    assert sorted(removed) == sorted([str(gone_id), str(missing_id)])
    assert {e["actor"] for e in removed.values()} == {"dispatch"}
    assert removed[str(gone_id)]["data"]["reason"].startswith(
        "the web_push service reports it gone: HTTP 410"
    )
    assert "HTTP 404" in removed[str(missing_id)]["data"]["reason"]
    # The next alert is planned for the browser still subscribed only.
    approved(ctx)
    drain(ctx)
    assert len(kept.read) == 2


def test_a_push_signed_by_another_key_is_refused_and_the_subscription_kept(
    wctx: AppContext, push: PushService
) -> None:
    ctx = wctx
    browser = push.subscribe("ana")
    subscribe_browser(ctx, browser)
    push.server_key = b"\x04" + bytes(64)  # the browser subscribed with another node's key
    approved(ctx)
    drain(ctx, wait_for_retries=1.0)
    [receipt] = receipts(ctx)
    assert (receipt.state, receipt.attempts) == ("dead", 1)
    assert receipt.detail == "failed: HTTP 403: k is not the key the subscription was made with"
    assert len(list_subscriptions(ctx)) == 1


def test_an_exercise_never_reaches_a_browser(wctx: AppContext, push: PushService) -> None:
    browser = push.subscribe("ana")
    subscribe_browser(wctx, browser)
    approved(wctx, status="Exercise")
    approved(wctx, status="Test")
    drain(wctx)
    assert browser.read == []
    assert receipts(wctx) == []


def test_only_the_push_services_named_in_settings_may_be_subscribed(wctx: AppContext) -> None:
    browser = Browser("https://push.example/x", ec.generate_private_key(ec.SECP256R1()), b"a" * 16)
    with pytest.raises(InvalidInput, match=r"push\.example is not a push service this node sends"):
        subscribe_browser(wctx, browser)
    assert list_subscriptions(wctx) == []


def test_a_web_push_partner_is_refused(wctx: AppContext) -> None:
    with pytest.raises(Exception, match="web_push reaches a subscriber's browser"):
        partner(wctx, "Browser", "https://fcm.googleapis.com/x", channel="web_push")
