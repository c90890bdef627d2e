"""`bluealert render` of a stored alert renders its current version as what it is."""

from __future__ import annotations

import json

from tests.integration.cli.conftest import Cli
from tests.integration.cli.test_alert_workflow import _active, _people


def test_a_resolved_alert_renders_as_a_cancellation_and_same_refuses_it(cli: Cli) -> None:
    _people(cli)
    reference = _active(cli)
    resolved = cli(
        "alert", "resolve", reference, "--as", "tx.kim", "--resolution", "suspect_apprehended"
    )
    assert resolved.exit_code == 0, resolved.output
    wea = json.loads(cli("render", reference, "--format", "wea").stdout)
    assert wea["en.360"]["text"].startswith("BLUE ALERT CANCELLED:")
    assert "The suspect is in custody." in wea["en.360"]["text"]
    sign = json.loads(cli("render", reference, "--format", "dms").stdout)
    assert (sign["action"], sign["multi"]) == ("blank", "")
    teletype = cli("render", reference, "--format", "teletype").stdout
    assert f"*** CANCEL: BLUE ALERT {reference} IS CANCELLED" in teletype
    refused = cli("render", reference, "--format", "same")
    assert refused.exit_code == 2
    assert "same: EAS does not carry cancellations" in refused.output
    assert "Traceback" not in refused.output
