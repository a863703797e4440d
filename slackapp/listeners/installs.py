"""OAuth distribution: an installation that is removed (or whose bot is revoked) loses its tokens and data.

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
from slackapp.store.installations import InstallationKey, installation_named
from slackapp.store.workspace_data import delete_workspace_data

log = logging.getLogger(__name__)

INSTALL_EVENTS = ("app_uninstalled", "tokens_revoked")


def register(app: App, services: Services, installations: SQLAlchemyInstallationStore) -> None:
    def named_installation(context: BoltContext) -> InstallationKey | None:
        return installation_named(
            installations,
            enterprise_id=context.enterprise_id,
            team_id=context.team_id,
            is_enterprise_install=bool(context.is_enterprise_install),
        )

    def forget_installation(installation: InstallationKey) -> None:
        installations.delete_all(enterprise_id=installation.enterprise_id, team_id=installation.team_id)
        with services.sessions.begin() as session:
            delete_workspace_data(session, team_id=installation.scope)
        flush_deleted_pages(engine_of(services.sessions))
        kind = "an org-wide installation" if installation.org_wide else "a workspace"
        log.info("%s uninstalled Kindly: its tokens and data are deleted", kind)

    @app.event("app_uninstalled")
    def app_uninstalled(context: BoltContext) -> None:
        installation = named_installation(context)
        if installation is not None:
            forget_installation(installation)

    @app.event("tokens_revoked")
    def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        installation = named_installation(context)
        if installation is None:
            return
        tokens = event.get("tokens") or {}
        for user_id in tokens.get("oauth") or []:
            installations.delete_installation(
                enterprise_id=installation.enterprise_id, team_id=installation.team_id, user_id=user_id
            )
        if tokens.get("bot"):
            forget_installation(installation)
