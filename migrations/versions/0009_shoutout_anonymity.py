"""Shout-out anonymity: the quota leaves the database, and SQLite keeps shout-outs without a rowid.

The old quota counters were keyed by a secret derived from the master key, and written right next to
the shout-out they counted; they are dropped (today's counts start again, in memory). SQLite's rowid
numbers rows in the order they came in, so the shout-outs table is rebuilt without one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _rebuild_shoutouts(*, with_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL has no rowid
    with op.batch_alter_table("shoutouts", recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}):
        pass


def upgrade() -> None:
    op.drop_index("ix_shoutout_quota_day", table_name="shoutout_quota")
    op.drop_table("shoutout_quota")
    _rebuild_shoutouts(with_rowid=False)


def downgrade() -> None:
    _rebuild_shoutouts(with_rowid=True)
    op.create_table(
        "shoutout_quota",
        sa.Column("sender_key", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sender_key", name=op.f("pk_shoutout_quota")),
    )
    op.create_index("ix_shoutout_quota_day", "shoutout_quota", ["day"])
