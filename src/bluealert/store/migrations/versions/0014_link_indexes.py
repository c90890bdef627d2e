"""Indexes on alerts.linked_alert_id and activation_requests.source_alert_id

Every update, renewal and cancel of an alert looks up the alerts linked to it and the requests
made about it (`AlertRepository.linked_to`, `ActivationRequestRepository.for_alert`), and
neither database indexes a foreign key by itself: without these each step read the whole table.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 09:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alerts_linked_alert_id"), ["linked_alert_id"], unique=False
        )
    with op.batch_alter_table("activation_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activation_requests_source_alert_id"), ["source_alert_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("activation_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activation_requests_source_alert_id"))
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_linked_alert_id"))
