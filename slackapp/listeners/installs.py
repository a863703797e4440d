"""OAuth distribution: an installation that is removed (or whose bot is revoked) loses its tokens and data.

Bolt's own revocation listeners would only delete tokens, and Bolt runs one listener per event, so
these do both. Both events skip authorisation in Bolt (the tokens may already be gone). With a grace
period (KINDLY_UNINSTALL_GRACE_DAYS) the data is held instead, and a reinstall through the OAuth flow
within it keeps the data and restarts what the uninstall stopped.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from slackapp.flows.installations import delete_scope_data, hold_for_reinstall, reinstate
from slackapp.services import Services
from slackapp.store.installations import InstallationKey, installation_named, is_stored

log = logging.getLogger(__name__)

INSTALL_EVENTS = ("app_uninstalled", "tokens_revoked")


def register(
    app: App, services: Services, installations: SQLAlchemyInstallationStore, *, uninstall_grace: timedelta
) -> None:
    def named_installation(context: BoltContext) -> InstallationKey | None:
        return installation_named(
            installations,
            enterprise_id=context.enterprise_id,
            team_id=context.team_id,
            is_enterprise_install=bool(context.is_enterprise_install),
        )

    def forget_installation(installation: InstallationKey) -> None:
        # Slack sends both events for one uninstall: the second finds nothing stored and holds nothing.
        was_stored = is_stored(installations, installation)
        installations.delete_all(enterprise_id=installation.enterprise_id, team_id=installation.team_id)
        kind = "an org-wide installation" if installation.org_wide else "a workspace"
        if not uninstall_grace:
            delete_scope_data(services, scope=installation.scope)
            log.info("%s uninstalled Kindly: its tokens and data are deleted", kind)
        elif was_stored:
            wipe_after = hold_for_reinstall(services, scope=installation.scope, grace=uninstall_grace)
            log.info(
                "%s uninstalled Kindly: its tokens are deleted, its data goes after %s unless it reinstalls",
                kind,
                wipe_after.isoformat(timespec="minutes"),
            )

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


def register_single_workspace(app: App) -> None:
    """One workspace (SLACK_BOT_TOKEN): its data is the operator's to keep or purge; say what happened.

    The manifest subscribes to both events for OAuth distribution; acknowledging them here spares Slack
    retrying an event nothing handles.
    """

    @app.event("app_uninstalled")
    def app_uninstalled() -> None:
        log.warning("Kindly was uninstalled from its workspace: reinstall it and set the new SLACK_BOT_TOKEN")

    @app.event("tokens_revoked")
    def tokens_revoked(event: dict[str, Any]) -> None:
        if (event.get("tokens") or {}).get("bot"):
            log.warning("Slack revoked Kindly's bot token: reinstall the app and set the new SLACK_BOT_TOKEN")


def oauth_callbacks(services: Services) -> CallbackOptions:
    """Bolt's own install pages, once an installation is stored: a reinstall keeps its held data."""

    def installed(args: SuccessArgs) -> BoltResponse:
        if args.installation.bot_token:
            reinstated = reinstate(services, scope=InstallationKey.of(args.installation).scope)
            if reinstated.was_pending:
                log.info(
                    "a workspace or org reinstalled Kindly within its grace period: its data is kept, "
                    "%d reminders resume",
                    reinstated.resumed,
                )
        return args.default.success(args)

    def failed(args: FailureArgs) -> BoltResponse:
        return args.default.failure(args)

    return CallbackOptions(success=installed, failure=failed)
