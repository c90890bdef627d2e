"""`bluealert dispatch --once` and `bluealert worker`: run the dissemination engine."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import TYPE_CHECKING, Annotated

import typer

from bluealert.app.context import AppContext
from bluealert.cli.context import app_context
from bluealert.cli.output import JsonFlag, console, emit, fail, reported_errors

if TYPE_CHECKING:
    from bluealert.dispatch import Summary


def _summary_json(summary: Summary) -> dict[str, object]:
    return {
        "planned": [
            {
                "alert": p.item.alert_id,
                "version": p.item.version,
                "event": p.item.kind.value,
                "earlier_recipients": p.earlier,
                "partners": p.partners,
                "subscribers": p.subscribers,
                "not_planned": p.reason or None,
            }
            for p in summary.plans
        ],
        "deliveries": dict(summary.settled),
    }


async def _drain(ctx: AppContext, wait: float) -> Summary:
    from bluealert.dispatch import Dispatcher  # the engine and its clients, only when used

    async with Dispatcher(ctx) as dispatcher:
        return await dispatcher.drain(wait)


def _drain_unless_served(ctx: AppContext, wait: float, as_json: bool) -> Summary:
    """Drain, holding the data directory's lease: beside a running server's dispatcher, both
    would take the same deliveries (each takes back what the other holds when it starts)."""
    from bluealert.dispatch.lease import BackgroundLease

    lease = BackgroundLease(ctx.settings.data_dir)
    if not lease.held():
        fail(
            f"a `bluealert serve` on {ctx.settings.data_dir} runs the dispatcher and sends "
            "on its own; nothing to do here",
            as_json,
        )
    from bluealert.dispatch import event_loop

    try:
        return event_loop.run(_drain(ctx, wait))
    finally:
        lease.release()


def dispatch(
    once: Annotated[
        bool, typer.Option("--once", help="Drain the outbox, send what is due, and exit.")
    ] = False,
    wait_retries: Annotated[
        float, typer.Option(help="Also wait for retries falling due within this many seconds.")
    ] = 0.0,
    as_json: JsonFlag = False,
) -> None:
    """Plan and send every pending alert version in this process (embedded mode)."""
    if not once:
        fail(
            "say --once (the server runs the dispatcher continuously; `worker` scales it out)",
            as_json,
            code=2,
        )
    with reported_errors(as_json):
        summary = _drain_unless_served(app_context(), wait_retries, as_json)

        def human() -> None:
            for p in summary.plans:
                what = f"{p.item.kind.value} v{p.item.version}"
                if p.reason:
                    console.print(f"{what}: nothing new planned ({p.reason})")
                else:
                    console.print(
                        f"{what}: {p.earlier} earlier recipient(s), {p.partners} partner(s), "
                        f"{p.subscribers} subscriber(s)"
                    )
            counts = ", ".join(f"{n} {state}" for state, n in sorted(summary.settled.items()))
            console.print(f"deliveries: {counts or 'none due'}")

        emit(_summary_json(summary), as_json, human)


def worker(
    consumers: Annotated[int, typer.Option(help="Batches sent at once.", min=1, max=64)] = 4,
    plan: Annotated[
        bool, typer.Option(help="Also plan the outbox (any number of workers may).")
    ] = True,
) -> None:
    """A scale-out worker: PostgreSQL + RabbitMQ (BLUEALERT_BROKER_URL). Stops on SIGTERM or
    Ctrl-C between batches."""
    with reported_errors():
        ctx = app_context()
        if not ctx.settings.broker_url:
            fail(
                "set BLUEALERT_BROKER_URL (amqp://…) to run a worker; without a broker, "
                "`bluealert dispatch --once` or the server's embedded worker sends",
                code=2,
            )
        from bluealert.dispatch import event_loop

        event_loop.run(_until_signalled(ctx, consumers, plan))


async def _until_signalled(ctx: AppContext, consumers: int, plan: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    from bluealert.dispatch.scaleout import run_worker

    console.print(f"worker: {consumers} consumer(s), planning {'on' if plan else 'off'}")
    await run_worker(ctx, stop, consumers=consumers, plan=plan)
