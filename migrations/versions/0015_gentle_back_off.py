"""Gentle back-off: after three personal reminders in a row with no answer, Kindly comes half as often
until any kind moment or answer (never stopping on its own), unless the person keeps their schedule.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

FLAGS = ("eased", "skipped_last", "keep_pace")


def upgrade() -> None:
    with op.batch_alter_table("schedules") as batch:
        batch.add_column(
            sa.Column("unanswered", sa.SmallInteger(), nullable=False, server_default=sa.text("0"))
        )
        for flag in FLAGS:
            batch.add_column(sa.Column(flag, sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("schedules") as batch:
        for column in ("unanswered", *FLAGS):
            batch.drop_column(column)
