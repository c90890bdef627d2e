"""`audit export --subject`: the events about one alert, and only those, in chain order."""

from __future__ import annotations

import json

from tests.integration.cli.conftest import Cli
from tests.integration.cli.test_alert_workflow import _drafted, _people


def _events(cli: Cli, *args: str) -> list[dict[str, object]]:
    result = cli("audit", "export", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line]


def test_export_by_subject_gives_that_alerts_events_only(cli: Cli) -> None:
    _people(cli)
    first, second = _drafted(cli), _drafted(cli)
    ids = {ref: cli.json("alert", "show", ref)["id"] for ref in (first, second)}
    everything = _events(cli)
    about_first = _events(cli, "--subject", ids[first])
    assert about_first  # the draft was recorded
    assert {e["subject_id"] for e in about_first} == {ids[first]}
    assert about_first == [e for e in everything if e["subject_id"] == ids[first]]
    assert [e["seq"] for e in about_first] == sorted(e["seq"] for e in about_first)
    assert _events(cli, "--subject", "no-such-subject") == []
