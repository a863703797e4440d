"""Frozen weekly insight snapshots, and the kind of a prompt reaction ("helped" or "took_moment").

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insight_snapshots",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("k", sa.SmallInteger(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=True),
        sa.Column("took_moment", sa.Integer(), nullable=True),
        sa.Column("helped", sa.Integer(), nullable=True),
        sa.Column("shoutouts", sa.Integer(), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["team_programs.id"],
            name=op.f("fk_insight_snapshots_program_id_team_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("program_id", "week", name=op.f("pk_insight_snapshots")),
    )
    # Existing rows are all "This helped" taps: the default says so.
    with op.batch_alter_table("prompt_feedback") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=16), server_default="helped", nullable=False))


def downgrade() -> None:
    # Reactions of another kind than "helped" have no meaning without the column: drop them first.
    op.execute("DELETE FROM prompt_feedback WHERE kind <> 'helped'")
    with op.batch_alter_table("prompt_feedback") as batch:
        batch.drop_column("kind")
    op.drop_table("insight_snapshots")
