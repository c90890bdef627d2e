"""tips: what the public saw about an active alert, for law enforcement to review

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tips",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("seen", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("seen_at", WHEN, nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("received_at", WHEN, nullable=False),
        sa.Column("reviewed_at", WHEN, nullable=True),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], name=op.f("fk_tips_alert_id_alerts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tips")),
    )
    with op.batch_alter_table("tips", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tips_alert_id"), ["alert_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tips_alert_id"))
    op.drop_table("tips")
