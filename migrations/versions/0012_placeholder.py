"""Placeholder for revision 0012, which another branch adds: this one changes nothing.

It exists only so that 0013 (the self-check) has its parent on this branch; at merge the real 0012
replaces it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
