"""Anchoring the audit log outside the database: signed checkpoints and earlier exports.

Each rewrite below leaves a chain that verifies on its own (the hole issue 8 found); checked
against a checkpoint or an export made before it, each is caught and the break is named.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bluealert.app.audit_anchoring import make_checkpoint, verify_against
from bluealert.app.context import AppContext, transaction
from bluealert.errors import AuditTampered, InvalidInput
from bluealert.store import audit, audit_checkpoint, node_key
from bluealert.store.tables import AuditEventRow, AuditHeadRow
from tests.conftest import Clock


@pytest.fixture(autouse=True)
def _chicago_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times are read here: a non-UTC zone shows any that is taken as local."""
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _write_events(ctx: AppContext, first: int, last: int) -> None:
    with transaction(ctx) as tx:
        for i in range(first, last + 1):
            tx.audit(
                "alert.updated",
                actor="tx.kim",
                subject_type="alert",
                subject_id=f"a{i % 2}",
                now=ctx.clock(),
                note=f"change {i}",
            )


def _export(ctx: AppContext, path: Path) -> Path:
    with transaction(ctx) as tx:
        path.write_text("".join(audit.as_json_line(r) + "\n" for r in audit.events(tx.session)))
    return path


def _hashes(ctx: AppContext) -> dict[int, str]:
    with transaction(ctx) as tx:
        rows = tx.session.execute(select(AuditEventRow.seq, AuditEventRow.hash))
        return {int(seq): str(hash_) for seq, hash_ in rows}


def _rehash_from(session: Session, seq: int) -> None:
    """What an intruder with write access does after an edit: relink and rehash to the head."""
    rows = session.scalars(
        select(AuditEventRow).where(AuditEventRow.seq >= seq).order_by(AuditEventRow.seq)
    ).all()
    before = session.get(AuditEventRow, seq - 1)
    prev = before.hash if before else audit.GENESIS
    for row in rows:
        row.prev_hash = prev
        row.hash = prev = audit.event_hash(row)
    head = session.get(AuditHeadRow, 1)
    assert head is not None
    head.seq, head.hash = rows[-1].seq, prev


def delete_newest_and_move_head(session: Session) -> None:
    session.execute(delete(AuditEventRow).where(AuditEventRow.seq >= 5))
    fourth = session.get(AuditEventRow, 4)
    head = session.get(AuditHeadRow, 1)
    assert fourth is not None
    assert head is not None
    head.seq, head.hash = 4, fourth.hash


def edit_and_rehash(session: Session) -> None:
    third = session.get(AuditEventRow, 3)
    assert third is not None
    third.actor = "intruder"
    _rehash_from(session, 3)


def edit_first_and_rehash(session: Session) -> None:
    first = session.get(AuditEventRow, 1)
    assert first is not None
    first.data = {"note": "never happened"}
    _rehash_from(session, 1)


def empty_the_table(session: Session) -> None:
    session.execute(delete(AuditEventRow))
    session.execute(delete(AuditHeadRow))


@pytest.mark.parametrize(
    ("rewrite", "checkpoint_words", "export_break", "export_words"),
    [
        (
            delete_newest_and_move_head,
            "the log now ends at event 4, but the checkpoint made 2026-11-24T09:00:00+00:00 "
            "recorded event 6: the events from 5 on were deleted",
            5,
            "the log now ends at event 4, but the export before.jsonl recorded event 5",
        ),
        (
            edit_and_rehash,
            "event 6 no longer has the hash the checkpoint made 2026-11-24T09:00:00+00:00 recorded",
            3,
            "event 3 is not the event the export before.jsonl recorded: it was altered",
        ),
        (
            edit_first_and_rehash,
            "it or an event before it was altered and the chain rehashed",
            1,
            "event 1 is not the event the export before.jsonl recorded: it was altered",
        ),
        (
            empty_the_table,
            "the log holds no events, but the checkpoint made 2026-11-24T09:00:00+00:00 "
            "recorded event 6: it was emptied",
            1,
            "the log holds no events, but the export before.jsonl recorded event 1",
        ),
    ],
)
def test_a_rewritten_log_that_verifies_alone_is_caught_by_its_anchors(
    ctx: AppContext,
    tmp_path: Path,
    rewrite: Callable[[Session], None],
    checkpoint_words: str,
    export_break: int,
    export_words: str,
) -> None:
    _write_events(ctx, 1, 6)
    made = make_checkpoint(ctx, tmp_path / "checkpoint.json")
    exported = _export(ctx, tmp_path / "before.jsonl")
    with transaction(ctx) as tx:
        rewrite(tx.session)
    with transaction(ctx) as tx:
        assert audit.verify(tx.session).ok, "the rewrite must fool the chain alone"

    against_checkpoint = verify_against(ctx, tmp_path / "checkpoint.json")
    assert not against_checkpoint.ok
    assert against_checkpoint.chain.ok
    assert against_checkpoint.check.breaks_at == made.head.seq == 6
    assert checkpoint_words in against_checkpoint.check.problem

    against_export = verify_against(ctx, exported)
    assert not against_export.ok
    assert against_export.check.breaks_at == export_break
    assert export_words in against_export.check.problem


