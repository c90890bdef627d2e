"""Dispatch tests: a clock that runs from a fixed start, a real HTTP receiver on loopback,
and alerts taken through the real use cases to approval."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import insert

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, open_app, transaction
from bluealert.app.partners import add_partner
from bluealert.app.subscriptions import subscribe
from bluealert.config import Settings
from bluealert.domain.alert import Alert
from bluealert.domain.partner import Partner
from bluealert.domain.subscription import Subscription
from bluealert.domain.vocabulary import Claim
from bluealert.store import migrate
from bluealert.store.tables import SubscriptionCountyRow, SubscriptionRow
from tests import factories as f
from tests.conftest import _empty_postgres

START = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
# What the requesting supervisor attests at submission (the Texas plan asks for these).
CLAIMS = [
    Claim.OFFICER_STATUS_CONFIRMED,
    Claim.SUSPECT_NOT_APPREHENDED,
    Claim.SUSPECT_POSES_SERIOUS_RISK,
]


@dataclass
class RunningClock:
    """Starts at a fixed instant and runs with real time (retries fall due by themselves);
    `jump` moves it forward."""

    start: datetime = START
    offset: timedelta = timedelta()
    t0: float = field(default_factory=time.monotonic)

    def __call__(self) -> datetime:
        return self.start + self.offset + timedelta(seconds=time.monotonic() - self.t0)

    def jump(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture(autouse=True)
def _local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def running_clock() -> RunningClock:
    return RunningClock()


def dispatch_settings(tmp_path: Path, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "retry_base_seconds": 0.05,
        "webhook_timeout_seconds": 2.0,
        "delivery_lease_seconds": 30.0,
    }
    return Settings(**(values | changes))


@pytest.fixture
def dctx(
    backend: str, tmp_path: Path, running_clock: RunningClock, request: pytest.FixtureRequest
) -> Iterator[AppContext]:
    """The app on an empty database of each backend, with the running clock and the users."""
    url = request.getfixturevalue("postgres_url") if backend == "postgresql" else None
    app = open_app(dispatch_settings(tmp_path, database_url=url), clock=running_clock)
    if url:
        _empty_postgres(app)
    else:
        migrate.upgrade(app.engine)
    add_users(app)
    yield app
    app.engine.dispose()


@pytest.fixture
def sctx(tmp_path: Path, running_clock: RunningClock) -> Iterator[AppContext]:
    """SQLite only (the embedded mode)."""
    app = open_app(dispatch_settings(tmp_path), clock=running_clock)
    migrate.upgrade(app.engine)
    add_users(app)
    yield app
    app.engine.dispose()


def add_users(ctx: AppContext) -> None:
    with transaction(ctx) as tx:
        for user in (*f.ALL_USERS, f.user("ops", f.Role.ADMIN)):
            tx.users.add(user, ctx.clock())


def approved(ctx: AppContext, **overrides: Any) -> Alert:
    """An alert drafted, submitted and approved through the use cases."""
    content = f.alert_content(ctx.clock(), **overrides)
    alert = use_cases.draft_alert(ctx, actor="dep.odell", content=content)
    use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=CLAIMS)
    return use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)


def partner(ctx: AppContext, name: str, address: str, **fields: Any) -> int:
    data: dict[str, Any] = {
        "name": name,
        "kind": "media",
        "area": {"states": ["TX"]},
        "channel": "webhook",
        "address": address,
        "secret": "whsec_" + "c2VjcmV0LXNlY3JldC1zZWNyZXQtMTIzNDU2Nzg5MA==",
    }
    return add_partner(ctx, actor="ops", partner=Partner.model_validate(data | fields)).id


def subscriber(ctx: AppContext, address: str, channel: str = "webhook", **place: Any) -> int:
    where = place or {"place_kind": "county", "place": "48113"}
    return subscribe(
        ctx,
        actor="ops",
        subscription=Subscription.model_validate({"channel": channel, "address": address, **where}),
    )


def bulk_subscribers(ctx: AppContext, address: Callable[[int], str], count: int) -> None:
    """`count` confirmed webhook subscribers in Dallas County, numbered from 1, each at
    `address(n)`, inserted in bulk."""
    now = datetime.now(UTC)
    rows = [
        {
            "id": n, "channel": "webhook", "address": address(n), "place_kind": "county",
            "place": "48113", "language": "en", "created_at": now, "confirmed_at": now,
            "unsubscribe_token": f"t{n}",
        }
        for n in range(1, count + 1)
    ]  # fmt: skip
    reach = [
        {"county_fips": "48113", "subscription_id": n, "partial": False}
        for n in range(1, count + 1)
    ]
    with transaction(ctx) as tx:
        tx.session.execute(insert(SubscriptionRow), rows)
        tx.session.execute(insert(SubscriptionCountyRow), reach)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """A real HTTP server on loopback, in its own thread and event loop.

    Paths behave as named: /ok/… answers 200; /flaky/… 500 twice, then 200; /late-flaky/…
    the same, each 500 after 0.3 s (so a retry is settled well after whatever the dispatcher
    did meanwhile); /hang/… never answers; /gone/… 410; /slow/… 200 after a second. Every
    request is recorded with its arrival time."""

    def __init__(self, port: int = 0) -> None:
        self.port = port or free_port()
        self.hits: list[Hit] = []
        self._calls: dict[str, int] = {}
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def of(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == "/" + path.lstrip("/")]

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.hits.append(Hit(request.path, dict(request.headers), body, time.monotonic()))
        calls = self._calls[request.path] = self._calls.get(request.path, 0) + 1
        kind = request.path.split("/")[1]
        if kind in ("flaky", "late-flaky") and calls <= 2:
            if kind == "late-flaky":
                await asyncio.sleep(0.3)
            return web.Response(status=500)
        if kind == "hang":
            await asyncio.sleep(3600)
        if kind == "slow":
            await asyncio.sleep(1.0)
        if kind == "gone":
            return web.Response(status=410)
        return web.Response(status=200, text="ok")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        finally:
            self._loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        app = web.Application()
        app.router.add_route("POST", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", self.port).start()
        self._ready.set()
        await self._stop.wait()
        await runner.cleanup()

    def __enter__(self) -> Receiver:
        self._thread.start()
        assert self._ready.wait(10), "the receiver did not start"
        return self

    def __exit__(self, *_: object) -> None:
        assert self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running
