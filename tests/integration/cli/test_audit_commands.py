"""`bluealert audit verify|checkpoint|export` as people and scripts use them: output, exits."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bluealert.app.context import open_app, transaction
from bluealert.config import Settings
from bluealert.store import audit
from tests.integration.cli.conftest import Cli


def _events(cli: Cli, subjects: str = "abcab") -> None:
    """Audit events about the given subjects, written through the app (no other rules apply)."""
    ctx = open_app(Settings(data_dir=cli.data_dir))
    with transaction(ctx) as tx:
        for i, subject in enumerate(subjects, 1):
            tx.audit(
                "test.event",
                actor="tx.kim",
                subject_type="test",
                subject_id=subject,
                now=ctx.clock(),
                n=i,
            )
    ctx.engine.dispose()


def _stored(cli: Cli, query: str) -> list[tuple[object, ...]]:
    """Read the database with the sqlite3 module: an independent view of what is stored."""
    with sqlite3.connect(cli.data_dir / "bluealert.db") as db:
        return db.execute(query).fetchall()


def test_verify_prints_the_head_it_checked(cli: Cli) -> None:
    _events(cli)
    [(seq, hash_)] = _stored(cli, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
    shown = cli("audit", "verify")
    assert shown.exit_code == 0
    assert "audit log verifies: 5 events" in shown.stdout
    assert f"head: event {seq} at " in shown.stdout
    assert f"hash {hash_}" in shown.stdout
    data = cli.json("audit", "verify")
    assert data["ok"] is True
    assert data["checked"] == 5
    assert (data["head"]["seq"], data["head"]["hash"]) == (seq, hash_)
    assert data["bad_event"] is None
    assert "against" not in data


def test_a_tampered_chain_exits_1_and_still_shows_its_recorded_head(cli: Cli) -> None:
    _events(cli)
    [(head_hash,)] = _stored(cli, "SELECT hash FROM audit_head")
    cli.sql("UPDATE audit_events SET actor = 'intruder' WHERE seq = 1")
    result = cli("audit", "verify", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["ok"], data["bad_event"]) == (False, 1)
    assert data["head"]["hash"] == head_hash
    refused = cli("audit", "checkpoint", "--out", str(cli.data_dir.parent / "cp.json"))
    assert refused.exit_code == 1
    assert "does not verify at event 1" in refused.output
    assert not (cli.data_dir.parent / "cp.json").exists()


REWRITES = {
    "deleted newest, head moved back": [
        "DELETE FROM audit_events WHERE seq >= 4",
        "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_events WHERE seq = 3)",
    ],
    "table emptied": ["DELETE FROM audit_events", "DELETE FROM audit_head"],
}


@pytest.mark.parametrize("rewrite", sorted(REWRITES))
def test_verify_against_a_checkpoint_exits_1_naming_where_it_stops(cli: Cli, rewrite: str) -> None:
    _events(cli)
    checkpoint = cli.data_dir.parent / "checkpoint.json"
    made = cli.json("audit", "checkpoint", "--out", str(checkpoint))
    assert made["out"] == str(checkpoint)
    assert made["checkpoint"] == json.loads(checkpoint.read_text())
    assert cli("audit", "verify", "--against", str(checkpoint)).exit_code == 0
    for statement in REWRITES[rewrite]:
        cli.sql(statement)
    assert cli("audit", "verify").exit_code == 0, "the rewrite fools the chain alone"

    result = cli("audit", "verify", "--against", str(checkpoint), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["against"]["kind"] == "checkpoint"
    assert data["against"]["extends"] is False
    assert data["against"]["breaks_at"] == 5
    assert (data["against"]["seq"], data["against"]["hash"]) == (
        made["checkpoint"]["head"]["seq"],
        made["checkpoint"]["head"]["hash"],
    )
    shown = cli("audit", "verify", "--against", str(checkpoint))
    assert "audit log does NOT extend the checkpoint made" in shown.output


def test_verify_against_an_export_names_the_altered_event(cli: Cli) -> None:
    _events(cli)
    exported = cli.data_dir.parent / "audit.jsonl"
    assert cli("audit", "export", "--out", str(exported)).exit_code == 0
    # Alter event 2 and rehash the rest the way an intruder would: with the exported lines.
    lines = [json.loads(line) for line in exported.read_text().splitlines()]
    prev = lines[0]["hash"]
    for line in lines[1:]:
        if line["seq"] == 2:
            line["actor"] = "intruder"
        line["prev_hash"] = prev
        content = {name: line[name] for name in audit.CONTENT_FIELDS}
        line["hash"] = prev = audit.content_hash(prev, content, 1)
        cli.sql(
            f"UPDATE audit_events SET actor = '{line['actor']}', prev_hash = '{line['prev_hash']}',"
            f" hash = '{line['hash']}' WHERE seq = {line['seq']}"
        )
    cli.sql(f"UPDATE audit_head SET hash = '{prev}'")
    assert cli("audit", "verify").exit_code == 0
    result = cli("audit", "verify", "--against", str(exported), "--json")
    assert result.exit_code == 1
    against = json.loads(result.stdout)["against"]
    assert (against["kind"], against["events"], against["breaks_at"]) == ("export", 5, 2)
    assert "event 2 is not the event the export audit.jsonl recorded" in against["problem"]


def test_export_of_one_subject_lists_only_its_events_in_order(cli: Cli) -> None:
    _events(cli, "abcab")
    stored = _stored(cli, "SELECT seq, hash FROM audit_events WHERE subject_id = 'b' ORDER BY seq")
    result = cli("audit", "export", "--subject", "b")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines() if line]
    assert (
        [(e["seq"], e["hash"]) for e in lines] == stored == [(2, stored[0][1]), (5, stored[1][1])]
    )
    assert {e["subject_id"] for e in lines} == {"b"}
    assert [e["data"]["n"] for e in lines] == [2, 5]
    out = cli.data_dir.parent / "b.jsonl"
    assert cli.json("audit", "export", "--subject", "b", "--out", str(out)) == {
        "out": str(out),
        "events": 2,
    }
    assert cli("audit", "verify", "--against", str(out)).exit_code == 0
    assert cli("audit", "export", "--subject", "nobody").stdout == ""


def _checkpoint(cli: Cli) -> Path:
    _events(cli)
    path = cli.data_dir.parent / "checkpoint.json"
    assert cli("audit", "checkpoint", "--out", str(path)).exit_code == 0
    return path


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (lambda p: p.unlink(), "No such file or directory"),
        (lambda p: p.write_bytes(b"\xff\xfe\x00"), "is not UTF-8 text"),
        (lambda p: p.write_text(p.read_text().replace('"seq": 5', '"seq": 4')), "altered"),
        (lambda p: p.write_text("{}"), "checkpoint.format"),
    ],
)
def test_an_unreadable_or_badly_signed_checkpoint_exits_2(
    cli: Cli, spoil: object, words: str
) -> None:
    path = _checkpoint(cli)
    spoil(path)  # type: ignore[operator]
    before = cli.snapshot()
    result = cli("audit", "verify", "--against", str(path))
    assert result.exit_code == 2
    assert words in result.output
    as_json = cli("audit", "verify", "--against", str(path), "--json")
    assert as_json.exit_code == 2
    assert words in " ".join(json.loads(as_json.stdout)["error"]["messages"])
    assert cli.snapshot() == before


def test_checkpoint_with_nowhere_to_go_prints_the_document(cli: Cli) -> None:
    _events(cli)
    [(seq, hash_)] = _stored(cli, "SELECT seq, hash FROM audit_head")
    result = cli("audit", "checkpoint")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert (document["head"]["seq"], document["head"]["hash"]) == (seq, hash_)
    assert document["key"]["algorithm"] == "Ed25519"
    kept = cli.data_dir.parent / "kept.json"
    kept.write_text(result.stdout)
    assert cli("audit", "verify", "--against", str(kept)).exit_code == 0


def test_checkpoint_goes_to_the_configured_folder(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = cli.data_dir.parent / "vault"
    monkeypatch.setenv("BLUEALERT_AUDIT_CHECKPOINT_DIR", str(vault))
    _events(cli)
    made = cli.json("audit", "checkpoint")
    [written] = vault.iterdir()
    assert made["out"] == str(written)
    assert written.name.startswith("audit-checkpoint-0000000005-")
    shown = cli("audit", "checkpoint")
    assert "checkpoint of event 5" in shown.stdout
    assert "signed with Ed25519 key sha256:" in shown.stdout
