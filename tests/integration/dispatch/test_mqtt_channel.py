"""MQTT against the local Mosquitto: QoS 1, one topic per county, active alerts retained and
cleared on cancel, resolve and expiry (what a sign controller that connects later sees)."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import aiomqtt

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext
from bluealert.dispatch.engine import Dispatcher
from bluealert.domain.vocabulary import Resolution
from tests.integration.dispatch.conftest import RunningClock, approved, partner

BROKER = ("127.0.0.1", 1883)


def _drain(ctx: AppContext) -> None:
    async def run() -> None:
        async with Dispatcher(ctx) as dispatcher:
            await dispatcher.drain()

    asyncio.run(run())


async def _collect(prefix: str, seconds: float = 0.6) -> dict[str, bytes]:
    """Connect afresh (like a sign controller after a reboot): what is retained under prefix."""
    found: dict[str, bytes] = {}
    async with aiomqtt.Client(*BROKER, identifier=f"probe-{uuid.uuid4().hex[:8]}") as client:
        await client.subscribe(f"{prefix}/#", qos=1)
        try:
            async with asyncio.timeout(seconds):
                async for message in client.messages:
                    found[str(message.topic)] = bytes(message.payload)  # type: ignore[arg-type]
        except TimeoutError:
            pass
    return {t: p for t, p in found.items() if p}


def retained(prefix: str) -> dict[str, bytes]:
    return asyncio.run(_collect(prefix))


def _prefix() -> str:
    return f"test-{uuid.uuid4().hex[:10]}/bluealert/v1"


def test_active_alert_is_retained_per_county_and_a_cancel_clears_it(sctx: AppContext) -> None:
    prefix = _prefix()
    partner(sctx, "Sign controller", prefix, kind="sign_system", channel="mqtt",
            formats=["dms"], area={"counties": ["48113"]})  # fmt: skip
    alert = approved(sctx)
    _drain(sctx)
    found = retained(prefix)
    expected = {f"{prefix}/TX/{c}/BLU/{alert.reference}" for c in ("48121", "48113")}
    assert set(found) == expected
    payload: dict[str, Any] = json.loads(next(iter(found.values())))
    assert payload["type"] == "alert.published"
    assert payload["data"]["formats"]["dms"]  # the sign's MULTI pages
    use_cases.cancel_alert(sctx, actor="tx.kim", key=alert.reference, reason="error")
    _drain(sctx)
    assert retained(prefix) == {}


def test_an_update_replaces_and_clears_counties_left_and_expiry_clears(
    sctx: AppContext, running_clock: RunningClock
) -> None:
    prefix = _prefix()
    partner(sctx, "Billboards", prefix, kind="sign_system", channel="mqtt")
    alert = approved(sctx)
    _drain(sctx)
    smaller = alert.content.model_copy(
        update={"area": alert.content.area.model_copy(update={"counties": ["48113"]})}
    )
    use_cases.update_alert(
        sctx,
        actor="tx.kim",
        key=alert.reference,
        base=alert.current.number,
        content=smaller,
        note="n",
    )
    _drain(sctx)
    found = retained(prefix)
    assert list(found) == [f"{prefix}/TX/48113/BLU/{alert.reference}"]
    assert json.loads(found[next(iter(found))])["data"]["alert"]["version"] == 2
    running_clock.jump(days=3)
    use_cases.expire_due_alerts(sctx)
    _drain(sctx)
    assert retained(prefix) == {}


def test_a_resolution_is_published_live_then_cleared(sctx: AppContext) -> None:
    prefix = _prefix()
    partner(sctx, "Billboards", prefix, kind="sign_system", channel="mqtt")
    alert = approved(sctx)
    _drain(sctx)

    async def watch_resolution() -> list[tuple[str, bytes]]:
        seen: list[tuple[str, bytes]] = []
        async with aiomqtt.Client(*BROKER, identifier=f"live-{uuid.uuid4().hex[:8]}") as client:
            await client.subscribe(f"{prefix}/TX/48113/#", qos=1)
            await asyncio.to_thread(
                use_cases.resolve_alert, sctx, actor="tx.kim", key=alert.reference,
                resolution=Resolution.SUSPECT_APPREHENDED,
            )  # fmt: skip
            async with Dispatcher(sctx) as dispatcher:
                await dispatcher.drain()
            try:
                async with asyncio.timeout(1.0):
                    async for message in client.messages:
                        seen.append((str(message.topic), bytes(message.payload)))  # type: ignore[arg-type]
            except TimeoutError:
                pass
        return seen

    seen = asyncio.run(watch_resolution())
    live = [json.loads(p) for _, p in seen if p]
    assert [m["type"] for m in live] == ["alert.published", "alert.resolved"]  # retained first
    assert seen[-1][1] == b""  # then the retained message cleared
    assert retained(prefix) == {}
