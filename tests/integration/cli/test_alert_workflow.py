"""The CLI from draft to cancel, and every refusal leaving the store unchanged."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests import factories as f
from tests.integration.cli.conftest import Cli, add_people

CLAIMS = ("officer_status_confirmed", "suspect_not_apprehended", "suspect_poses_serious_risk")


def _people(cli: Cli) -> None:
    add_people(
        cli,
        ("dep.odell", "--role", "originator", "--agency", f.ORI),
        ("sgt.reyes", "--role", "supervisor", "--agency", f.ORI),
        ("tx.kim", "--role", "state_coordinator", "--state", "TX"),
        ("tx.patel", "--role", "state_coordinator", "--state", "TX"),
        ("ok.lee", "--role", "state_coordinator", "--state", "OK"),
    )


def _alert_file(cli: Cli, name: str = "alert.yaml", **overrides: Any) -> str:
    data = f.alert_data(cli.clock.now, **overrides)
    return cli.write(name, data)


def _drafted(cli: Cli, author: str = "dep.odell") -> str:
    made = cli.json("alert", "draft", _alert_file(cli), "--as", author)
    return str(made["reference"])


def _attest_args() -> list[str]:
    return [arg for claim in CLAIMS for arg in ("--attest", claim)]


def _active(cli: Cli) -> str:
    reference = _drafted(cli)
    assert cli("alert", "submit", reference, "--as", "sgt.reyes", *_attest_args()).exit_code == 0
    assert cli("alert", "approve", reference, "--as", "tx.kim").exit_code == 0
    return reference


def test_the_whole_workflow(cli: Cli) -> None:
    _people(cli)
    reference = _drafted(cli)
    assert reference == "TX-2026-0001"  # the test clock reads 24 November 2026

    checked = cli("alert", "check", reference, "--json")
    assert checked.exit_code == 3
    criteria = json.loads(checked.stdout)
    assert criteria["verdict"] == "waiting_for_attestations"
    assert {r["outcome"] for r in criteria["results"] if r["blocking"]} == {"met", "unknown"}

    submitted = cli.json("alert", "submit", reference, "--as", "sgt.reyes", *_attest_args())
    assert submitted["alert"]["state"] == "pending_approval"
    attested = submitted["alert"]["versions"][0]["attestations"]
    assert {(a["claim"], a["by"], a["version"]) for a in attested} == {
        (c, "sgt.reyes", 1) for c in CLAIMS
    }
    assert "attestations" not in submitted["alert"]["versions"][0]["content"]

    active = cli.json("alert", "approve", reference, "--as", "tx.kim")
    assert (active["state"], active["approved_by"]) == ("active", "tx.kim")

    updated = cli.json(
        "alert",
        "update",
        reference,
        _alert_file(cli, "v2.yaml"),
        "--as",
        "tx.patel",
        "--note",
        "plate confirmed",
    )
    assert [v["msg_type"] for v in updated["versions"]] == ["Alert", "Update"]

    cancelled = cli.json("alert", "cancel", reference, "--as", "tx.kim", "--reason", "found")
    assert cancelled["state"] == "cancelled"
    assert cancelled["versions"][-1]["msg_type"] == "Cancel"

    listed = cli.json("alert", "list", "--lifecycle", "cancelled")["alerts"]
    assert [a["reference"] for a in listed] == [reference]
    assert cli("audit", "verify").exit_code == 0
    actions = [line for line in cli("audit", "export").stdout.splitlines() if line]
    assert sum('"alert.' in line for line in actions) == 5


def test_releasing_an_officers_identity_is_recorded_in_the_audit_log(cli: Cli) -> None:
    _people(cli)
    reference = _active(cli)
    data = f.alert_data(cli.clock.now)
    data["officers"][0]["identity_released"] = True
    for note in ("family notified", "same facts again"):
        update = ("alert", "update", reference, cli.write(f"{note}.yaml", data))
        assert cli(*update, "--as", "tx.patel", "--note", note).exit_code == 0
    events = [json.loads(line) for line in cli("audit", "export").stdout.splitlines() if line]
    updates = [e["data"] for e in events if e["action"] == "alert.updated"]
    assert [(u["note"], u["identities_released"]) for u in updates] == [
        ("family notified", [0]),
        ("same facts again", []),
    ]


def test_cross_state_activation(cli: Cli) -> None:
    _people(cli)
    reference = _active(cli)
    request = cli.json("activation", "request", reference, "OK", "--as", "tx.kim")
    refused = cli("activation", "accept", request["id"], "--as", "tx.patel")
    assert refused.exit_code != 0
    accepted = cli.json("activation", "accept", request["id"], "--as", "ok.lee")
    linked = accepted["alert"]
    assert (linked["state"], linked["reference"][:2]) == ("active", "OK")
    assert linked["linked_alert_id"] == cli.json("alert", "show", reference)["id"]


def test_suggested_states_follow_the_plan_and_remember_requests(cli: Cli) -> None:
    _people(cli)
    made = cli.json(
        "alert",
        "draft",
        _alert_file(cli, "red-river.yaml", area={"counties": ["48097", "40085"]}),
        "--as",
        "dep.odell",
    )
    reference = made["reference"]
    assert cli("alert", "submit", reference, "--as", "sgt.reyes", *_attest_args()).exit_code == 0
    assert cli("alert", "approve", reference, "--as", "tx.kim").exit_code == 0
    assert cli.json("activation", "suggest", reference) == {
        "states": [{"state": "OK", "reason": "the alert's area reaches into OK", "asked": None}],
        "note": "",
    }
    shown = cli("activation", "suggest", reference)
    assert f"bluealert activation request {reference} OK" in shown.output
    request = cli.json("activation", "request", reference, "OK", "--as", "tx.kim")
    asked = cli.json("activation", "suggest", reference)["states"]
    assert [s["asked"] for s in asked] == ["pending"]
    linked = cli.json("activation", "accept", request["id"], "--as", "ok.lee")["alert"]
    assert cli.json("activation", "suggest", linked["reference"])["states"] == []
    assert cli("alert", "cancel", reference, "--as", "tx.kim", "--reason", "caught").exit_code == 0
    ended = cli("activation", "suggest", reference)
    assert ended.exit_code == 1
    assert "is cancelled: there is no state left to ask" in ended.output


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"plan": "ZZ"}, "plan: 'ZZ' is not a USPS code"),
        ({"requesting_agency": {"ori": "TX12345", "name": "x"}}, "requesting_agency.ori"),
        (
            {"incident": {"occurred_at": "2026-11-24T02:40:00", "location": {"description": "x"}}},
            "incident.occurred_at: Input should have timezone info",
        ),
        ({"contact": None}, "contact:"),
    ],
)
def test_bad_alert_files_are_refused_naming_the_field(
    cli: Cli, overrides: dict[str, Any], words: str
) -> None:
    _people(cli)
    before = cli.snapshot()
    result = cli("alert", "draft", _alert_file(cli, **overrides), "--as", "dep.odell")
    assert result.exit_code == 2
    assert words in result.output
    assert cli.snapshot() == before


def test_a_file_missing_a_field_names_it(cli: Cli) -> None:
    _people(cli)
    data = f.alert_data(cli.clock.now)
    del data["area"]
    before = cli.snapshot()
    result = cli("alert", "draft", cli.write("a.json", data), "--as", "dep.odell")
    assert (result.exit_code, "area: Field required" in result.output) == (2, True)
    assert cli.snapshot() == before


def _expire_in_db(cli: Cli, reference: str) -> None:
    past = (cli.clock.now - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S.000000")
    cli.sql(f"UPDATE alerts SET expires_at = '{past}' WHERE reference = '{reference}'")
    assert cli("alert", "list").exit_code == 0  # the sweep expires it


@pytest.mark.parametrize(
    ("setup", "command", "words"),
    [
        (
            _drafted,
            ("alert", "cancel", "{ref}", "--as", "tx.kim", "--reason", "x"),
            "cancel needs an alert that is active",
        ),
        (
            lambda cli: _drafted(cli, "tx.kim"),
            ("alert", "approve", "{ref}", "--as", "tx.kim"),
            "approve needs an alert that is pending_approval",
        ),
        (_active, ("alert", "approve", "{ref}", "--as", "tx.patel"), "it is active"),
        (_drafted, ("alert", "submit", "{ref}", "--as", "dep.odell"), "criteria not met"),
        (
            _drafted,
            ("alert", "submit", "{ref}", "--as", "ok.lee", "--attest", "suspect_not_apprehended"),
            "not a supervisor",
        ),
        (
            _active,
            ("alert", "cancel", "{ref}", "--as", "ok.lee", "--reason", "x"),
            "not a coordinator",
        ),
        (
            _active,
            ("alert", "resolve", "{ref}", "--as", "tx.kim", "--resolution", "caught"),
            "resolution",
        ),
        (_active, ("alert", "show", "TX-1999-0001"), "no alert"),
        (_active, ("alert", "approve", "{ref}", "--as", "nobody"), "no user"),
    ],
)
def test_refused_steps_name_the_rule_and_change_nothing(
    cli: Cli, setup: Any, command: tuple[str, ...], words: str
) -> None:
    _people(cli)
    reference = setup(cli)
    before = cli.snapshot()
    result = cli(*(part.format(ref=reference) for part in command))
    assert result.exit_code != 0
    assert words in result.output
    assert cli.snapshot() == before


@pytest.mark.parametrize(
    ("author", "submitter", "approver", "acts"),
    [
        ("tx.kim", "sgt.reyes", "tx.kim", "drafted"),
        ("dep.odell", "tx.kim", "tx.kim", "submitted"),
    ],
)
def test_whoever_had_a_hand_in_the_alert_may_not_approve_it(
    cli: Cli, author: str, submitter: str, approver: str, acts: str
) -> None:
    _people(cli)
    reference = _drafted(cli, author)
    assert cli("alert", "submit", reference, "--as", "sgt.reyes", *_attest_args()).exit_code == 0
    if submitter != "sgt.reyes":  # returned, then submitted again by the coordinator
        assert cli("alert", "return", reference, "--as", "tx.patel", "--reason", "x").exit_code == 0
        assert cli("alert", "submit", reference, "--as", submitter).exit_code == 0
    before = cli.snapshot()
    result = cli("alert", "approve", reference, "--as", approver)
    assert result.exit_code == 1
    assert f"two-person rule: {approver} {acts}" in result.output
    assert cli.snapshot() == before


def test_an_alert_file_carrying_attestations_is_refused_by_name(cli: Cli) -> None:
    _people(cli)
    data = f.alert_data(cli.clock.now)
    data["attestations"] = [
        {"claim": c, "by": "invented.person", "at": cli.clock.now.isoformat()} for c in CLAIMS
    ]
    before = cli.snapshot()
    result = cli("alert", "draft", cli.write("forged.yaml", data), "--as", "dep.odell")
    assert result.exit_code == 2
    assert "attestations: an alert file may not carry attestations" in result.output
    assert cli.snapshot() == before


def test_a_coordinator_may_not_attest(cli: Cli) -> None:
    _people(cli)
    reference = _drafted(cli)
    before = cli.snapshot()
    result = cli("alert", "submit", reference, "--as", "tx.kim", *_attest_args())
    assert result.exit_code == 1
    assert "tx.kim is not a supervisor of the requesting agency" in result.output
    assert cli.snapshot() == before


def test_an_expired_alert_cannot_be_updated(cli: Cli) -> None:
    _people(cli)
    reference = _active(cli)
    _expire_in_db(cli, reference)
    assert cli.json("alert", "show", reference)["state"] == "expired"
    before = cli.snapshot()
    result = cli("alert", "update", reference, _alert_file(cli, "late.yaml"), "--as", "tx.kim")
    assert result.exit_code == 1
    assert "update needs an alert that is active" in result.output
    assert cli.snapshot() == before


def test_tampering_makes_audit_verify_fail_naming_the_event(cli: Cli) -> None:
    _people(cli)
    _active(cli)
    cli.sql("UPDATE audit_events SET actor = 'intruder' WHERE seq = 4")
    result = cli("audit", "verify", "--json")
    assert result.exit_code == 1
    assert '"bad_event": 4' in result.stdout


def test_errors_as_json_for_scripts(cli: Cli) -> None:
    result = cli("alert", "show", "TX-2026-9999", "--json")
    assert result.exit_code == 2  # naming an alert that does not exist is bad input
    error = json.loads(result.stdout)["error"]
    assert (error["exit_code"], error["kind"]) == (2, "bad_input")
    [message] = error["messages"]
    assert "TX-2026-9999" in message


def test_a_missing_file_is_a_clear_error(cli: Cli) -> None:
    _people(cli)
    result = cli("alert", "draft", "/nonexistent/alert.yaml", "--as", "dep.odell")
    assert result.exit_code == 2
    assert "No such file" in result.output


YAML_ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n"
    for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("bomb.yaml", YAML_ALIAS_BOMB.encode(), "YAML aliases (*name) are not accepted"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nests lists or mappings too deeply"),
        ("deep.yaml", b"a: " + b"[" * 100_000 + b"]" * 100_000, "too deeply"),
        ("latin1.yaml", "kind: officer_killed\ncontact: Peña\n".encode("latin-1"), "not UTF-8"),
        ("huge.yaml", b"# padding\n" * 150_000, "at most 1,000,000 are read"),
        ("broken.json", b'{"kind": ', "is not valid JSON"),
        ("list.yaml", b"- officer_killed\n", "an alert file holds one mapping"),
    ],
)
def test_hostile_or_broken_documents_are_refused_naming_the_rule(
    cli: Cli, tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    _people(cli)
    path = tmp_path / name
    path.write_bytes(content)
    before = cli.snapshot()
    for command in (
        ("alert", "draft", str(path), "--as", "dep.odell"),
        ("plans", "check", str(path)),
    ):
        result = cli(*command)
        assert result.exit_code == 2, result.output
        assert "file" in result.output
        if command[0] == "alert":
            assert words in result.output
    assert cli.snapshot() == before


def test_listing_by_an_unknown_plan_is_an_error_not_an_empty_list(cli: Cli) -> None:
    result = cli("alert", "list", "--plan", "ZZ")
    assert result.exit_code == 2
    assert "'ZZ' is not one of the 56 US states and territories" in result.output
    assert cli.json("alert", "list", "--plan", "48") == {"alerts": []}


def test_schema_describes_the_alert_file(cli: Cli) -> None:
    result = cli("alert", "schema")
    assert '"requesting_agency"' in result.stdout
    assert '"properties"' in result.stdout
    assert cli.json("alert", "schema")["title"] == "AlertContent"


def test_render_an_alert_from_the_store(cli: Cli, tmp_path: object) -> None:
    _people(cli)
    reference = _active(cli)
    result = cli("render", reference, "--format", "cap")
    assert result.exit_code == 0, result.output
    assert f"BLU-{reference}-v1" in result.stdout
    from bluealert.formats.cap.validate import is_valid, validate_cap

    assert is_valid(validate_cap(result.stdout.strip().encode()))
    wea = cli("render", reference, "--format", "wea")
    assert '"en.90"' in wea.stdout
    missing = cli("render", "TX-1999-0001", "--format", "cap")
    assert missing.exit_code == 2
    assert "no alert" in missing.output


def test_declining_a_cross_state_request_and_listing(cli: Cli) -> None:
    _people(cli)
    reference = _active(cli)
    request = cli.json("activation", "request", reference, "OK", "--as", "tx.kim")
    no_reason = cli("activation", "decline", request["id"], "--as", "ok.lee", "--reason", " ")
    assert no_reason.exit_code == 2
    assert "reason" in no_reason.output
    declined = cli.json(
        "activation",
        "decline",
        request["id"],
        "--as",
        "ok.lee",
        "--reason",
        "suspect seen heading south, away from Oklahoma",
    )
    assert declined["state"] == "declined"
    listed = cli.json("activation", "list", "OK")["requests"]
    assert [(r["id"], r["state"]) for r in listed] == [(request["id"], "declined")]
    again = cli("activation", "accept", request["id"], "--as", "ok.lee")
    assert again.exit_code == 1
    assert "already declined" in again.output
    assert "ok.lee" in cli("users", "list").stdout


def test_text_that_looks_like_terminal_markup_is_shown_as_written(cli: Cli) -> None:
    _people(cli)
    data = f.alert_data(cli.clock.now)
    data["suspects"][0]["clothing"] = "grey hoodie [torn] [/] [bold]jeans"
    made = cli.json("alert", "draft", cli.write("markup.yaml", data), "--as", "dep.odell")
    shown = cli("alert", "show", made["reference"])
    assert shown.exit_code == 0, shown.output
    for piece in ("[torn]", "[/]", "[bold]jeans"):
        assert piece in shown.output


def test_error_messages_keep_their_brackets(cli: Cli) -> None:
    result = cli("users", "add", "bad!", "--role", "supervisor", "--agency", f.ORI)
    assert result.exit_code == 2
    assert "^[a-z0-9][a-z0-9._-]{1,63}$" in result.output
