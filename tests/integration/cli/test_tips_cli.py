"""`bluealert tips list|review`: the tips the public gave, for law enforcement; refusals leave
the store unchanged."""

from __future__ import annotations

import json
from datetime import timedelta

from bluealert.app.tips import submit_tip
from bluealert.cli import context
from bluealert.domain.tips import TipSubmission
from tests import factories as f
from tests.integration.cli.conftest import Cli, add_people
from tests.integration.cli.test_alert_workflow import _active

WITNESS = "Silver pickup, plate ABC-1234, northbound on I-35"


def _with_tips(cli: Cli) -> tuple[str, list[str]]:
    add_people(
        cli,
        ("dep.odell", "--role", "originator", "--agency", f.ORI),
        ("sgt.reyes", "--role", "supervisor", "--agency", f.ORI),
        ("dep.other", "--role", "originator", "--agency", "TX0570000"),
        ("tx.kim", "--role", "state_coordinator", "--state", "TX"),
        ("ok.lee", "--role", "state_coordinator", "--state", "OK"),
    )
    reference = _active(cli)
    ctx = context.app_context()
    made = []
    for seen, contact in ((WITNESS, "555-0142"), ("The same truck at a gas station", None)):
        tip = TipSubmission(
            seen=seen,
            location="I-35 at exit 468, Denton",
            seen_at=cli.clock.now - timedelta(minutes=5),
            contact=contact,
            lat=33.2148,
            lon=-97.1331,
        )
        made.append(submit_tip(ctx, alert_key=reference, tip=tip).id)
        cli.clock.advance(minutes=1)
    return reference, made


def test_tips_list_shows_every_tip_oldest_first(cli: Cli) -> None:
    reference, made = _with_tips(cli)
    listed = cli.json("tips", "list", reference)["tips"]
    assert [t["id"] for t in listed] == made
    assert listed[0]["seen"] == WITNESS
    assert listed[0]["contact"] == "555-0142"
    assert listed[0]["alert"] == reference
    assert listed[0]["reviewed_by"] is None
    table = cli("tips", "list", reference)
    assert table.exit_code == 0
    assert "2 tip(s), 2 unreviewed" in table.stdout
    assert cli.json("tips", "list", reference)["unreviewed"] == 2
    for tip_id in made:
        assert tip_id in table.stdout  # ids are never cut
    assert "33.21480, -97.13310" in table.stdout


def test_tips_review_marks_a_tip_and_list_can_leave_it_out(cli: Cli) -> None:
    reference, made = _with_tips(cli)
    reviewed = cli.json("tips", "review", reference, made[0], "--as", "sgt.reyes", "--note", "sent")
    assert reviewed["id"] == made[0]
    assert reviewed["reviewed_by"] == "sgt.reyes"
    assert reviewed["review_note"] == "sent"
    assert reviewed["reviewed_at"] == cli.clock.now.isoformat()
    left = cli.json("tips", "list", reference, "--unreviewed")["tips"]
    assert [t["id"] for t in left] == [made[1]]
    assert cli.json("tips", "list", reference)["unreviewed"] == 1
    human = cli("tips", "review", reference, made[1], "--as", "tx.kim")
    assert human.exit_code == 0
    assert f"tip {made[1]} of {reference}: reviewed by tx.kim" in human.stdout


def test_someone_of_another_agency_or_state_may_not_review(cli: Cli) -> None:
    reference, made = _with_tips(cli)
    before = cli.snapshot()
    for person in ("dep.other", "ok.lee", "admin"):
        refused = cli("tips", "review", reference, made[0], "--as", person, "--json")
        assert refused.exit_code == 1, refused.output
        problem = json.loads(refused.stdout)["error"]
        assert problem["kind"] == "refused"
        assert f"{person} may not read the tips of {reference}" in problem["messages"][0]
    assert cli.snapshot() == before


def test_an_unknown_tip_or_alert_or_a_long_note_is_bad_input(cli: Cli) -> None:
    reference, made = _with_tips(cli)
    before = cli.snapshot()
    cases = [
        (("tips", "review", reference, "no-such-tip", "--as", "tx.kim"), "tip: no tip"),
        (("tips", "review", "TX-2026-9999", made[0], "--as", "tx.kim"), "no alert"),
        (("tips", "review", reference, made[0], "--as", "tx.kim", "--note", "x" * 501), "note:"),
        (("tips", "list", "TX-2026-9999"), "no alert"),
    ]
    for args, message in cases:
        result = cli(*args)
        assert result.exit_code == 2, result.output
        assert message in result.stderr
    assert cli.snapshot() == before


def test_a_person_s_email_for_tip_notices_is_set_and_checked(cli: Cli) -> None:
    add_people(
        cli, ("sgt.reyes", "--role", "supervisor", "--agency", f.ORI, "--email", "r@lp.example")
    )
    change = ("users", "change", "sgt.reyes", "--as", "admin")
    assert cli.json(*change, "--email", "reyes@lpcso.example")["email"] == "reyes@lpcso.example"
    kept = cli.json(*change, "--name", "Sgt. A. Reyes")
    assert kept["email"] == "reyes@lpcso.example"  # not given: unchanged
    before = cli.snapshot()
    for bad in ("reyes", "a@b", "x@y.example, z@y.example", "<x@y.example>"):
        refused = cli(*change, "--email", bad, "--json")
        assert refused.exit_code == 2, (bad, refused.output)
        assert "email" in json.loads(refused.stdout)["error"]["messages"][0]
    assert cli.snapshot() == before
