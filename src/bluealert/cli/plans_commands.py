"""`bluealert plans list|show|check`: the state plans and their rules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from bluealert.cli.documents import read_document
from bluealert.cli.output import EXIT_BAD_INPUT, JsonFlag, console, emit, fail, reported_errors
from bluealert.cli.tables import Col, print_table
from bluealert.domain.jurisdictions import JURISDICTIONS
from bluealert.domain.plan import StatePlan
from bluealert.domain.registry import VARIANT_STATES, all_plans, parse_plan, plan_for
from bluealert.errors import InvalidPlan

app = typer.Typer(help="State Blue Alert plans.", no_args_is_help=True)


@app.command("list")
def list_(as_json: JsonFlag = False) -> None:
    """All 56 jurisdictions and the plan each uses."""
    plans = all_plans()

    def human() -> None:
        columns = ("name", "plan", "issued by", "triggers")
        print_table(
            "Blue Alert plans of the 56 jurisdictions",
            [Col("state"), *(Col(c, prose=True) for c in columns), Col("max h")],
            [
                (
                    usps,
                    escape(JURISDICTIONS[usps].name),
                    "[bold]variant[/]" if usps in VARIANT_STATES else "national model",
                    escape(plan.issuing_agency),
                    ", ".join(k.value for k in plan.triggers),
                    str(plan.max_duration_hours),
                )
                for usps, plan in plans.items()
            ],
        )

    emit({"plans": plans}, as_json, human)


def _show(plan: StatePlan) -> None:
    rows = {
        "state": plan.state or "(national model)",
        "issuing agency": plan.issuing_agency,
        "legal basis": plan.legal_basis,
        "triggers": ", ".join(k.label for k in plan.triggers),
        "required information": ", ".join(r.value for r in plan.requirements),
        "advisory": ", ".join(r.value for r in plan.advisory),
        "who may request": ", ".join(plan.requesting_roles),
        "who activates": ", ".join(plan.activating_roles),
        "maximum duration": f"{plan.max_duration_hours} h"
        + (" (renewable)" if plan.renewable else ""),
        "default channels": ", ".join(plan.default_channels),
        "neighbour notification": plan.neighbour_policy.value,
    }
    rows.update(
        {
            f"claims: {k.value}": ", ".join(c.value for c in v)
            for k, v in plan.required_claims.items()
        }
    )
    print_table(
        plan.name,
        [Col("what", prose=True), Col("rule", prose=True)],
        [(key, escape(value)) for key, value in rows.items()],
        show_header=False,
    )


@app.command()
def show(
    state: Annotated[
        str, typer.Argument(metavar="STATE", help="A US state or territory (USPS code).")
    ],
    as_json: JsonFlag = False,
) -> None:
    """One state's plan."""
    with reported_errors(as_json):
        plan = plan_for(state)
        emit(plan, as_json, lambda: _show(plan))


@app.command()
def check(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A plan file, YAML or JSON.")],
    as_json: JsonFlag = False,
) -> None:
    """Validate a plan file; every problem is printed as `field: rule`."""
    with reported_errors(as_json):
        try:
            plan = parse_plan(read_document(path), path.name)
        except InvalidPlan as error:
            fail(getattr(error, "problems", [str(error)]), as_json, code=EXIT_BAD_INPUT)
        emit(
            plan,
            as_json,
            lambda: console.print(
                f"[green]{escape(str(path))} is a valid plan[/]: {escape(plan.name)}"
            ),
        )
