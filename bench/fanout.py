"""Fan-out benchmark: one alert to 100 000 webhook subscribers on loopback, and more.

Measured in one run, each next to a baseline against the same receiver:
- fan-out, embedded (SQLite, in-process) and scale-out (PostgreSQL + RabbitMQ, worker
  processes), from approval to the last receipt, against aiohttp alone sending the same
  requests (the ceiling: the engine's own body and headers, in a process of its own as the
  embedded engine is one, bench/aiohttp_ceiling.py) and Apprise sending them (timed on a
  sample: it sends one at a time). The ceiling and the embedded fan-out run back to back
  three times (--repeats): on a shared machine one pair can differ from the next by a third,
  so the figures are their medians, the ratio the median of each pair's;
- approval → first delivery latency, p50 and p99 over 100 alerts, with the embedded worker
  running (woken by the commit);
- emails per second to aiosmtpd through the email channel, against bare aiosmtplib;
- highway signs per second through the ntcip channel to local SNMP sign agents, against bare
  pysnmp GETs to the same agents;
- peak memory (RSS) of a process planning 1 000 000 deliveries;
- posts per second to the IPAWS-OPEN stand-in through the ipaws channel, against the bare zeep
  client posting the same signed message (the stand-in verifies each with xmlsec1);
- deliveries per second of CAP push, web push and Apprise, each against its stand-in
  (bench/channel_rates.py).

Every engine run and every baseline runs on uvloop, the loop `bluealert serve` runs the
embedded engine on (`dispatch.event_loop`); the receivers run in their own processes. Run:
.venv/bin/python bench/fanout.py [--recipients 100000] [--plan 1000000] [--workers 2]
[--repeats 3]; it ends with name=value lines.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from channel_rates import channel_rate as subscriber_channel_rate  # beside this file (on the path)
from sqlalchemy import func, insert, select

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, open_app, transaction
from bluealert.app.partners import add_partner
from bluealert.config import Settings
from bluealert.dispatch import event_loop
from bluealert.dispatch.engine import Dispatcher
from bluealert.dispatch.loopback import LoopbackReceiver, free_port
from bluealert.dispatch.planner import plan_item
from bluealert.domain.partner import Partner
from bluealert.domain.people import User
from bluealert.domain.vocabulary import Claim, Role
from bluealert.store import migrate
from bluealert.store.tables import DeliveryRow, SubscriptionCountyRow, SubscriptionRow

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
BROKER = "amqp://guest:guest@127.0.0.1:5672/"
BLUEALERT = str(Path(sys.executable).parent / "bluealert")
ORI = "TX0579900"
AGENCY = {"ori": ORI, "name": "Lone Prairie County Sheriff's Office (fictional)"}
SECRET = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtMTIzNDU2Nzg5MA=="
# The webhook channel's rate limit (5 000/s per worker by default) lifted for the fan-out: it
# measures what the engine can do, not the policy.
UNLIMITED = 1_000_000.0
CLAIMS = [
    Claim.OFFICER_STATUS_CONFIRMED,
    Claim.SUSPECT_NOT_APPREHENDED,
    Claim.SUSPECT_POSES_SERIOUS_RISK,
]


# -- receivers in their own processes ---------------------------------------------------------


def _serve_smtp(port: int, counter: Any) -> None:
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM})
    controller.stop()


@contextmanager
def smtp_receiver() -> Iterator[int]:
    port, counter = free_port(), mp.Value("l", 0)
    process = mp.Process(target=_serve_smtp, args=(port, counter), daemon=True)
    process.start()
    time.sleep(0.5)
    try:
        yield port
    finally:
        process.terminate()
        process.join(5)


# -- data -------------------------------------------------------------------------------------


def _users(ctx: AppContext) -> None:
    people = [
        User(
            username="dep.odell",
            display_name="d",
            roles=frozenset({Role.ORIGINATOR}),
            agency_ori=ORI,
        ),
        User(
            username="sgt.reyes",
            display_name="s",
            roles=frozenset({Role.SUPERVISOR}),
            agency_ori=ORI,
        ),
        User(
            username="tx.kim",
            display_name="k",
            roles=frozenset({Role.STATE_COORDINATOR}),
            states=frozenset({"TX"}),
        ),
        User(username="ops", display_name="o", roles=frozenset({Role.ADMIN})),
    ]
    with transaction(ctx) as tx:
        for person in people:
            tx.users.add(person, ctx.clock())


def _content(now: datetime) -> Any:
    from datetime import timedelta

    from bluealert.domain.content import AlertContent

    return AlertContent.model_validate(
        {
            "kind": "officer_seriously_injured",
            "plan": "TX",
            "requesting_agency": AGENCY,
            "incident": {
                "occurred_at": (now - timedelta(minutes=30)).isoformat(),
                "location": {"description": "I-35E at Loop 12, Dallas", "lat": 32.8, "lon": -96.8},
            },
            "officers": [{"agency": AGENCY, "status": "seriously_injured"}],
            "vehicles": [{"make": "Ford", "model": "F-150", "color": "grey",
                          "plate": {"state": "TX", "number": "KZT4??1"}}],
            "contact": "Call 911",
            "area": {"counties": ["48113"]},
        }
    )  # fmt: skip


def _approve(ctx: AppContext) -> float:
    """Approve a fresh alert; the wall-clock time of the approval's commit."""
    alert = use_cases.draft_alert(ctx, actor="dep.odell", content=_content(datetime.now(UTC)))
    use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=CLAIMS)
    use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)
    return time.perf_counter()


