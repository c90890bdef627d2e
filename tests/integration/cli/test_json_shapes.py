"""Every command's --json output is one object with the keys docs/cli.md gives it.

A new command needs a row in docs/cli.md's table and a run in `_run_every_command` below.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bluealert.app.tips import submit_tip
from bluealert.cli import context
from bluealert.cli.main import app
from bluealert.dispatch.ipaws.standin import IpawsStandIn
from bluealert.domain.tips import TipSubmission
from tests import factories as f
from tests.integration.cli.commands import documented_shapes, leaf_commands
from tests.integration.cli.conftest import Cli
from tests.integration.cli.test_alert_workflow import _active, _alert_file, _attest_args
from tests.integration.formats.conftest import _identity
from tests.ipaws_support import COG_ID, USER, cog_account, identity


def test_every_command_has_a_documented_json_shape() -> None:
    shapes, commands = documented_shapes(), leaf_commands()
    assert sorted(shapes) == sorted(commands)
    takes_json = {name for name, c in commands.items() if any("--json" in p.opts for p in c.params)}
    assert takes_json == {name for name, shape in shapes.items() if shape is not None}


def _run_every_command(cli: Cli, tmp_path: Path) -> dict[str, Any]:
    """Run each command once with --json (exit 0 unless noted) and keep what it printed."""
    printed: dict[str, Any] = {}

    def run(name: str, *args: str, exit_code: int = 0) -> dict[str, Any]:
        result = cli(*name.split(), *args, "--json")
        assert result.exit_code == exit_code, f"{name}: {result.output}"
        printed[name] = json.loads(result.stdout)
        return printed[name]

    printed["db upgrade"] = cli.json("db", "upgrade")
    assert cli("users", "add", "admin", "--role", "admin").exit_code == 0  # the first admin
    run("users add", "dep.odell", "--role", "originator", "--agency", f.ORI, "--as", "admin")
    _people_but_odell(cli)
    run("users change", "dep.odell", "--name", "Deputy Odell", "--as", "admin")
    run("users list")
    context.app_context.cache_clear()
    set_password = cli.runner.invoke(
        app, ["users", "password", "dep.odell", "--json"], input="a long enough passphrase\n"
    )
    assert set_password.exit_code == 0, set_password.output
    printed["users password"] = json.loads(set_password.stdout)
    run("plans list")
    run("plans show", "TX")
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(
        Path("src/bluealert/domain/plans/national.yaml").read_text() + "state: OK\n"
    )
    run("plans check", str(plan_file))
    run("alert schema")
    reference = run("alert draft", _alert_file(cli), "--as", "dep.odell")["reference"]
    run("alert check", reference, exit_code=3)  # waiting for attestations
    run("alert update", reference, _alert_file(cli, "v2.yaml"), "--as", "dep.odell")
    run("alert submit", reference, "--as", "sgt.reyes", *_attest_args())
    run("alert approve", reference, "--as", "tx.kim")
    run("alert renew", reference, "--as", "tx.kim")
    run("alert show", reference)
    run("alert list")
    run("activation suggest", reference)
    request = run("activation request", reference, "OK", "--as", "tx.kim")
    run("activation accept", request["id"], "--as", "ok.lee")
    other = _active(cli)
    declined = cli.json("activation", "request", other, "OK", "--as", "tx.kim")
    run("activation decline", declined["id"], "--as", "ok.lee", "--reason", "heading south")
    run("activation list", "OK")
    _tip_about(reference, cli)
    run("tips list", reference)
    tip = printed["tips list"]["tips"][0]["id"]
    run("tips review", reference, tip, "--as", "tx.kim", "--note", "checked")
    run("alert cancel", reference, "--as", "tx.kim", "--reason", "found")
    run("alert resolve", other, "--as", "tx.kim", "--resolution", "suspect_apprehended")
    for step in ("reject", "return"):
        pending = _pending(cli)
        run(f"alert {step}", pending, "--as", "tx.kim", "--reason", "not enough")
    run("users remove", "leaving", "--as", "admin")
    run("audit verify")
    run("audit checkpoint", "--out", str(tmp_path / "checkpoint.json"))
    run("audit export", "--out", str(tmp_path / "audit.jsonl"))

    signer = _identity(tmp_path, "json-shapes-signer")
    cap = tmp_path / "alert.xml"
    run("render", reference, "--format", "cap", "--out", str(cap))
    run("cap validate", str(cap))
    signed = tmp_path / "signed.xml"
    keys = ("--key", str(signer.key_file), "--cert", str(signer.cert_file))
    run("cap sign", str(cap), *keys, "--out", str(signed))
    run("cap verify", str(signed), "--trust", str(signer.cert_file))
    header = run("same encode", "--location", "048113", "--minutes", "90")["text"]
    run("same decode", header)
    run("geo area", "--county", "48113")
    seen = ("--seen-at", "2026-11-24T02:00-06:00", "--at", "2026-11-24T03:00-06:00")
    run("geo envelope", "--lat", "33", "--lon", "-97", *seen)
    run("geo zip", "75201")
    run("partners add", *_partner("KXAS-TV"), "--as", "ops")
    run("partners list")
    run("partners show", "KXAS-TV")
    run("partners disable", "KXAS-TV", "--as", "ops")
    place = ("--channel", "email", "--address", "ana@example.org", "--zip", "75201")
    subscription = run("subscriptions add", *place, "--as", "ops")
    run("subscriptions list")
    run("subscriptions remove", str(subscription["id"]), "--as", "ops")
    run("dispatch", "--once")
    run("deliveries status", reference)
    run("deliveries dead")
    run("deliveries replay", "--alert", reference, "--as", "ops")
    run("demo")
    return printed


def _tip_about(reference: str, cli: Cli) -> None:
    given = TipSubmission(seen="the pickup", location="I-35", seen_at=cli.clock.now)
    submit_tip(context.app_context(), alert_key=reference, tip=given)


def _partner(name: str) -> tuple[str, ...]:
    webhook = ("--channel", "webhook", "--address", "https://kxas.example/hook")
    return (name, "--kind", "media", *webhook, "--state", "TX")


def _people_but_odell(cli: Cli) -> None:
    for args in (
        ("sgt.reyes", "--role", "supervisor", "--agency", f.ORI),
        ("tx.kim", "--role", "state_coordinator", "--state", "TX"),
        ("tx.patel", "--role", "state_coordinator", "--state", "TX"),
        ("ok.lee", "--role", "state_coordinator", "--state", "OK"),
        ("ops", "--role", "admin"),
        ("leaving", "--role", "originator", "--agency", f.ORI),
    ):
        assert cli("users", "add", *args, "--as", "admin").exit_code == 0


def _pending(cli: Cli) -> str:
    made = cli.json("alert", "draft", _alert_file(cli, "p.yaml"), "--as", "dep.odell")
    submitted = cli("alert", "submit", made["reference"], "--as", "sgt.reyes", *_attest_args())
    assert submitted.exit_code == 0, submitted.output
    return str(made["reference"])


def _ipaws_ping(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """`ipaws ping --json` against the IPAWS stand-in."""
    cog = identity(tmp_path / "ipaws-certs", COG_ID)
    with IpawsStandIn([cog_account(cog)], tmp_path / "ipaws") as running:
        for name, value in {
            "URL": running.url, "COG_ID": str(COG_ID), "USER": USER,
            "KEY": str(cog.key_file), "CERT": str(cog.cert_file),
        }.items():  # fmt: skip
            monkeypatch.setenv(f"BLUEALERT_IPAWS_{name}", value)
        return cli.json("ipaws", "ping")


def test_each_commands_json_has_its_documented_keys(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed = _run_every_command(cli, tmp_path)
    printed["ipaws ping"] = _ipaws_ping(cli, tmp_path, monkeypatch)
    shapes = {name: keys for name, keys in documented_shapes().items() if keys is not None}
    assert sorted(printed) == sorted(shapes), "run every documented command here"
    wrong = {
        name: sorted(set(data) ^ shapes[name])
        for name, data in printed.items()
        if not isinstance(data, dict) or set(data) != shapes[name]
    }
    assert wrong == {}, "keys printed but not documented, or documented but not printed"


# Commands whose answer is "no" still print their documented object, and exit 1.
REFUSALS: dict[str, Callable[[Cli, Path], tuple[str, ...]]] = {
    "cap validate": lambda cli, tmp: ("cap", "validate", _write(tmp, "bad.xml", b"<alert/>")),
    "same decode": lambda cli, tmp: ("same", "decode", _silence(tmp)),
}


def _write(tmp: Path, name: str, data: bytes) -> str:
    (tmp / name).write_bytes(data)
    return str(tmp / name)


def _silence(tmp: Path) -> str:
    import wave

    path = tmp / "silence.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000)
    return str(path)


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_a_no_answer_prints_the_documented_object_and_exits_1(
    cli: Cli, tmp_path: Path, name: str
) -> None:
    result = cli(*REFUSALS[name](cli, tmp_path), "--json")
    assert result.exit_code == 1, result.output
    assert set(json.loads(result.stdout)) == documented_shapes()[name]
