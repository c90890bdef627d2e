"""The demo's dissemination part: local stand-ins for a newsroom's webhook, a mail server
(aiosmtpd), the sign network's MQTT broker (the machine's Mosquitto), FEMA's IPAWS-OPEN
(bluealert's own stand-in, which verifies signatures with xmlsec1) and a highway sign (the
local NTCIP 1203 sign agent), partners and subscribers registered against them, and the
alert going out with a live progress bar."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from typing import Any

from aiohttp import web
from aiosmtpd.controller import Controller
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from bluealert.app.context import AppContext
from bluealert.app.deliveries import delivery_status
from bluealert.app.partners import add_partner, list_partners
from bluealert.app.subscriptions import subscribe
from bluealert.cli.deliveries_commands import status_table
from bluealert.cli.output import console
from bluealert.dispatch import Dispatcher
from bluealert.dispatch.ipaws.answers import PostAnswer
from bluealert.dispatch.ipaws.cog import CogProfile
from bluealert.dispatch.ipaws.identities import stand_in_identity
from bluealert.dispatch.ipaws.standin import CogAccount, IpawsStandIn
from bluealert.dispatch.sign_agent import SignAgent
from bluealert.dispatch.sign_mib import SignConfig
from bluealert.domain.alert import Alert
from bluealert.domain.partner import Partner
from bluealert.domain.subscription import Subscription

MQTT = ("127.0.0.1", 1883)
DEMO_COG = 120999  # fictional: FEMA issues the real ones
SIGN_COMMUNITY = "demo-rw-community"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    """What the local stand-ins received."""

    web_port: int = 0
    webhooks: list[dict[str, Any]] = field(default_factory=list)
    emails: list[tuple[list[str], bytes]] = field(default_factory=list)
    ipaws: IpawsStandIn | None = None
    sign: SignAgent | None = None
    announce: Callable[[str], None] | None = None  # told of each arrival, while serving

    def arrived(self, what: str) -> None:
        if self.announce is not None:
            self.announce(what)


class _Mail:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.inbox.emails.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        subject = message_from_bytes(envelope.content, policy=default)["Subject"]
        self.inbox.arrived(f"mail to {', '.join(envelope.rcpt_tos)}: {subject}")
        return "250 OK"


@contextmanager
def _on_own_loop(
    serve: Callable[[threading.Event, asyncio.Event], Awaitable[None]],
) -> Iterator[None]:
    """Run `serve(ready, stop)` on a thread and event loop of its own, from when it sets `ready`
    until the block ends (then `stop` is set and the thread joined)."""
    loop = asyncio.new_event_loop()
    ready, stop = threading.Event(), asyncio.Event()
    thread = threading.Thread(
        target=lambda: loop.run_until_complete(serve(ready, stop)), daemon=True
    )
    thread.start()
    ready.wait(10)
    try:
        yield
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()


def _sign_agent(inbox: Inbox, port: int) -> AbstractContextManager[None]:
    """The highway sign, a 3x18 NTCIP 1203 sign agent, on its own thread and event loop."""
    inbox.sign = SignAgent(SignConfig(name="I-35E NB", community=SIGN_COMMUNITY), port=port)

    async def serve(ready: threading.Event, stop: asyncio.Event) -> None:
        assert inbox.sign is not None
        async with inbox.sign:
            ready.set()
            await stop.wait()

    return _on_own_loop(serve)


def _webhook_receiver(inbox: Inbox, port: int) -> AbstractContextManager[None]:
    async def handle(request: web.Request) -> web.Response:
        body: dict[str, Any] = await request.json()
        hook = {"path": request.path, "id": request.headers.get("webhook-id"), **body}
        inbox.webhooks.append(hook)
        alert = body.get("data", {}).get("alert", {})
        inbox.arrived(
            f"webhook {request.path}: {hook.get('type')} of {alert.get('reference')} "
            f"v{alert.get('version')}"
        )
        return web.Response(text="ok")

    async def serve(ready: threading.Event, stop: asyncio.Event) -> None:
        app = web.Application()
        app.router.add_post("/{tail:.*}", handle)
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        ready.set()
        await stop.wait()
        await runner.cleanup()

    return _on_own_loop(serve)


def _ports(ctx: AppContext) -> tuple[int, int, int]:
    """The stand-ins' ports (webhook, SMTP, sign), kept in the data directory: a second run of
    the demo finds its partners' addresses still answering."""
    path = ctx.settings.data_dir / "demo-ports.json"
    if path.exists():
        kept = json.loads(path.read_text())
        if len(kept) == 3 and all(_port_free(p) for p in kept[:2]) and _udp_free(kept[2]):
            return kept[0], kept[1], kept[2]
    ports = (_free_port(), _free_port(), _free_udp_port())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(ports))
    return ports


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _ipaws_stand_in(
    ctx: AppContext, stack: ExitStack
) -> tuple[IpawsStandIn | None, dict[str, Any]]:
    """FEMA's side: a COG that may send BLU to all of Texas, its certificate, the stand-in."""
    if shutil.which("xmlsec1") is None:
        console.print("[yellow]xmlsec1 is not installed (Debian xmlsec1): no IPAWS stand-in[/]")
        return None, {}
    now = ctx.clock()  # the stand-in's time runs from the app's (the tests' is fixed)
    folder = ctx.settings.data_dir / "ipaws"
    key, cert = stand_in_identity(
        folder, DEMO_COG, now - timedelta(days=1), now + timedelta(days=30)
    )
    # The demo's alert reaches across the Red River into Love County, Oklahoma (040085): its
    # COG may alert that county too. Without it the pre-flight refuses the message by name.
    areas = frozenset({"048000", "040085"})
    profile = CogProfile(
        DEMO_COG, "Texas DPS (demo)", event_codes=frozenset({"BLU"}), geo_codes=areas
    )
    stand_in = stack.enter_context(
        IpawsStandIn(
            [CogAccount(profile, "tx-demo", cert.read_bytes())],
            folder / "stand-in",
            clock_start=now,
        )
    )
    settings = {"ipaws_url": stand_in.url, "ipaws_cog_id": DEMO_COG, "ipaws_user": "tx-demo",
                "ipaws_key": key, "ipaws_cert": cert}  # fmt: skip
    return stand_in, settings


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _udp_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@contextmanager
def stand_ins(ctx: AppContext) -> Iterator[tuple[AppContext, Inbox]]:
    """Start the receivers and point the channels at them (a copy of the settings)."""
    web_port, smtp_port, sign_port = _ports(ctx)
    inbox = Inbox(web_port)
    with ExitStack() as stack:
        stack.enter_context(_webhook_receiver(inbox, web_port))
        stack.enter_context(_sign_agent(inbox, sign_port))
        controller = Controller(_Mail(inbox), hostname="127.0.0.1", port=smtp_port)
        controller.start()
        stack.callback(controller.stop)
        inbox.ipaws, ipaws_settings = _ipaws_stand_in(ctx, stack)
        settings = ctx.settings.model_copy(
            update={"smtp_url": f"smtp://127.0.0.1:{smtp_port}", **ipaws_settings}
        )
        local = AppContext(settings, ctx.engine, ctx.sessions, ctx.clock, ctx.make_id)
        local.outbox_listeners = ctx.outbox_listeners
        yield local, inbox


