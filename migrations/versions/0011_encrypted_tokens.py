"""Tokens at rest: room for sealed Slack tokens, and the master keys' ages.

Slack's tokens are sealed with the master key by `slackapp.store.sealed_installations`; a sealed token is
longer than slack_sdk's 200 characters for refresh tokens, so PostgreSQL's columns become TEXT (SQLite does
not enforce lengths). Sealing the tokens already stored needs the master key, which a migration does not
have: `kindly migrate` (and every start) seals them afterwards, resumably.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

SECRET_COLUMNS = {
    "slack_installations": (
        "bot_token",
        "bot_refresh_token",
        "user_token",
        "user_refresh_token",
        "incoming_webhook_url",
    ),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


def _retype(to: sa.types.TypeEngine[str], from_: sa.types.TypeEngine[str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in SECRET_COLUMNS.items():
        for name in columns:
            op.alter_column(table, name, type_=to, existing_type=from_, existing_nullable=True)


def upgrade() -> None:
    _retype(sa.Text(), sa.String(length=200))
    op.create_table(
        "master_keys",
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_master_keys")),
    )


def downgrade() -> None:
    op.drop_table("master_keys")
    # Fails (rather than truncating) if a sealed refresh token is longer than slack_sdk's 200 characters.
    _retype(sa.String(length=200), sa.Text())
