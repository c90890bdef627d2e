"""attestations and contributions on versions

Attestations move out of each version's content (where an alert file could write them) into a
column of their own, bound to the version and the SHA-256 of the content they were given on.
Those of published versions are kept as the record of what the alert was activated on; those of
drafts and pending alerts are dropped, since nothing shows who really gave them: the supervisor
attests again (a pending alert is returned first).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 16:00:00.000000
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

versions = sa.table(
    "alert_versions",
    sa.column("alert_id", sa.String),
    sa.column("number", sa.Integer),
    sa.column("content", sa.JSON),
    sa.column("published_at", sa.DateTime(timezone=True)),
    sa.column("attestations", sa.JSON),
    sa.column("contributions", sa.JSON),
)


def _digest(content: dict[str, Any]) -> str:
    """As domain.attestation.content_digest computes it (a copy: migrations do not change)."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _moved(content: dict[str, Any], number: int, published: bool) -> list[dict[str, Any]]:
    given = content.pop("attestations", None) or []
    if not published:
        return []
    digest = _digest(content)
    return [{**a, "version": number, "content_sha256": digest} for a in given]


def upgrade() -> None:
    with op.batch_alter_table("alert_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attestations", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("contributions", sa.JSON(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            versions.c.alert_id, versions.c.number, versions.c.content, versions.c.published_at
        )
    ).all()
    for alert_id, number, content, published_at in rows:
        content = dict(content)
        attestations = _moved(content, number, published_at is not None)
        connection.execute(
            versions.update()
            .where(versions.c.alert_id == alert_id, versions.c.number == number)
            .values(content=content, attestations=attestations, contributions=[])
        )
    with op.batch_alter_table("alert_versions", schema=None) as batch_op:
        batch_op.alter_column("attestations", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("contributions", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            versions.c.alert_id, versions.c.number, versions.c.content, versions.c.attestations
        )
    ).all()
    for alert_id, number, content, attestations in rows:
        old = [{k: a[k] for k in ("claim", "by", "at")} for a in attestations or []]
        connection.execute(
            versions.update()
            .where(versions.c.alert_id == alert_id, versions.c.number == number)
            .values(content={**content, "attestations": old})
        )
    with op.batch_alter_table("alert_versions", schema=None) as batch_op:
        batch_op.drop_column("contributions")
        batch_op.drop_column("attestations")
