"""Slack OAuth: slack_sdk's installation and OAuth state tables, under Alembic like the rest.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _tables() -> sa.MetaData:
    # The stores' own table builders, so that the columns are exactly what slack_sdk reads and writes.
    metadata = sa.MetaData()
    SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")
    return metadata


def upgrade() -> None:
    _tables().create_all(op.get_bind())


def downgrade() -> None:
    _tables().drop_all(op.get_bind())