def _subscribers(ctx: AppContext, count: int, url: str, chunk: int = 20_000) -> None:
    now = datetime.now(UTC)
    for start in range(1, count + 1, chunk):
        stop = min(count + 1, start + chunk)
        rows = [
            {"id": n, "channel": "webhook", "address": f"{url}/{n}", "place_kind": "county",
             "place": "48113", "language": "en", "created_at": now, "confirmed_at": now,
             "unsubscribe_token": f"t{n}"}
            for n in range(start, stop)
        ]  # fmt: skip
        reach = [
            {"county_fips": "48113", "subscription_id": n, "partial": False}
            for n in range(start, stop)
        ]
        with transaction(ctx) as tx:
            tx.session.execute(insert(SubscriptionRow), rows)
            tx.session.execute(insert(SubscriptionCountyRow), reach)


def _sent(ctx: AppContext) -> int:
    with transaction(ctx) as tx:
        return (
            tx.session.scalar(
                select(func.count()).select_from(DeliveryRow).where(DeliveryRow.state == "sent")
            )
            or 0
        )


def _sqlite_app(directory: Path, **settings: Any) -> AppContext:
    ctx = open_app(Settings(data_dir=directory, **settings))
    migrate.upgrade(ctx.engine)
    _users(ctx)
    return ctx


# -- the figures ------------------------------------------------------------------------------


def engine_body(directory: Path) -> Path:
    """The JSON body the webhook channel sends a subscriber for the benchmark's alert (the
    public tier, signed CAP included), rendered as the engine renders it, saved for the
    ceiling to send."""
    from bluealert.dispatch.channels.payload import body
    from bluealert.dispatch.publication import build_publication
    from bluealert.dispatch.rendering import photo_type
    from bluealert.domain.delivery import Event
    from bluealert.store.renderings import RenderingRepository

    ctx = _sqlite_app(directory)
    _approve(ctx)
    with transaction(ctx) as tx:
        [item] = tx.outbox.pending()
    plan_item(ctx, item.id)
    with transaction(ctx) as tx:
        alert = tx.alerts.get(item.alert_id)
        rendered = RenderingRepository(tx.session).of_version(alert.id, item.version)
    publication = build_publication(
        alert, item.version, Event(item.kind.value), rendered, photo_type(alert)
    )
    ctx.engine.dispose()
    path = directory / "body.json"
    path.write_text(body(publication.public, ("cap",)))
    return path


