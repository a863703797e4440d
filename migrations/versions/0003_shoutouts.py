"""Shout-outs: workspace settings, shout-outs without a sender, quota counters, the audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("receives_shoutouts", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.create_table(
        "workspaces",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("shoutout_channel", sa.String(length=32), nullable=True),
        sa.Column("shoutout_mode", sa.String(length=16), nullable=False),
        sa.Column("digest_weekday", sa.SmallInteger(), nullable=False),
        sa.Column("digest_time", sa.Time(), nullable=False),
        sa.Column("digest_tz", sa.String(length=64), nullable=False),
        sa.Column("next_digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("blocked_words", sa.Text(), nullable=False),
        sa.Column("extra_strengths", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_workspaces")),
    )
    op.create_index("ix_workspaces_next_digest_at", "workspaces", ["next_digest_at"])
    op.create_table(
        "shoutouts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("recipient_id", sa.String(length=32), nullable=False),
        sa.Column("strength", sa.String(length=80), nullable=False),
        sa.Column("note", sa.LargeBinary(), nullable=True),
        sa.Column("signed_by", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("sort_key", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("dm_channel", sa.String(length=32), nullable=True),
        sa.Column("dm_ts", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shoutouts")),
    )
    op.create_index("ix_shoutouts_team_status", "shoutouts", ["team_id", "status"])
    op.create_table(
        "shoutout_quota",
        sa.Column("sender_key", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sender_key", name=op.f("pk_shoutout_quota")),
    )
    op.create_index("ix_shoutout_quota_day", "shoutout_quota", ["day"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_team_at", "audit_log", ["team_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_team_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_shoutout_quota_day", table_name="shoutout_quota")
    op.drop_table("shoutout_quota")
    op.drop_index("ix_shoutouts_team_status", table_name="shoutouts")
    op.drop_table("shoutouts")
    op.drop_index("ix_workspaces_next_digest_at", table_name="workspaces")
    op.drop_table("workspaces")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("receives_shoutouts")
