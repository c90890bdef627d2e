"""dissemination: partners, renderings, deliveries; subscriptions' language and confirmation

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=2), server_default="en", nullable=False)
        )
        batch_op.add_column(sa.Column("confirmed_at", WHEN, nullable=True))
        batch_op.add_column(sa.Column("unsubscribe_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_subscriptions_unsubscribe_token"), ["unsubscribe_token"]
        )
    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("area", sa.JSON(), nullable=False),
        sa.Column("formats", sa.JSON(), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("statuses", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=True),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("disabled_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("name", name=op.f("uq_partners_name")),
    )
    op.create_index(op.f("ix_partners_enabled"), "partners", ["enabled"], unique=False)
    op.create_table(
        "renderings",
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("refusal", sa.Text(), nullable=True),
        sa.Column("rendered_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_renderings_alert_id_alerts")
        ),
        sa.PrimaryKeyConstraint("alert_id", "version", "format", name=op.f("pk_renderings")),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=10), nullable=False),
        sa.Column("recipient", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("announced_at", WHEN, nullable=False),
        sa.Column("planned_at", WHEN, nullable=False),
        sa.Column("queued_at", WHEN, nullable=True),
        sa.Column("next_attempt_at", WHEN, nullable=True),
        sa.Column("lease_until", WHEN, nullable=True),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_deliveries_alert_id_alerts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("key", name=op.f("uq_deliveries_key")),
    )
    op.create_index("ix_deliveries_alert", "deliveries", ["alert_id", "version", "event"])
    op.create_index("ix_deliveries_state", "deliveries", ["state", "next_attempt_at"])
    op.create_index("ix_deliveries_recipient", "deliveries", ["alert_id", "recipient", "channel"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_recipient", table_name="deliveries")
    op.drop_index("ix_deliveries_state", table_name="deliveries")
    op.drop_index("ix_deliveries_alert", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_table("renderings")
    op.drop_index(op.f("ix_partners_enabled"), table_name="partners")
    op.drop_table("partners")
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_subscriptions_unsubscribe_token"), type_="unique")
        batch_op.drop_column("unsubscribe_token")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("language")
