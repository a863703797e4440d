"""HR leads, team prompt programs, prompt feedback, workspace support and retention settings.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hr_leads",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_hr_leads")),
    )
    op.create_table(
        "team_programs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("audience_kind", sa.String(length=16), nullable=False),
        sa.Column("audience_id", sa.String(length=32), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("local_time", sa.Time(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("themes", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_programs")),
    )
    op.create_index("ix_team_programs_audience", "team_programs", ["team_id", "audience_id"])
    op.create_table(
        "prompt_feedback",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["team_programs.id"],
            name=op.f("fk_prompt_feedback_program_id_team_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_prompt_feedback")),
    )
    op.create_index("ix_prompt_feedback_program_week", "prompt_feedback", ["program_id", "week"])
    with op.batch_alter_table("schedules") as batch:
        batch.add_column(sa.Column("program_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_schedules_program_id_team_programs"),
            "team_programs",
            ["program_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index("ix_schedules_program_id", ["program_id"])
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("team_prompts", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("support_text", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("support_url", sa.String(length=500), nullable=False, server_default=""))
        batch.add_column(sa.Column("retention_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("anonymity_k", sa.SmallInteger(), nullable=False, server_default="5"))


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("anonymity_k")
        batch.drop_column("retention_days")
        batch.drop_column("support_url")
        batch.drop_column("support_text")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("team_prompts")
    with op.batch_alter_table("schedules") as batch:
        batch.drop_index("ix_schedules_program_id")
        batch.drop_constraint(op.f("fk_schedules_program_id_team_programs"), type_="foreignkey")
        batch.drop_column("program_id")
    op.drop_index("ix_prompt_feedback_program_week", table_name="prompt_feedback")
    op.drop_table("prompt_feedback")
    op.drop_index("ix_team_programs_audience", table_name="team_programs")
    op.drop_table("team_programs")
    op.drop_table("hr_leads")