def test_a_chain_that_grew_since_still_extends_its_checkpoint(
    ctx: AppContext, tmp_path: Path, clock: Clock
) -> None:
    _write_events(ctx, 1, 3)
    made = make_checkpoint(ctx, tmp_path / "checkpoint.json")
    assert (made.head.seq, made.head.hash) == (3, _hashes(ctx)[3])
    exported = _export(ctx, tmp_path / "earlier.jsonl")
    clock.advance(hours=1)
    _write_events(ctx, 4, 9)
    for path in (tmp_path / "checkpoint.json", exported):
        result = verify_against(ctx, path)
        assert result.ok, result.check.problem
        assert (result.check.breaks_at, result.chain.checked) == (None, 9)
        assert (result.anchor.newest.seq, result.anchor.newest.hash) == (3, _hashes(ctx)[3])
    assert verify_against(ctx, exported).anchor.events == 3


def test_the_checkpoint_names_the_head_its_time_and_the_key(
    ctx: AppContext, tmp_path: Path, clock: Clock
) -> None:
    _write_events(ctx, 1, 2)
    head_time = clock.now
    clock.advance(minutes=5)
    made = make_checkpoint(ctx, tmp_path / "checkpoint.json")
    written = json.loads((tmp_path / "checkpoint.json").read_text())
    assert written == made.document
    key = node_key.load(ctx.settings.generated_audit_key, "test")
    expected_id = (
        "sha256:"
        + hashlib.sha256(
            key.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        ).hexdigest()
    )
    assert written["format"] == "bluealert-audit-checkpoint"
    assert written["version"] == 1
    assert written["head"] == {"seq": 2, "hash": _hashes(ctx)[2], "at": head_time.isoformat()}
    assert written["made_at"] == "2026-11-24T09:05:00+00:00"
    assert written["key"] == {"algorithm": "Ed25519", "id": expected_id}
    unsigned = {k: v for k, v in written.items() if k != "signature"}
    signed_bytes = json.dumps(unsigned, sort_keys=True, separators=(",", ":")).encode()
    node_key.verify(key.public_key(), base64.b64decode(written["signature"]), signed_bytes)


def test_the_node_key_is_made_once_and_kept_private(ctx: AppContext, tmp_path: Path) -> None:
    key_file = ctx.settings.generated_audit_key
    assert not key_file.exists()
    first = make_checkpoint(ctx, tmp_path / "one.json")
    pem = key_file.read_bytes()
    assert key_file.stat().st_mode & 0o777 == 0o600
    second = make_checkpoint(ctx, tmp_path / "two.json")
    assert key_file.read_bytes() == pem
    assert first.document["key"] == second.document["key"]


def test_an_empty_log_can_be_anchored(ctx: AppContext, tmp_path: Path) -> None:
    made = make_checkpoint(ctx, tmp_path / "empty.json")
    assert made.document["head"] == {"seq": 0, "hash": "0" * 64, "at": None}
    _write_events(ctx, 1, 2)
    assert verify_against(ctx, tmp_path / "empty.json").ok


def test_no_checkpoint_vouches_for_a_chain_that_does_not_verify(
    ctx: AppContext, tmp_path: Path
) -> None:
    _write_events(ctx, 1, 3)
    with transaction(ctx) as tx:
        row = tx.session.get(AuditEventRow, 2)
        assert row is not None
        row.actor = "intruder"
    with pytest.raises(AuditTampered, match="does not verify at event 2"):
        make_checkpoint(ctx, tmp_path / "checkpoint.json")
    assert not (tmp_path / "checkpoint.json").exists()


