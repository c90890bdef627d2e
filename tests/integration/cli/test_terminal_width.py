"""What people copy — references, ids, criterion and rule ids, SAME headers — is never cut or
wrapped, at 80 columns and narrower; the prose beside it wraps instead."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bluealert.cli import output
from tests.integration.cli.conftest import Cli
from tests.integration.cli.test_alert_workflow import _active, _drafted, _people

WIDTHS = (80, 60)


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w} columns")
def width(request: pytest.FixtureRequest) -> Iterator[int]:
    before = output.console.width
    output.console.width = request.param
    yield request.param
    output.console.width = before


def _appears_whole(value: str, text: str) -> bool:
    """`value` on one line, not cut (…) and not run into a neighbour."""
    whole = re.compile(rf"(^|[\s│┃]){re.escape(value)}($|[\s│┃,])")
    return any(whole.search(line) for line in text.splitlines())


def test_alert_list_shows_every_reference_whole(cli: Cli, width: int) -> None:
    _people(cli)
    references = [_drafted(cli) for _ in range(3)]
    shown = cli("alert", "list").stdout
    assert "…" not in shown
    for reference in references:
        assert _appears_whole(reference, shown), f"{reference} cut at {width}:\n{shown}"
    assert all(len(line) <= width for line in shown.splitlines())


def test_alert_check_shows_every_criterion_id_whole(cli: Cli, width: int) -> None:
    _people(cli)
    reference = _drafted(cli)
    checked = cli("alert", "check", reference, "--json")
    assert checked.exit_code == 3  # waiting for attestations
    ids = [r["id"] for r in json.loads(checked.stdout)["results"]]
    assert "requirement.plate_or_partial_plate" in ids  # long enough to be cut before
    shown = cli("alert", "check", reference).stdout
    assert "…" not in shown
    for criterion in ids:
        assert _appears_whole(criterion, shown), f"{criterion} cut at {width}:\n{shown}"


def test_same_headers_print_on_one_line(cli: Cli, width: int) -> None:
    codes = ("048113", "048439", "048085", "048121", "048097", "040085", "048181", "048337")
    locations = [arg for code in codes
                 for arg in ("--location", code)]  # fmt: skip
    header = cli.json("same", "encode", *locations)["text"]
    assert len(header) > width
    encoded = cli("same", "encode", *locations).stdout.splitlines()
    assert encoded == [header]
    decoded = cli("same", "decode", encoded[0]).stdout.splitlines()
    assert decoded == [encoded[0]]


def test_cap_findings_show_rule_ids_whole(cli: Cli, tmp_path: Path, width: int) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
        b"<sent>2026-02-30T03:00:00-06:00</sent></alert>"
    )
    found = json.loads(cli("cap", "validate", str(bad), "--json").stdout)
    rules = {f["rule"] for f in found["findings"]}
    assert "cap.time.format" in rules
    shown = cli("cap", "validate", str(bad)).stdout
    for rule in rules:
        assert _appears_whole(rule, shown), f"{rule} cut at {width}:\n{shown}"


def test_activation_list_shows_request_ids_whole(cli: Cli, width: int) -> None:
    _people(cli)
    reference = _active(cli)
    request = cli.json("activation", "request", reference, "OK", "--as", "tx.kim")
    shown = cli("activation", "list", "OK").stdout
    assert _appears_whole(request["id"], shown), shown
    assert _appears_whole(reference, shown), shown
