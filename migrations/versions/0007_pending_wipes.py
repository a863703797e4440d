"""Uninstall grace period: workspaces (or orgs) whose data is deleted once their grace period ends.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_wipes",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("wipe_after", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_pending_wipes")),
    )


def downgrade() -> None:
    op.drop_table("pending_wipes")