def test_the_configured_folder_receives_checkpoints_named_by_head(
    ctx: AppContext, tmp_path: Path
) -> None:
    ctx.settings = ctx.settings.model_copy(update={"audit_checkpoint_dir": tmp_path / "vault"})
    _write_events(ctx, 1, 4)
    made = make_checkpoint(ctx)
    assert (
        made.written_to == tmp_path / "vault" / "audit-checkpoint-0000000004-20261124T090000Z.json"
    )
    assert json.loads(made.written_to.read_text()) == made.document
    assert sorted(p.name for p in (tmp_path / "vault").iterdir()) == [made.written_to.name]


def _write_key(path: Path, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> Path:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path


def test_a_configured_rsa_key_signs_and_verifies(ctx: AppContext, tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = _write_key(tmp_path / "rsa.pem", key)
    ctx.settings = ctx.settings.model_copy(update={"audit_signing_key": path})
    _write_events(ctx, 1, 2)
    made = make_checkpoint(ctx, tmp_path / "checkpoint.json")
    assert made.document["key"]["algorithm"] == "RSA-SHA256"
    assert not ctx.settings.generated_audit_key.exists()
    assert verify_against(ctx, tmp_path / "checkpoint.json").ok


@pytest.mark.parametrize(
    ("make_key", "words"),
    [
        (lambda: rsa.generate_private_key(public_exponent=65537, key_size=1024), "1024-bit"),
        (lambda: ec.generate_private_key(ec.SECP256R1()), "use Ed25519 or RSA"),
    ],
)
def test_weak_or_other_keys_are_refused(
    ctx: AppContext, tmp_path: Path, make_key: Callable[[], rsa.RSAPrivateKey], words: str
) -> None:
    path = _write_key(tmp_path / "key.pem", make_key())
    ctx.settings = ctx.settings.model_copy(update={"audit_signing_key": path})
    with pytest.raises(InvalidInput, match=words) as refused:
        make_checkpoint(ctx, tmp_path / "checkpoint.json")
    assert refused.value.field == "BLUEALERT_AUDIT_SIGNING_KEY"


def test_a_missing_configured_key_is_refused_not_created(ctx: AppContext, tmp_path: Path) -> None:
    ctx.settings = ctx.settings.model_copy(update={"audit_signing_key": tmp_path / "none.pem"})
    with pytest.raises(InvalidInput, match="cannot read the key") as refused:
        make_checkpoint(ctx, tmp_path / "checkpoint.json")
    assert refused.value.field == "BLUEALERT_AUDIT_SIGNING_KEY"
    assert not (tmp_path / "none.pem").exists()


def _resigned(ctx: AppContext, document: dict[str, object]) -> str:
    """A document signed with the node's own key: only its content can be wrong."""
    key = node_key.load(ctx.settings.generated_audit_key, "test")
    unsigned = {k: v for k, v in document.items() if k != "signature"}
    signature = node_key.sign(key, audit.canonical(unsigned))
    return json.dumps({**unsigned, "signature": base64.b64encode(signature).decode()})


def _edited(text: str, **changes: object) -> str:
    return json.dumps({**json.loads(text), **changes})


@pytest.mark.parametrize(
    ("forge", "field", "words"),
    [
        (lambda ctx, t: t.replace('"seq": 2', '"seq": 1'), "checkpoint.signature", "altered"),
        (lambda ctx, t: _edited(t, signature="not base64!"), "checkpoint.signature", "base64"),
        (lambda ctx, t: _edited(t, version=2), "checkpoint.version", "version 2"),
        (lambda ctx, t: _edited(t, format="other"), "checkpoint.format", "'other'"),
        (lambda ctx, t: "[1, 2]", "checkpoint", "not a JSON object"),
        (lambda ctx, t: "{", "checkpoint", "not JSON"),
        (
            lambda ctx, t: _resigned(ctx, {**json.loads(t), "made_at": "2026-11-24T09:00:00"}),
            "checkpoint.made_at",
            "UTC offset",
        ),
        (
            lambda ctx, t: _resigned(
                ctx, {**json.loads(t), "head": {"seq": -1, "hash": "0" * 64, "at": None}}
            ),
            "checkpoint.head.seq",
            "at least 0",
        ),
        (
            lambda ctx, t: _resigned(
                ctx, {**json.loads(t), "head": {"seq": 2, "hash": "ABC", "at": None}}
            ),
            "checkpoint.head.hash",
            "64 lowercase hex",
        ),
        (
            lambda ctx, t: _edited(t, key={"algorithm": "Ed25519", "id": "sha256:" + "1" * 64}),
            "checkpoint.key",
            "not this node's key",
        ),
    ],
)
def test_a_bad_or_badly_signed_checkpoint_is_refused_naming_the_field(
    ctx: AppContext,
    tmp_path: Path,
    forge: Callable[[AppContext, str], str],
    field: str,
    words: str,
) -> None:
    _write_events(ctx, 1, 2)
    make_checkpoint(ctx, tmp_path / "checkpoint.json")
    forged = tmp_path / "forged.json"
    forged.write_text(forge(ctx, (tmp_path / "checkpoint.json").read_text()))
    with pytest.raises(InvalidInput, match=words) as refused:
        verify_against(ctx, forged)
    assert refused.value.field == field


def test_a_checkpoint_from_another_node_is_refused(
    ctx: AppContext, tmp_path: Path, clock: Clock
) -> None:
    _write_events(ctx, 1, 2)
    make_checkpoint(ctx, tmp_path / "ours.json")
    other = AppContext(
        ctx.settings.model_copy(update={"data_dir": tmp_path / "other-node"}),
        ctx.engine,
        ctx.sessions,
        clock,
    )
    make_checkpoint(other, tmp_path / "theirs.json")
    with pytest.raises(InvalidInput, match="not this node's key") as refused:
        verify_against(ctx, tmp_path / "theirs.json")
    assert refused.value.field == "checkpoint.key"
    assert verify_against(ctx, tmp_path / "ours.json").ok


def test_a_node_that_never_made_a_checkpoint_signed_none(ctx: AppContext, tmp_path: Path) -> None:
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(json.dumps({"format": "bluealert-audit-checkpoint", "version": 1}))
    with pytest.raises(InvalidInput, match="has no audit key"):
        verify_against(ctx, checkpoint)
    assert not ctx.settings.generated_audit_key.exists()


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _rewrite(path: Path, lines: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))


def _edit_note(lines: list[dict[str, object]]) -> None:
    lines[1]["data"] = {"note": "changed in the file"}


def _drop_hash_format(lines: list[dict[str, object]]) -> None:
    for line in lines:
        del line["hash_format"]


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (_edit_note, "line 2: event 2's hash does not match its content"),
        (lambda lines: lines.reverse(), "line 2: event 2 comes after event 3"),
        (lambda lines: lines[0].pop("hash"), "line 1: lacks hash"),
        (lambda lines: lines[0].update(hash_format=9), "line 1: hash format 9 is unknown"),
        (lambda lines: lines[0].update(seq=True), "line 1: seq must be a whole number"),
        (lambda lines: lines.clear(), "is empty"),
    ],
)
def test_an_edited_or_empty_export_is_refused_naming_the_line(
    ctx: AppContext, tmp_path: Path, edit: Callable[[list[dict[str, object]]], None], words: str
) -> None:
    _write_events(ctx, 1, 3)
    exported = _export(ctx, tmp_path / "export.jsonl")
    lines = _lines(exported)
    edit(lines)
    _rewrite(exported, lines)
    with pytest.raises(InvalidInput, match=words):
        verify_against(ctx, exported)


