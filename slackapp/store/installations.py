"""Slack OAuth installations, in our own database through slack_sdk's SQLAlchemy stores."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

STATE_EXPIRATION_SECONDS = 600


def installation_store(engine: Engine, *, client_id: str) -> SQLAlchemyInstallationStore:
    # Tables come from migration 0005; the store never creates them itself.
    return SQLAlchemyInstallationStore(client_id=client_id, engine=engine)


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine)


def bot_token(store: SQLAlchemyInstallationStore, *, team_id: str) -> str | None:
    """The bot token of a workspace (or of an org-wide install, keyed by its enterprise id)."""
    bot = store.find_bot(enterprise_id=None, team_id=team_id) or store.find_bot(
        enterprise_id=team_id, team_id=None, is_enterprise_install=True
    )
    return bot.bot_token if bot is not None else None