def ceiling(port: int, count: int, body_file: Path) -> tuple[float, float]:
    """aiohttp alone in its own process (bench/aiohttp_ceiling.py): the engine's body and
    headers (a subscriber's request signed as the engine signs it: Standard Webhooks v1a,
    Ed25519), 256 in flight, nothing recorded. (requests/s, requests per CPU second)"""
    script = Path(__file__).with_name("aiohttp_ceiling.py")
    found = subprocess.run(
        [sys.executable, str(script), "--port", str(port), "--count", str(count),
         "--body-file", str(body_file)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    figures = dict(line.split("=", 1) for line in found.split())
    return float(figures["ceiling_per_s"]), float(figures["ceiling_cpu_per_s"])


def apprise_rate(port: int, sample: int) -> float:
    """Apprise's json:// notifier to the same receiver, timed on a sample (one at a time)."""
    import apprise

    notifier = apprise.Apprise()
    notifier.add(f"json://127.0.0.1:{port}/hook")
    start = time.perf_counter()
    for n in range(sample):
        notifier.notify(title=f"Blue Alert {n}", body="I-35E at Loop 12, Dallas: grey Ford F-150")
    return sample / (time.perf_counter() - start)


def embedded_fan_out(directory: Path, port: int, count: int) -> tuple[float, float, float]:
    """(deliveries per second, seconds, deliveries per CPU second of this process)."""
    ctx = _sqlite_app(directory, webhook_rate_per_second=UNLIMITED)
    _subscribers(ctx, count, f"http://127.0.0.1:{port}/hook")
    approved = _approve(ctx)
    cpu = time.process_time()

    async def run() -> None:
        async with Dispatcher(ctx) as dispatcher:
            await dispatcher.drain()

    event_loop.run(run())
    elapsed = time.perf_counter() - approved
    cpu_seconds = time.process_time() - cpu
    sent = _sent(ctx)
    ctx.engine.dispose()
    assert sent == count, f"only {sent} of {count} sent"
    return count / elapsed, elapsed, count / cpu_seconds


def scale_out_fan_out(directory: Path, port: int, count: int, workers: int) -> tuple[float, float]:
    name = f"bluealert_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    queue = f"bluealert.bench.{uuid.uuid4().hex[:8]}"
    ctx = _sqlite_app(directory, database_url=url)
    _subscribers(ctx, count, f"http://127.0.0.1:{port}/hook")
    env = dict(os.environ, BLUEALERT_DATA_DIR=str(directory), BLUEALERT_DATABASE_URL=url,
               BLUEALERT_BROKER_URL=BROKER, BLUEALERT_BROKER_QUEUE=queue,
               BLUEALERT_WEBHOOK_RATE_PER_SECOND=str(UNLIMITED))  # fmt: skip
    processes = [
        subprocess.Popen([BLUEALERT, "worker", "--consumers", "4"], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]  # fmt: skip
    try:
        time.sleep(3)
        approved = _approve(ctx)
        while _sent(ctx) < count:
            time.sleep(0.1)
        elapsed = time.perf_counter() - approved
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(30)
        ctx.engine.dispose()
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for suffix in ("", ".dead"):
            subprocess.run(["rabbitmqctl", "delete_queue", queue + suffix], capture_output=True)
    return count / elapsed, elapsed


def first_delivery_latency(directory: Path, hook: LoopbackReceiver, alerts: int) -> list[float]:
    ctx = _sqlite_app(directory)
    partner = {"name": "TV", "kind": "media", "area": {"states": ["TX"]}, "channel": "webhook",
               "address": hook.url("tv"), "secret": SECRET}  # fmt: skip
    add_partner(ctx, actor="ops", partner=Partner.model_validate(partner))

    async def run() -> list[float]:
        latencies = []
        async with Dispatcher(ctx) as dispatcher:
            await dispatcher.start()
            for _ in range(alerts):
                before = hook.count
                approved = await asyncio.to_thread(_approve, ctx)
                while hook.count == before:
                    await asyncio.sleep(0.001)
                latencies.append(time.perf_counter() - approved)
        return latencies

    found = event_loop.run(run())
    ctx.engine.dispose()
    return found


def emails(directory: Path, port: int, count: int) -> tuple[float, float]:
    """(email channel, bare aiosmtplib) messages per second to the same aiosmtpd."""
    import aiosmtplib

    # The shipped 200 mails a second per worker is a policy for real mail servers: lifted here.
    ctx = _sqlite_app(
        directory, smtp_url=f"smtp://127.0.0.1:{port}", email_rate_per_second=UNLIMITED
    )
    now = datetime.now(UTC)
    ids = range(1, count + 1)
    rows = [{"id": n, "channel": "email", "address": f"s{n}@example.org", "place_kind": "county",
             "place": "48113", "language": "en", "created_at": now, "confirmed_at": now,
             "unsubscribe_token": f"t{n}"} for n in ids]  # fmt: skip
    with transaction(ctx) as tx:
        tx.session.execute(insert(SubscriptionRow), rows)
        reach = [{"county_fips": "48113", "subscription_id": n, "partial": False} for n in ids]
        tx.session.execute(insert(SubscriptionCountyRow), reach)
    approved = _approve(ctx)

    async def engine() -> None:
        async with Dispatcher(ctx) as dispatcher:
            await dispatcher.drain()

    event_loop.run(engine())
    channel_rate = count / (time.perf_counter() - approved)
    message = (
        b"From: a@example.org\r\nTo: b@example.org\r\nSubject: Blue Alert\r\n\r\n"
        + (b"x" * 76 + b"\r\n") * 80
    )

    async def bare() -> float:
        clients = [aiosmtplib.SMTP(hostname="127.0.0.1", port=port) for _ in range(8)]
        for client in clients:
            await client.connect()
        start = time.perf_counter()

        async def send(client: Any, ns: range) -> None:
            for n in ns:
                await client.sendmail("a@example.org", [f"s{n}@example.org"], message)

        await asyncio.gather(*(send(c, range(i, count, 8)) for i, c in enumerate(clients)))
        rate = count / (time.perf_counter() - start)
        for client in clients:
            await client.quit()
        return rate

    bare_rate = event_loop.run(bare())
    ctx.engine.dispose()
    return channel_rate, bare_rate


def _plan_only(directory: str, count: int, queue: Any) -> None:
    ctx = open_app(Settings(data_dir=Path(directory)))
    with transaction(ctx) as tx:
        [item] = tx.outbox.pending()
    start = time.perf_counter()
    plan = plan_item(ctx, item.id)
    assert plan is not None
    assert plan.subscribers == count, plan
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((time.perf_counter() - start, peak_kib / 1024))


def planning_memory(directory: Path, count: int) -> tuple[float, float]:
    """(seconds, peak MiB) of a fresh process planning `count` subscribers' deliveries."""
    ctx = _sqlite_app(directory)
    _subscribers(ctx, count, "http://127.0.0.1:9/hook", chunk=50_000)
    _approve(ctx)
    ctx.engine.dispose()
    queue: Any = mp.get_context("spawn").Queue()
    process = mp.get_context("spawn").Process(
        target=_plan_only, args=(str(directory), count, queue)
    )
    process.start()
    seconds, peak = queue.get(timeout=900)
    process.join(30)
    return seconds, peak


def ipaws(directory: Path, count: int) -> tuple[float, float]:
    """(ipaws channel, bare zeep client) posts per second to the IPAWS stand-in: `count`
    IPAWS partners of one alert, then the same signed message `count` times from 4 threads."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import timedelta

    from bluealert.dispatch.ipaws import CogAccount, CogProfile, IpawsAccount, IpawsClient
    from bluealert.dispatch.ipaws.identities import stand_in_identity
    from bluealert.dispatch.ipaws.standin import IpawsStandIn

    now = datetime.now(UTC)
    key, cert = stand_in_identity(
        directory, 120999, now - timedelta(days=1), now + timedelta(days=1)
    )
    profile = CogProfile(120999, "bench COG", all_event_codes=True, all_geo_codes=True)
    with IpawsStandIn(
        [CogAccount(profile, "bench", cert.read_bytes())], directory / "s"
    ) as stand_in:
        settings = {"ipaws_url": stand_in.url, "ipaws_cog_id": 120999, "ipaws_user": "bench"}
        settings |= {"ipaws_key": key, "ipaws_cert": cert, "ipaws_rate_per_second": 10_000.0}
        ctx = _sqlite_app(directory, **settings)
        for n in range(count):
            data = {"name": f"IPAWS {n}", "kind": "ipaws", "area": {"states": ["TX"]}}
            data |= {"channel": "ipaws", "address": "120999"}
            add_partner(ctx, actor="ops", partner=Partner.model_validate(data))
        approved = _approve(ctx)

        async def engine() -> None:
            async with Dispatcher(ctx) as dispatcher:
                await dispatcher.drain()

        event_loop.run(engine())
        channel_rate = count / (time.perf_counter() - approved)
        assert _sent(ctx) == count, "every IPAWS post accepted"
        signed = str(stand_in.posts()[0]["cap"]).encode()
        account = IpawsAccount(stand_in.url, 120999, "bench", key, cert)
        clients = [IpawsClient(account) for _ in range(4)]
        start = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda n: clients[n % 4].post_cap(signed), range(count)))
        bare_rate = count / (time.perf_counter() - start)
        ctx.engine.dispose()
    return channel_rate, bare_rate


# -- the run ----------------------------------------------------------------------------------


def signs(directory: Path, count: int) -> tuple[float, float]:
    """(sign deliveries/s through the ntcip channel, bare pysnmp GETs/s) against `count` local
    sign agents in their own process: each delivery is eight SNMP requests to its sign. Timed
    on a second alert (an update of every sign), approval to the last receipt."""
    from bluealert.dispatch.channels.ntcip_mib import DMS_MSG_TABLE_SOURCE
    from bluealert.dispatch.channels.snmp import SnmpClient

    agent = subprocess.Popen(
        [sys.executable, "-m", "bluealert.dispatch.sign_agent", "--signs", str(count),
         "--port", "0", "--community", "bench"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert agent.stdout is not None
        ports = [int(agent.stdout.readline().rsplit(":", 1)[1]) for _ in range(count)]
        ctx = _sqlite_app(directory)
        for n, port in enumerate(ports):
            sign = {"name": f"sign {n}", "kind": "sign_system", "area": {"counties": ["48113"]},
                    "channel": "ntcip", "address": f"127.0.0.1:{port}", "secret": "bench",
                    "formats": ["dms"], "sign": {}}  # fmt: skip
            add_partner(ctx, actor="ops", partner=Partner.model_validate(sign))

        async def engine() -> float:
            async with Dispatcher(ctx) as dispatcher:
                await asyncio.to_thread(_approve, ctx)
                await dispatcher.drain()  # the first alert warms pysnmp and the transports
                before = _sent(ctx)
                approved = await asyncio.to_thread(_approve, ctx)  # each sign's other slot
                await dispatcher.drain()
                return (_sent(ctx) - before) / (time.perf_counter() - approved)

        rate = event_loop.run(engine())
        ctx.engine.dispose()

        async def bare() -> float:
            client = SnmpClient(timeout=2.0, retries=0)
            for port in ports:  # warm, as the channel is
                await client.get("127.0.0.1", port, "bench", DMS_MSG_TABLE_SOURCE)
            start = time.perf_counter()
            for _ in range(4):
                await asyncio.gather(
                    *(client.get("127.0.0.1", p, "bench", DMS_MSG_TABLE_SOURCE) for p in ports)
                )
            client.close()
            return 4 * count / (time.perf_counter() - start)

        return rate, event_loop.run(bare())
    finally:
        agent.terminate()
        agent.wait(10)


def _line(text: str) -> None:
    print(text, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--plan", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--repeats", type=int, default=3, help="ceiling and embedded runs, back to back: medians"
    )
    parser.add_argument("--alerts", type=int, default=100)
    parser.add_argument("--emails", type=int, default=2000)
    parser.add_argument("--apprise-sample", type=int, default=500)
    parser.add_argument("--ipaws", type=int, default=200, help="IPAWS posts (stand-in)")
    parser.add_argument("--signs", type=int, default=50)
    parser.add_argument("--per-channel", type=int, default=2000)
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with LoopbackReceiver(root / "hits.txt") as hook:
            port = hook.port
            _line(f"fan-out of one alert to {args.recipients:,} webhook subscribers (loopback)")
            sample = engine_body(root / "sample")
            size = sample.stat().st_size
            _line(f"  ceiling: aiohttp alone in its own process, the engine's {size:,}-byte body "
                  "and headers; embedded: SQLite, one process, approval → last receipt, "
                  "planning included, no rate limit; run back to back, "
                  f"{args.repeats} times")  # fmt: skip
            pairs = []
            for n in range(args.repeats):
                top, top_cpu = ceiling(port, args.recipients, sample)
                embedded, seconds, per_cpu = embedded_fan_out(
                    root / f"embedded{n}", port, args.recipients
                )
                pairs.append((top, top_cpu, embedded, per_cpu))
                _line(f"  {n + 1}: ceiling {top:7,.0f} requests/s ({top_cpu:,.0f} per CPU s), "
                      f"embedded {embedded:7,.0f} deliveries/s ({seconds:.1f} s, {per_cpu:,.0f} "
                      f"per CPU s): {embedded / top:.3f} of the ceiling")  # fmt: skip
            top, top_cpu, embedded, per_cpu = (
                statistics.median(pair[i] for pair in pairs) for i in range(4)
            )
            ratio = statistics.median(e / c for c, _, e, _ in pairs)
            _line(f"  medians: ceiling {top:,.0f}/s, embedded {embedded:,.0f}/s, "
                  f"ratio {ratio:.3f}")  # fmt: skip
            apprise = apprise_rate(port, args.apprise_sample)
            _line(f"  Apprise (sample of {args.apprise_sample}):       {apprise:10,.0f} requests/s")
            scaled, scaled_seconds = scale_out_fan_out(
                root / "scale", port, args.recipients, args.workers
            )
            _line(f"  scale-out ({args.workers} workers, PG+RabbitMQ): {scaled:8,.0f}/s  "
                  f"({scaled_seconds:.1f} s)")  # fmt: skip
            latencies = sorted(first_delivery_latency(root / "latency", hook, args.alerts))
            rates = {
                name: subscriber_channel_rate(_sqlite_app, _approve, _sent, root / name, port, name,
                                   args.per_channel)
                for name in ("cap_push", "web_push", "apprise")
            }  # fmt: skip
            for name, rate in rates.items():
                _line(f"  {name} to {args.per_channel:,} subscribers: {rate:10,.0f} deliveries/s")
        p50 = statistics.median(latencies)
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        _line(f"approval → first delivery over {args.alerts} alerts: p50 {p50 * 1000:.0f} ms, "
              f"p99 {p99 * 1000:.0f} ms (goal p99 < 1 s)")  # fmt: skip
        with smtp_receiver() as smtp_port:
            channel_rate, bare_rate = emails(root / "email", smtp_port, args.emails)
        _line(f"emails to aiosmtpd: {channel_rate:,.0f}/s through the email channel, "
              f"{bare_rate:,.0f}/s bare aiosmtplib")  # fmt: skip
        ipaws_rate, ipaws_bare = ipaws(root / "ipaws", args.ipaws)
        _line(f"IPAWS-OPEN stand-in: {ipaws_rate:,.1f} posts/s through the ipaws channel, "
              f"{ipaws_bare:,.1f}/s bare zeep client (xmlsec1 verifies each)")  # fmt: skip
        sign_rate, snmp_rate = signs(root / "signs", args.signs)
        _line(f"highway signs ({args.signs} local NTCIP sign agents): {sign_rate:,.1f}/s "
              f"through the ntcip channel, {snmp_rate:,.0f} bare SNMP GETs/s")  # fmt: skip
        plan_seconds, peak = planning_memory(root / "plan", args.plan)
        _line(f"planning {args.plan:,} deliveries: {plan_seconds:.1f} s, peak RSS {peak:,.0f} MiB "
              "(goal < 1 GiB)")  # fmt: skip
    per_worker = scaled / args.workers
    needed = 2_000_000 / (5 * 60 * per_worker)
    _line(
        f"workers for 2 000 000 recipients in 5 minutes at {per_worker:,.0f}/s each: {needed:.1f}"
    )
    # The same from CPU time, which a loaded machine does not distort: one worker per core.
    needed_cores = 2_000_000 / (5 * 60 * per_cpu)
    _line(f"  by CPU: {per_cpu:,.0f} deliveries per CPU second → {needed_cores:.1f} cores")
    _line(f"total {time.perf_counter() - started:.0f} s")
    figures = {
        "ceiling_per_s": top,
        "ceiling_per_cpu_s": top_cpu,
        "apprise_per_s": apprise,
        "embedded_per_s": embedded,
        "scale_out_per_s": scaled,
        "ratio_to_ceiling": ratio,
        "ratio_to_apprise": embedded / apprise,
        "scale_out_ratio_to_ceiling": scaled / top,
        "first_delivery_p50_s": p50,
        "first_delivery_p99_s": p99,
        "emails_per_s": channel_rate,
        "bare_aiosmtplib_per_s": bare_rate,
        "ipaws_per_s": ipaws_rate,
        "ipaws_bare_zeep_per_s": ipaws_bare,
        "sign_deliveries_per_s": sign_rate,
        "bare_snmp_gets_per_s": snmp_rate,
        "plan_1m_seconds": plan_seconds,
        "plan_1m_peak_mib": peak,
        "deliveries_per_cpu_s": per_cpu,
        "workers_for_2m_in_5min": needed,
        "cores_for_2m_in_5min": needed_cores,
        **{f"{name}_channel_per_s": rate for name, rate in rates.items()},
    }
    for name, value in figures.items():
        print(f"{name}={value:.3f}")


if __name__ == "__main__":
    main()