def test_an_export_whose_middle_line_was_swapped_for_another_chain_is_refused(
    ctx: AppContext, tmp_path: Path
) -> None:
    _write_events(ctx, 1, 3)
    exported = _lines(_export(ctx, tmp_path / "export.jsonl"))
    with transaction(ctx) as tx:
        second = tx.session.get(AuditEventRow, 2)
        assert second is not None
        second.actor = "intruder"
        _rehash_from(tx.session, 2)
    rehashed = _lines(_export(ctx, tmp_path / "rehashed.jsonl"))
    mixed = tmp_path / "mixed.jsonl"
    _rewrite(mixed, [exported[0], rehashed[1], exported[2]])
    with pytest.raises(InvalidInput, match="line 3: event 3 does not follow event 2's hash"):
        verify_against(ctx, mixed)


def test_an_export_from_before_hash_formats_were_named_still_anchors(
    ctx: AppContext, tmp_path: Path
) -> None:
    _write_events(ctx, 1, 3)
    exported = _export(ctx, tmp_path / "export.jsonl")
    lines = _lines(exported)
    _drop_hash_format(lines)
    _rewrite(exported, lines)
    assert verify_against(ctx, exported).ok


def test_an_export_of_one_subject_anchors_its_events(ctx: AppContext, tmp_path: Path) -> None:
    _write_events(ctx, 1, 6)
    with transaction(ctx) as tx:
        lines = [audit.as_json_line(r) for r in audit.events(tx.session, "a1")]
    subject = tmp_path / "a1.jsonl"
    subject.write_text("\n".join(lines) + "\n")
    assert [json.loads(line)["seq"] for line in lines] == [1, 3, 5]
    assert verify_against(ctx, subject).ok
    with transaction(ctx) as tx:
        edit_and_rehash(tx.session)
    result = verify_against(ctx, subject)
    assert result.check.breaks_at == 3
    assert "it or an event before it was altered" in result.check.problem


