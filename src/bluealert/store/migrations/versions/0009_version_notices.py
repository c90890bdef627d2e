"""alert_versions.notices: what the step that wrote a version did otherwise than asked

An expiry later than the plan allows is capped at approval or update (issue 8); the version
keeps the expiry that applies and a notice saying so. Versions written before hold none.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 14:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

versions = sa.table("alert_versions", sa.column("notices", sa.JSON))


def upgrade() -> None:
    with op.batch_alter_table("alert_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notices", sa.JSON(), nullable=True))
    op.get_bind().execute(versions.update().values(notices=[]))
    with op.batch_alter_table("alert_versions", schema=None) as batch_op:
        batch_op.alter_column("notices", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("alert_versions", schema=None) as batch_op:
        batch_op.drop_column("notices")
