"""`activation suggest` names the states to ask, or says in words why there are none."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests import factories as f
from tests.integration.cli.conftest import Cli
from tests.integration.cli.test_alert_workflow import _active, _alert_file, _attest_args, _people

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "alert-tx.yaml"


def _approved(cli: Cli, path: str) -> str:
    reference = str(cli.json("alert", "draft", path, "--as", "sgt.reyes")["reference"])
    assert cli("alert", "submit", reference, "--as", "sgt.reyes", *_attest_args()).exit_code == 0
    assert cli("alert", "approve", reference, "--as", "tx.kim").exit_code == 0
    return reference


def test_an_area_inside_texas_gets_the_reason_instead_of_an_empty_table(cli: Cli) -> None:
    _people(cli)
    reference = _approved(cli, _alert_file(cli, "dallas.yaml", area={"counties": ["48113"]}))
    found = cli.json("activation", "suggest", reference)
    assert found == {
        "states": [],
        "note": "the Texas Blue Alert plan asks the states the alert's area reaches into or "
        "borders; the area lies inside TX and touches no other state's border",
    }
    shown = cli("activation", "suggest", reference)
    assert shown.exit_code == 0
    text = " ".join(shown.stdout.split())
    assert text.startswith(f"no other state to ask for {reference}: the Texas Blue Alert plan")
    assert f"bluealert activation request {reference} STATE --as YOU" in text
    assert "┏" not in shown.stdout  # no empty table


def test_the_state_that_asked_is_not_asked_back_and_the_note_says_so(cli: Cli) -> None:
    _people(cli)
    reference = _active(cli)
    request = cli.json("activation", "request", reference, "OK", "--as", "tx.kim")
    linked = cli.json("activation", "accept", request["id"], "--as", "ok.lee")["alert"]
    found = cli.json("activation", "suggest", linked["reference"])
    assert found["states"] == []
    assert found["note"] == (
        "Oklahoma's plan, the National model Blue Alert plan, names only TX, "
        "which asked for this alert"
    )


def test_the_example_alert_of_the_tour_gets_oklahoma_suggested(cli: Cli) -> None:
    _people(cli)
    example = yaml.safe_load(EXAMPLE.read_text())
    example["requesting_agency"]["ori"] = f.ORI  # the agency the test's sergeant works for
    reference = _approved(cli, cli.write("tour.yaml", example))
    found = cli.json("activation", "suggest", reference)
    assert found["states"] == [
        {"state": "OK", "reason": "OK borders the alert's area", "asked": None}
    ]
