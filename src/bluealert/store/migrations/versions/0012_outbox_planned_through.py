"""outbox.planned_through: the last subscription whose deliveries are planned

The planner commits the subscribers of an alert a page at a time (so that sending starts while
the rest is planned) and resumes after this id: another dispatcher, or the same after a crash,
goes on where the last committed page ended.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 18:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("planned_through", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("planned_through")
