"""The private self-check (SSCS-S): sealed answers, and the person's before-and-after choice.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "self_checks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("taken_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_self_checks"),
    )
    op.create_index("ix_self_checks_person_taken", "self_checks", ["team_id", "user_id", "taken_at"])
    op.create_table(
        "self_check_settings",
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("before_and_after", sa.Boolean(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id", name="pk_self_check_settings"),
    )


def downgrade() -> None:
    op.drop_table("self_check_settings")
    op.drop_index("ix_self_checks_person_taken", table_name="self_checks")
    op.drop_table("self_checks")
