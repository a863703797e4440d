"""Org-wide installs: the workspace a member acts from, and the one a team program's audience is in.

An org-wide install's one bot token must name the workspace to users.list, usergroups.* and dnd.teamInfo
(`team_id`); Kindly's data is scoped by the org, so the workspace is kept beside it. Null elsewhere.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("members", "team_programs")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("workspace_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("workspace_id")
