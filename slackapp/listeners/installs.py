"""OAuth distribution: a workspace that uninstalls Kindly (or revokes its bot) loses its tokens and data.

Bolt's own revocation listeners would only delete tokens, and Bolt runs one listener per event, so
these do both. Both events skip authorisation in Bolt (the tokens may already be gone).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from slackapp.services import Services
from slackapp.store.db import engine_of, flush_deleted_pages
from slackapp.store.workspace_data import delete_workspace_data

log = logging.getLogger(__name__)

INSTALL_EVENTS = ("app_uninstalled", "tokens_revoked")


def register(app: App, services: Services, installations: SQLAlchemyInstallationStore) -> None:
    def forget_workspace(context: BoltContext) -> None:
        enterprise_id, team_id = context.enterprise_id, context.team_id
        installations.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        scope = team_id or enterprise_id
        if scope:
            with services.sessions.begin() as session:
                delete_workspace_data(session, team_id=scope)
            flush_deleted_pages(engine_of(services.sessions))
        log.info("a workspace uninstalled Kindly: its tokens and data are deleted")

    @app.event("app_uninstalled")
    def app_uninstalled(context: BoltContext) -> None:
        forget_workspace(context)

    @app.event("tokens_revoked")
    def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        tokens = event.get("tokens") or {}
        for user_id in tokens.get("oauth") or []:
            installations.delete_installation(
                enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id
            )
        if tokens.get("bot"):
            forget_workspace(context)
