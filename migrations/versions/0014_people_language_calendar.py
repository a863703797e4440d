"""Each person's language and calendar: their Slack locale, where their public holidays are, and until
when their Slack status says they are away; the workspace's default holiday country.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("locale", sa.String(16), nullable=True))
        batch.add_column(sa.Column("holiday_country", sa.String(2), nullable=True))
        batch.add_column(sa.Column("holiday_subdivision", sa.String(8), nullable=True))
        batch.add_column(sa.Column("skip_holidays", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("away_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("holiday_country", sa.String(2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("holiday_country")
    with op.batch_alter_table("members") as batch:
        for column in ("away_until", "skip_holidays", "holiday_subdivision", "holiday_country", "locale"):
            batch.drop_column(column)
