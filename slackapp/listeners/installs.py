"""Installations coming and going: under OAuth, an installation that is removed (or whose bot is revoked)
loses its tokens and its data, or with a grace period (KINDLY_UNINSTALL_GRACE_DAYS) its data is held, and a
reinstall through Bolt's OAuth pages within it keeps the data and restarts what the uninstall stopped; with
one workspace's bot token, the data is the operator's to keep or purge, and the listeners say what
happened."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs

from slackapp.flows.installations import (
    NamedInstallation,
    Uninstalls,
    reinstate_installation,
    revoke_tokens,
    uninstall,
)
from slackapp.listeners.routes import Route
from slackapp.services import Services

log = logging.getLogger(__name__)

APP_UNINSTALLED = "app_uninstalled"
TOKENS_REVOKED = "tokens_revoked"


def _named(context: BoltContext) -> NamedInstallation:
    return NamedInstallation(
        enterprise_id=context.enterprise_id,
        team_id=context.team_id,
        is_enterprise_install=bool(context.is_enterprise_install),
    )


def app_uninstalled(context: BoltContext, services: Services, uninstalls: Uninstalls) -> None:
    uninstall(services, uninstalls, _named(context))


def tokens_revoked(
    event: dict[str, Any], context: BoltContext, services: Services, uninstalls: Uninstalls
) -> None:
    tokens = event.get("tokens") or {}
    users = tokens.get("oauth") or []
    revoke_tokens(services, uninstalls, _named(context), users=users, bot=bool(tokens.get("bot")))


def single_workspace_uninstalled() -> None:
    log.warning("Kindly was uninstalled from its workspace: reinstall it and set the new SLACK_BOT_TOKEN")


def single_workspace_tokens_revoked(event: dict[str, Any]) -> None:
    if (event.get("tokens") or {}).get("bot"):
        log.warning("Slack revoked Kindly's bot token: reinstall the app and set the new SLACK_BOT_TOKEN")


# Events, under OAuth distribution. Bolt's own revocation listeners would only delete tokens, and Bolt runs
# one listener per event, so these do both. Both events skip authorisation in Bolt (the tokens may be gone).
ROUTES = (
    Route(APP_UNINSTALLED, app_uninstalled),
    Route(TOKENS_REVOKED, tokens_revoked),
)
# Events, for one workspace (SLACK_BOT_TOKEN). The manifest subscribes to both events for OAuth
# distribution; acknowledging them here spares Slack retrying an event nothing handles.
SINGLE_WORKSPACE_ROUTES = (
    Route(APP_UNINSTALLED, single_workspace_uninstalled),
    Route(TOKENS_REVOKED, single_workspace_tokens_revoked),
)


def oauth_callbacks(services: Services) -> CallbackOptions:
    """Bolt's own install pages, once an installation is stored: a reinstall keeps its held data."""

    def installed(args: SuccessArgs) -> BoltResponse:
        if args.installation.bot_token:
            reinstated = reinstate_installation(services, args.installation)
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