def _mqtt_up() -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(MQTT) == 0


def register(ctx: AppContext, inbox: Inbox) -> None:
    """Partners and subscribers of the demo, pointed at the stand-ins (once per database)."""
    web_port = inbox.web_port
    if any(p.partner.name == "KXAS-TV newsroom" for p in list_partners(ctx)):
        return  # a second run of the demo on the same data
    partners = [
        {"name": "KXAS-TV newsroom", "kind": "media", "area": {"states": ["TX"]},
         "channel": "webhook", "address": f"http://127.0.0.1:{web_port}/kxas",
         "formats": ["cap", "wea"], "secret": "whsec_ZGVtby1kZW1vLWRlbW8tZGVtby1kZW1vLTEyMzQ="},
        {"name": "TxDOT Dallas signs", "kind": "sign_system", "area": {"counties": ["48113"]},
         "channel": "mqtt", "address": "bluealert/v1", "formats": ["dms"]},
        {"name": "TxDOT I-35E NB sign", "kind": "sign_system", "area": {"counties": ["48113"]},
         "channel": "ntcip", "address": inbox.sign.address if inbox.sign else "127.0.0.1",
         "secret": SIGN_COMMUNITY, "formats": ["dms"],
         "sign": {"lines": 3, "characters": 18, "slot": 3}},
        {"name": "DPS communications", "kind": "law_enforcement", "tier": "law_enforcement",
         "area": {"nation": True}, "channel": "email", "address": "comms@dps.example",
         "formats": ["cap-restricted", "teletype"]},
        {"name": "Oklahoma radio", "kind": "media", "area": {"states": ["OK"]},
         "channel": "webhook", "address": f"http://127.0.0.1:{web_port}/okradio"},
        {"name": "IPAWS-OPEN", "kind": "ipaws", "area": {"states": ["TX"]},
         "channel": "ipaws", "address": str(DEMO_COG)},
    ]  # fmt: skip
    for data in partners:
        if data["channel"] == "mqtt" and not _mqtt_up():
            console.print("[yellow]Mosquitto is not running on 127.0.0.1:1883: no sign partner[/]")
            continue
        if data["channel"] == "ipaws" and inbox.ipaws is None:
            continue
        add_partner(ctx, actor="admin", partner=Partner.model_validate(data))
    for n, (county, language) in enumerate([("48113", "en"), ("48121", "es"), ("48141", "en")]):
        subscribe(
            ctx,
            actor="admin",
            subscription=Subscription(channel="email", address=f"resident{n}@example.org",
                                      place_kind="county", place=county, language=language),
        )  # fmt: skip


