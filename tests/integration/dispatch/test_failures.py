"""Crashes and restarts in the middle of a fan-out to 20 000 recipients, on real servers:
SIGKILL of the embedded `dispatch --once` (SQLite) and of a scale-out `worker` (PostgreSQL +
RabbitMQ), and RabbitMQ itself restarted. Afterwards every recipient has exactly one receipt,
sent, and none is missing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, open_app, transaction
from bluealert.config import Settings
from bluealert.dispatch.loopback import LoopbackReceiver
from bluealert.store import migrate
from bluealert.store.tables import DeliveryRow
from tests import factories as f
from tests.children import dying_with_the_tests
from tests.conftest import POSTGRES_ADMIN
from tests.integration.dispatch.conftest import CLAIMS, add_users, bulk_subscribers
from tests.waiting import wait_for

RECIPIENTS = 20_000
BROKER = "amqp://guest:guest@127.0.0.1:5672/"
BLUEALERT = str(Path(sys.executable).parent / "bluealert")


def _subscribers(ctx: AppContext, receiver: LoopbackReceiver, count: int = RECIPIENTS) -> None:
    bulk_subscribers(ctx, lambda n: receiver.url(f"ok/{n}"), count)


def _approve(ctx: AppContext) -> None:
    content = f.alert_content(datetime.now(UTC), area={"counties": ["48113"]})
    alert = use_cases.draft_alert(ctx, actor="dep.odell", content=content)
    use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=CLAIMS)
    use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)


def _receipts(ctx: AppContext) -> tuple[int, int, Counter[str]]:
    """(receipts, distinct recipients, receipts by state)."""
    with transaction(ctx) as tx:
        total = tx.session.scalar(select(func.count()).select_from(DeliveryRow)) or 0
        distinct = tx.session.scalar(select(func.count(func.distinct(DeliveryRow.recipient)))) or 0
        states = Counter(dict(tx.session.execute(  # type: ignore[arg-type]
            select(DeliveryRow.state, func.count()).group_by(DeliveryRow.state)
        ).all()))  # fmt: skip
    return total, distinct, states


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            dying_with_the_tests(BLUEALERT, *args), env=env, stdout=out, stderr=subprocess.STDOUT
        )


def _assert_everyone_exactly_once(ctx: AppContext, receiver: LoopbackReceiver) -> None:
    total, distinct, states = _receipts(ctx)
    assert (total, distinct) == (RECIPIENTS, RECIPIENTS)
    assert states == {"sent": RECIPIENTS}
    hits = receiver.hits()
    assert len({path for path, _ in hits}) == RECIPIENTS  # none missing
    by_path = dict(hits)
    assert len(set(by_path.values())) == RECIPIENTS
    for path, key in hits:  # a repeat after the crash carries the same webhook-id
        assert by_path[path] == key


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[LoopbackReceiver]:
    with LoopbackReceiver(tmp_path / "hits.txt") as running:
        yield running


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = dict(os.environ)
    values.update(BLUEALERT_DATA_DIR=str(tmp_path), BLUEALERT_DELIVERY_LEASE_SECONDS="5",
                  BLUEALERT_RETRY_BASE_SECONDS="0.2", TZ="America/Chicago")  # fmt: skip
    values.pop("BLUEALERT_DATABASE_URL", None)
    values.pop("BLUEALERT_BROKER_URL", None)
    return values


def test_sigkill_mid_fan_out_embedded_then_restart(
    tmp_path: Path, env: dict[str, str], receiver: LoopbackReceiver
) -> None:
    ctx = open_app(Settings(data_dir=tmp_path))
    migrate.upgrade(ctx.engine)
    add_users(ctx)
    _subscribers(ctx, receiver)
    _approve(ctx)
    log = tmp_path / "dispatch.log"
    first = _start(["dispatch", "--once"], env, log)
    wait_for(lambda: receiver.count >= RECIPIENTS // 4, 300, "a quarter of the fan-out")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert receiver.count < RECIPIENTS  # killed in the middle
    second = _start(["dispatch", "--once"], env, log)
    assert second.wait(400) == 0, log.read_text()[-3000:]
    _assert_everyone_exactly_once(ctx, receiver)
    ctx.engine.dispose()


@pytest.fixture
def scale_out(env: dict[str, str], tmp_path: Path) -> Iterator[tuple[AppContext, dict[str, str]]]:
    name = f"bluealert_fail_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    queue = f"bluealert.test.{uuid.uuid4().hex[:8]}"
    ctx = open_app(Settings(data_dir=tmp_path, database_url=url))
    migrate.upgrade(ctx.engine)
    add_users(ctx)
    env = env | {"BLUEALERT_DATABASE_URL": url, "BLUEALERT_BROKER_URL": BROKER,
                 "BLUEALERT_BROKER_QUEUE": queue}  # fmt: skip
    yield ctx, env
    ctx.engine.dispose()
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for suffix in ("", ".dead"):
        subprocess.run(["rabbitmqctl", "delete_queue", queue + suffix], capture_output=True)


def _stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)


def _sent(ctx: AppContext) -> int:
    return _receipts(ctx)[2]["sent"]


def test_sigkill_of_a_worker_mid_fan_out_scale_out_then_restart(
    scale_out: tuple[AppContext, dict[str, str]], receiver: LoopbackReceiver, tmp_path: Path
) -> None:
    ctx, env = scale_out
    _subscribers(ctx, receiver)
    log = tmp_path / "workers.log"
    workers = [_start(["worker", "--consumers", "4"], env, log) for _ in range(2)]
    try:
        time.sleep(1.5)  # both listening
        _approve(ctx)  # NOTIFY on commit wakes them
        wait_for(lambda: receiver.count >= RECIPIENTS // 4, 300, "a quarter of the fan-out")
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(10)
        assert receiver.count < RECIPIENTS
        workers[0] = _start(["worker", "--consumers", "4"], env, log)
        wait_for(lambda: _sent(ctx) == RECIPIENTS, 400, "every delivery sent", 0.5, log)
    finally:
        _stop(workers)
    _assert_everyone_exactly_once(ctx, receiver)


def test_rabbitmq_restarted_mid_fan_out(
    scale_out: tuple[AppContext, dict[str, str]], receiver: LoopbackReceiver, tmp_path: Path
) -> None:
    ctx, env = scale_out
    _subscribers(ctx, receiver)
    log = tmp_path / "workers.log"
    workers = [_start(["worker", "--consumers", "4"], env, log) for _ in range(2)]
    try:
        time.sleep(1.5)
        _approve(ctx)
        wait_for(lambda: receiver.count >= RECIPIENTS // 4, 300, "a quarter of the fan-out")
        subprocess.run(["rabbitmqctl", "stop_app"], check=True, capture_output=True, timeout=60)
        stopped_at = receiver.count
        subprocess.run(["rabbitmqctl", "start_app"], check=True, capture_output=True, timeout=60)
        assert stopped_at < RECIPIENTS  # restarted in the middle
        wait_for(lambda: _sent(ctx) == RECIPIENTS, 400, "every delivery sent", 0.5, log)
    finally:
        subprocess.run(["rabbitmqctl", "start_app"], capture_output=True, timeout=60)
        _stop(workers)
    _assert_everyone_exactly_once(ctx, receiver)
