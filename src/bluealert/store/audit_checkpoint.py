"""Signed checkpoints of the audit chain's head, to keep outside the database.

A checkpoint is one JSON object (docs/architecture.md, "Anchoring the audit log"):

    {"format": "bluealert-audit-checkpoint", "version": 1,
     "head": {"seq": 42, "hash": "<64 hex>", "at": "2026-11-24T15:00:00+00:00"},
     "made_at": "2026-11-24T15:05:00+00:00",
     "key": {"algorithm": "Ed25519", "id": "sha256:<64 hex>"},
     "signature": "<base64>"}

`signature` signs the canonical JSON (store.audit.canonical) of every other member. Whoever
rewrites the database cannot make a checkpoint that still verifies without the node's key.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature

from bluealert.errors import InvalidInput
from bluealert.store import node_key
from bluealert.store.audit import Head, canonical
from bluealert.store.node_key import PublicKey, SigningKey

FORMAT = "bluealert-audit-checkpoint"
VERSION = 1
# A checkpoint is a few hundred bytes; anything much larger is not one.
MAX_BYTES = 64 * 1024
_HASH = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint whose signature verified: the head it anchors, when, and by which key."""

    head: Head
    made_at: datetime
    key_id: str


def make(head: Head, made_at: datetime, key: SigningKey) -> dict[str, Any]:
    """The signed checkpoint document of `head`."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "head": {
            "seq": head.seq,
            "hash": head.hash,
            "at": head.at.astimezone(UTC).isoformat() if head.at else None,
        },
        "made_at": made_at.astimezone(UTC).isoformat(),
        "key": {"algorithm": node_key.algorithm(key), "id": node_key.key_id(key.public_key())},
    }
    signature = node_key.sign(key, canonical(document))
    return {**document, "signature": base64.b64encode(signature).decode("ascii")}


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def read(text: str, key: PublicKey) -> Checkpoint:
    """Parse a checkpoint and check it was signed by `key`; InvalidInput naming what is wrong."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _bad(f"not JSON ({error})") from error
    if not isinstance(document, dict):
        raise _bad("not a JSON object")
    if document.get("format") != FORMAT:
        raise _bad(f"its format is {document.get('format')!r}, not {FORMAT!r}", "format")
    if document.get("version") != VERSION:
        raise _bad(f"version {document.get('version')!r} is unknown; this reads 1", "version")
    head, made_at = _head(document.get("head")), _time(document.get("made_at"), "made_at")
    _check_signature(document, key)
    return Checkpoint(head, made_at, node_key.key_id(key))


def _head(value: Any) -> Head:
    if not isinstance(value, dict):
        raise _bad("needs an object with seq, hash and at", "head")
    seq, hash_ = value.get("seq"), value.get("hash")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise _bad("must be a whole number of at least 0", "head.seq")
    if not isinstance(hash_, str) or not _HASH.match(hash_):
        raise _bad("must be 64 lowercase hex digits", "head.hash")
    at = value.get("at")
    return Head(seq, hash_, None if at is None else _time(at, "head.at"))


def _time(value: Any, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.utcoffset() is None:
        raise _bad("must be an ISO 8601 time with its UTC offset", field)
    return parsed


def _check_signature(document: dict[str, Any], key: PublicKey) -> None:
    claimed = document.get("key")
    expected = {"algorithm": node_key.algorithm(key), "id": node_key.key_id(key)}
    if claimed != expected:
        raise _bad(
            f"it was signed by key {claimed!r}, not this node's key {expected['id']} "
            f"({expected['algorithm']})",
            "key",
        )
    try:
        signature = base64.b64decode(document.get("signature") or "", validate=True)
    except (binascii.Error, TypeError) as error:
        raise _bad("is not base64", "signature") from error
    signed = {name: value for name, value in document.items() if name != "signature"}
    try:
        node_key.verify(key, signature, canonical(signed))
    except (InvalidSignature, ValueError) as error:  # ValueError: NaN, which JSON cannot sign
        raise _bad(
            "does not verify with this node's key: the checkpoint was altered or forged",
            "signature",
        ) from error


def _bad(rule: str, field: str | None = None) -> InvalidInput:
    where = f"checkpoint.{field}" if field else "checkpoint"
    return InvalidInput(f"the checkpoint file {rule}" if field is None else rule, field=where)