async def _send_with_progress(ctx: AppContext, alert: Alert) -> None:
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    )
    async with Dispatcher(ctx) as dispatcher:
        drained = asyncio.create_task(dispatcher.drain())
        tasks: dict[str, Any] = {}
        with progress:
            while True:
                status = await asyncio.to_thread(delivery_status, ctx, alert.reference)
                for c in status.channels:
                    name = f"v{c.version} {c.event} {c.channel}"
                    if name not in tasks:
                        tasks[name] = progress.add_task(name, total=c.total)
                    progress.update(tasks[name], completed=c.done, total=c.total)
                if drained.done():
                    break
                await asyncio.sleep(0.1)
        await drained


def disseminate(ctx: AppContext, alert: Alert, inbox: Inbox) -> None:
    """Send what is pending, then show the receipts and what each stand-in got."""
    before = (len(inbox.webhooks), len(inbox.emails), len(_ipaws_posts(inbox)))
    asyncio.run(_send_with_progress(ctx, alert))
    console.print(status_table(delivery_status(ctx, alert.reference)))
    table = Table(title="what the local servers received")
    for column in ("server", "to", "what"):
        table.add_column(column)
    for hook in inbox.webhooks[before[0] :]:
        table.add_row("webhook", hook["path"], f"{hook['type']} (webhook-id {hook['id']})")
    for rcpt, raw in inbox.emails[before[1] :]:
        subject = str(message_from_bytes(raw, policy=default)["Subject"] or "")
        table.add_row("aiosmtpd", ", ".join(rcpt), subject[:90])
    for post in _ipaws_posts(inbox)[before[2] :]:
        table.add_row("IPAWS stand-in", f"COG {post.get('cog')}", _ipaws_row(post))
    if inbox.sign is not None:
        shown = inbox.sign.mib.shown
        pages = " | ".join(" / ".join(lines) for lines in shown.pages) or "blank"
        table.add_row("NTCIP sign agent", inbox.sign.address, f"shows: {pages}")
    console.print(table)


def _ipaws_row(post: dict[str, Any]) -> str:
    """What IPAWS answered per channel; a Cancel names the messages it references."""
    if not post.get("accepted"):
        return f"refused: {post.get('error_code')}: {post.get('message')}"
    channels = PostAnswer.parse(str(post["answer"])).summary().split(": ", 1)[1]
    cited = [r.split(",")[1] for r in str(post.get("references") or "").split()]
    references = f" (references {', '.join(cited)})" if cited else ""
    return f"{post['msgType']} {post['identifier']}{references}: {channels}"


def _ipaws_posts(inbox: Inbox) -> list[dict[str, Any]]:
    return inbox.ipaws.posts() if inbox.ipaws is not None else []


def retained_signs() -> list[str]:
    """The retained messages a sign controller connecting now would receive."""
    import aiomqtt

    async def read() -> list[str]:
        found: dict[str, bytes] = {}
        async with aiomqtt.Client(*MQTT) as client:
            await client.subscribe("bluealert/v1/#", qos=1)
            try:
                async with asyncio.timeout(0.5):
                    async for message in client.messages:
                        found[str(message.topic)] = bytes(message.payload)  # type: ignore[arg-type,unused-ignore]
            except TimeoutError:
                pass
        return [f"{t}: {json.loads(p)['type']}" for t, p in found.items() if p]

    return asyncio.run(read()) if _mqtt_up() else []