@pytest.mark.parametrize("content", [b"\xff\xfe{}", b""])
def test_a_file_that_is_neither_is_bad_input(
    ctx: AppContext, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "anchor"
    path.write_bytes(content)
    make_checkpoint(ctx, tmp_path / "unused.json")  # the node has a key
    with pytest.raises(InvalidInput):
        verify_against(ctx, path)


def test_an_oversized_file_is_not_read_as_a_checkpoint(ctx: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_text("{\n" + " " * (audit_checkpoint.MAX_BYTES + 1))
    with pytest.raises(InvalidInput, match="neither an audit export nor a checkpoint"):
        verify_against(ctx, path)
    assert os.path.getsize(path) > audit_checkpoint.MAX_BYTES


def test_an_event_deleted_from_the_middle_is_named_against_an_export(
    ctx: AppContext, tmp_path: Path
) -> None:
    _write_events(ctx, 1, 5)
    exported = _export(ctx, tmp_path / "before.jsonl")
    with transaction(ctx) as tx:
        tx.session.execute(delete(AuditEventRow).where(AuditEventRow.seq == 3))
    result = verify_against(ctx, exported)
    assert (result.chain.ok, result.chain.bad_seq) == (False, 3)
    assert result.check.breaks_at == 3
    assert result.check.problem == (
        "event 3, which the export before.jsonl recorded, is no longer stored: it was deleted"
    )


def test_a_rehashed_chain_names_the_hash_the_checkpoint_recorded(
    ctx: AppContext, tmp_path: Path
) -> None:
    _write_events(ctx, 1, 4)
    made = make_checkpoint(ctx, tmp_path / "checkpoint.json")
    with transaction(ctx) as tx:
        edit_and_rehash(tx.session)
    problem = verify_against(ctx, tmp_path / "checkpoint.json").check.problem
    assert f"({made.head.hash[:16]}…)" in problem
    assert made.head.hash[:17] + "…" not in problem


def test_a_badly_signed_rsa_checkpoint_is_refused(ctx: AppContext, tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = _write_key(tmp_path / "rsa.pem", key)
    ctx.settings = ctx.settings.model_copy(update={"audit_signing_key": path})
    _write_events(ctx, 1, 2)
    checkpoint = tmp_path / "checkpoint.json"
    make_checkpoint(ctx, checkpoint)
    checkpoint.write_text(checkpoint.read_text().replace('"seq": 2', '"seq": 1'))
    with pytest.raises(InvalidInput, match="does not verify with this node's key"):
        verify_against(ctx, checkpoint)


@pytest.mark.parametrize("pem", [b"not a key", b"-----BEGIN PRIVATE KEY-----\nAAAA\n"])
def test_a_configured_file_that_is_no_key_is_refused(
    ctx: AppContext, tmp_path: Path, pem: bytes
) -> None:
    path = tmp_path / "key.pem"
    path.write_bytes(pem)
    ctx.settings = ctx.settings.model_copy(update={"audit_signing_key": path})
    with pytest.raises(InvalidInput, match="is not an unencrypted PEM private key") as refused:
        make_checkpoint(ctx, tmp_path / "checkpoint.json")
    assert refused.value.field == "BLUEALERT_AUDIT_SIGNING_KEY"


def test_the_node_key_is_made_in_a_data_directory_not_there_yet(
    ctx: AppContext, tmp_path: Path
) -> None:
    nested = tmp_path / "not" / "there" / "yet"
    ctx.settings = ctx.settings.model_copy(update={"data_dir": nested})
    make_checkpoint(ctx, tmp_path / "checkpoint.json")
    assert (nested / "audit-signing-key.pem").is_file()
