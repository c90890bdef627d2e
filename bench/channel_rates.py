"""Deliveries per second of the subscribers' channels, each against its stand-in on loopback.

One alert to `count` subscribers of one channel, from approval to the last receipt, in the
embedded mode, against the loopback receiver (which answers 200 to everything and decrypts
nothing: the figure is our side's cost, encryption and signing included):
- CAP push: the signed CAP POSTed to each;
- web push: each message encrypted to the subscriber's browser key (RFC 8291) with a VAPID
  token (RFC 8292), one browser key for all (the work is the same);
- Apprise through its json:// service, with the per-service rate lifted for the measurement
  (the shipped json:// limit is 50/s: the figure would only show the limit).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import insert

from bluealert.app.context import AppContext, transaction
from bluealert.dispatch import event_loop
from bluealert.dispatch.channels import apprise as apprise_channel
from bluealert.dispatch.engine import Dispatcher
from bluealert.store.tables import SubscriptionCountyRow, SubscriptionRow


def _browser_keys() -> dict[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    encode = base64.urlsafe_b64encode
    return {"p256dh": encode(point).rstrip(b"=").decode(), "auth": encode(b"a" * 16).decode()[:22]}


def _subscribers(ctx: AppContext, channel: str, address: Callable[[int], str], count: int) -> None:
    now = datetime.now(UTC)
    keys = _browser_keys() if channel == "web_push" else None
    rows = [{"id": n, "channel": channel, "address": address(n), "place_kind": "county",
             "place": "48113", "language": "en", "created_at": now, "confirmed_at": now,
             "unsubscribe_token": f"t{n}", "push_keys": keys}
            for n in range(1, count + 1)]  # fmt: skip
    with transaction(ctx) as tx:
        tx.session.execute(insert(SubscriptionRow), rows)
        reach = [{"county_fips": "48113", "subscription_id": n, "partial": False}
                 for n in range(1, count + 1)]  # fmt: skip
        tx.session.execute(insert(SubscriptionCountyRow), reach)


def channel_rate(
    app: Callable[..., AppContext],
    approve: Callable[[AppContext], float],
    sent: Callable[[AppContext], int],
    directory: Path,
    port: int,
    channel: str,
    count: int,
) -> float:
    """Deliveries per second of one channel to `count` subscribers on the loopback receiver."""
    # Each channel's shipped rate limit (a policy: CAP push 200/s, web push 1 000/s a worker)
    # is lifted: what is measured is the channel, not its brake.
    settings: dict[str, Any] = {
        "web_push_services": ["127.0.0.1"],
        "apprise_rate_per_second": 1e6,
        "cap_push_rate_per_second": 1e6,
        "web_push_rate_per_second": 1e6,
    }
    ctx = app(directory, **settings)
    addresses: dict[str, Callable[[int], str]] = {
        "cap_push": lambda n: f"http://127.0.0.1:{port}/cap/{n}",
        "web_push": lambda n: f"http://127.0.0.1:{port}/push/{n}",
        "apprise": lambda n: f"json://127.0.0.1:{port}/apprise/{n}",
    }
    _subscribers(ctx, channel, addresses[channel], count)
    lifted = apprise_channel.ServiceLimits(1e6)
    shipped = apprise_channel.SERVICES["json"]
    apprise_channel.SERVICES["json"] = lifted
    try:
        approved = approve(ctx)

        async def run() -> None:
            async with Dispatcher(ctx) as dispatcher:
                await dispatcher.drain()

        event_loop.run(run())
        elapsed = time.perf_counter() - approved
    finally:
        apprise_channel.SERVICES["json"] = shipped
    delivered = sent(ctx)
    ctx.engine.dispose()
    assert delivered == count, f"{channel}: only {delivered} of {count} sent"
    return count / elapsed
