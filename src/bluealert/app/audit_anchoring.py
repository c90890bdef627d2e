"""Use cases that anchor the audit log outside the database, and check it against an anchor.

`make_checkpoint` signs the verified head with the node's key and writes it out;
`verify_against` verifies the chain and proves it still extends a checkpoint or an earlier
export. A file that is unreadable, not an anchor, or badly signed is refused (InvalidInput)
before the database is read.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from bluealert.app.context import AppContext, transaction
from bluealert.errors import AuditTampered, InvalidInput
from bluealert.store import audit, audit_checkpoint, node_key
from bluealert.store.audit_anchors import AnchorCheck, AnchorPoint, compare, export_points
from bluealert.store.node_key import SigningKey

KEY_SETTING = "BLUEALERT_AUDIT_SIGNING_KEY"


def node_signing_key(ctx: AppContext, *, create: bool) -> SigningKey:
    """The configured key, else the node's own in the data directory (made when `create`)."""
    configured = ctx.settings.audit_signing_key
    if configured is not None:
        return node_key.load(configured, KEY_SETTING)
    path = ctx.settings.generated_audit_key
    if not path.exists() and create:
        try:
            return node_key.create(path)
        except FileExistsError:  # another process made it first: use theirs
            pass
    if not path.exists():
        raise InvalidInput(
            f"this node has no audit key ({path}, or set {KEY_SETTING}): it has made no "
            "checkpoint, so it signed none",
            field="checkpoint",
        )
    return node_key.load(path, KEY_SETTING)


@dataclass(frozen=True)
class MadeCheckpoint:
    document: dict[str, Any]
    head: audit.Head
    written_to: Path | None


def make_checkpoint(ctx: AppContext, out: Path | None = None) -> MadeCheckpoint:
    """Sign the head of a chain that verifies; write it to `out` or the configured folder."""
    key = node_signing_key(ctx, create=True)
    with transaction(ctx) as tx:
        verified = audit.verify(tx.session)
    if not verified.ok:
        raise AuditTampered(
            f"the audit log does not verify at event {verified.bad_seq}: {verified.problem}; "
            "a checkpoint now would vouch for it"
        )
    made_at = ctx.clock()
    document = audit_checkpoint.make(verified.head, made_at, key)
    target = out or _in_checkpoint_dir(ctx, verified.head, made_at)
    if target is not None:
        _write_atomically(target, audit_checkpoint.render(document))
    return MadeCheckpoint(document, verified.head, target)


def _in_checkpoint_dir(ctx: AppContext, head: audit.Head, made_at: datetime) -> Path | None:
    folder = ctx.settings.audit_checkpoint_dir
    if folder is None:
        return None
    stamp = made_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return folder / f"audit-checkpoint-{head.seq:010d}-{stamp}.json"


def _write_atomically(path: Path, text: str) -> None:
    """Never leave half a checkpoint behind: write aside, then rename over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


@dataclass(frozen=True)
class Anchor:
    """A checkpoint or export read from a file: its newest event and how to walk its events."""

    path: Path
    kind: str
    newest: AnchorPoint
    events: int
    made_at: datetime | None = None
    key_id: str | None = None

    @property
    def described(self) -> str:
        if self.made_at is not None:
            return f"the checkpoint made {self.made_at.isoformat()}"
        return f"the export {self.path.name}"

    def points(self) -> Iterator[AnchorPoint]:
        if self.kind == "checkpoint":
            yield self.newest
        else:
            yield from _export_file_points(self.path)


@dataclass(frozen=True)
class AnchoredVerification:
    chain: audit.Verification
    anchor: Anchor
    check: AnchorCheck

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.check.extends


def verify_against(
    ctx: AppContext, path: Path, progress: Callable[[int], None] | None = None
) -> AnchoredVerification:
    """Verify the chain, and that it still holds every event the anchor file recorded."""
    anchor = read_anchor(ctx, path)
    with transaction(ctx) as tx:
        chain = audit.verify(tx.session, progress)
        check = compare(tx.session, anchor.points(), anchor.described)
    return AnchoredVerification(chain, anchor, check)


def read_anchor(ctx: AppContext, path: Path) -> Anchor:
    """A checkpoint (checked against the node's key) or an export (checked line by line)."""
    with _opened(path) as handle:
        first = next((line for line in handle if line.strip()), "")
    if not first:
        raise InvalidInput(f"{path} is empty: neither a checkpoint nor an export", field="against")
    if _is_exported_event(first):
        return _export_anchor(path)
    with _opened(path) as handle:
        text = handle.read(audit_checkpoint.MAX_BYTES + 1)
    if len(text) > audit_checkpoint.MAX_BYTES:
        raise InvalidInput(
            f"{path} is neither an audit export nor a checkpoint (over "
            f"{audit_checkpoint.MAX_BYTES // 1024} KiB)",
            field="against",
        )
    found = audit_checkpoint.read(text, node_signing_key(ctx, create=False).public_key())
    point = AnchorPoint(found.head.seq, found.head.hash)
    return Anchor(path, "checkpoint", point, 1, found.made_at, found.key_id)


def _is_exported_event(line: str) -> bool:
    try:
        first = json.loads(line)
    except ValueError:
        return False
    return isinstance(first, dict) and "seq" in first and "format" not in first


def _export_anchor(path: Path) -> Anchor:
    count, newest = 0, None
    for point in _export_file_points(path):
        count, newest = count + 1, point
    if newest is None:
        raise InvalidInput(f"{path} holds no audit events to verify against", field="against")
    return Anchor(path, "export", newest, count)


def _export_file_points(path: Path) -> Iterator[AnchorPoint]:
    with _opened(path) as handle:
        yield from export_points(handle)


@contextmanager
def _opened(path: Path) -> Iterator[IO[str]]:
    """The file as UTF-8 text; one that is not UTF-8 is bad input naming it."""
    try:
        with path.open(encoding="utf-8") as handle:
            yield handle
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{path} is not UTF-8 text (byte {error.start}), so neither a checkpoint nor an export",
            field="against",
        ) from error
