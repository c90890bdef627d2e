"""How alerts, evaluations and events look in a terminal. Times in the plan's local zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.markup import escape
from rich.panel import Panel

from bluealert.cli.output import console
from bluealert.cli.tables import Col, print_table
from bluealert.domain.alert import Alert
from bluealert.domain.content import Suspect, Vehicle
from bluealert.domain.criteria import Evaluation, Verdict
from bluealert.domain.jurisdictions import jurisdiction

_STATE_STYLE = {
    "draft": "white",
    "pending_approval": "yellow",
    "active": "bold red",
    "cancelled": "dim",
    "resolved": "green",
    "expired": "dim",
    "rejected": "magenta",
}
_VERDICT = {
    Verdict.ELIGIBLE: "[green]eligible[/]: every blocking criterion is met",
    Verdict.NOT_ELIGIBLE: "[red]not eligible[/]: a blocking criterion is unmet",
    Verdict.WAITING_FOR_ATTESTATIONS: "[yellow]waiting for attestations[/]: only claims nobody "
    "has attested yet stand in the way",
}
_OUTCOME = {"met": "[green]✔ met[/]", "unmet": "[red]✘ unmet[/]", "unknown": "[yellow]? unknown[/]"}


def local(when: datetime | None, state: str) -> str:
    if when is None:
        return "—"
    zone = ZoneInfo(jurisdiction(state).time_zone)
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def alert_table(alerts: Sequence[Alert]) -> None:
    columns = [Col("reference"), Col("lifecycle")]
    columns += [Col("kind", prose=True), Col("status"), Col("v")]
    columns += [Col("activated", prose=True), Col("expires", prose=True)]
    print_table(
        f"{len(alerts)} alert(s)",
        columns,
        [
            (
                a.reference,
                f"[{_STATE_STYLE.get(a.state.value, '')}]{a.state.value}[/]",
                a.content.kind.label,
                a.status.value,
                str(a.current.number),
                local(a.activated_at, a.plan),
                local(a.expires_at, a.plan),
            )
            for a in alerts
        ],
    )


def print_notices(alert: Alert) -> None:
    """What the step did otherwise than asked (an expiry capped), under its result."""
    for notice in alert.current.notices:
        console.print(
            f"[yellow]note:[/] {notice.field}: {escape(notice.message)}",
            highlight=False,
            soft_wrap=True,
        )


def alert_panel(alert: Alert) -> None:
    c = alert.content
    style = _STATE_STYLE.get(alert.state.value, "")
    lines = [
        f"[bold]{alert.reference}[/]  {c.kind.label} — [{style}]{alert.state.value}[/]  "
        f"({c.status.value}, plan {c.plan}, version {alert.current.number})",
        f"Requested by {escape(c.requesting_agency.name)} ({c.requesting_agency.ori}); "
        f"drafted by {alert.author}; approved by {alert.approved_by or '—'}",
        f"Incident {local(c.incident.occurred_at, c.plan)} at "
        f"{escape(c.incident.location.description)}",
    ]
    lines += [f"Suspect: {_suspect_line(s)}" for s in c.suspects]
    lines += [f"Vehicle: {_vehicle_line(v)}" for v in c.vehicles]
    lines += [
        f"Contact: {escape(c.contact)}",
        f"Activated {local(alert.activated_at, c.plan)}; expires {local(alert.expires_at, c.plan)}",
    ]
    if alert.reason:
        lines.append(f"Reason: {escape(alert.reason)}")
    lines += [
        f"Note on version {v.number}: {n.field}: {escape(n.message)}"
        for v in alert.versions
        for n in v.notices
    ]
    console.print(Panel("\n".join(lines), title="Blue Alert", border_style="blue"))
    print_table(
        "versions",
        [
            Col("v"),
            Col("type"),
            Col("by"),
            Col("at", prose=True),
            Col("published", prose=True),
            Col("note", prose=True),
        ],
        [
            (
                str(v.number),
                v.msg_type.value,
                v.created_by,
                local(v.created_at, c.plan),
                local(v.published_at, c.plan),
                escape(v.note),
            )
            for v in alert.versions
        ],
    )


def _suspect_line(s: Suspect) -> str:
    parts = [s.name or "unnamed", s.sex, s.race, f"age {s.age}" if s.age else None, s.clothing]
    text = escape(", ".join(p for p in parts if p))
    return text + (" — [bold red]ARMED AND DANGEROUS[/]" if s.armed_and_dangerous else "")


def _vehicle_line(v: Vehicle) -> str:
    parts = [str(v.year) if v.year else None, v.color, v.make, v.model, v.body_style]
    plate = f"plate {v.plate.state or '??'} {v.plate.number}" if v.plate else "no plate"
    return escape(" ".join(p for p in parts if p) + f", {plate}")


def evaluation_table(evaluation: Evaluation) -> None:
    print_table(
        "criteria",
        [Col("criterion"), Col("outcome", prose=True), Col("blocks"), Col("why", prose=True)],
        [
            (
                r.id,
                _OUTCOME.get(r.outcome.value, r.outcome.value),
                "yes" if r.blocking else "advisory",
                escape(r.sentence),
            )
            for r in evaluation.results
        ],
    )
    console.print(f"verdict: {_VERDICT[evaluation.verdict]}")
