"""build_app: the only place where listeners, storage and the Slack client meet."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, cast

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.error import BoltError
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from slackapp.config import Settings
from slackapp.listeners import register_listeners
from slackapp.listeners.installs import oauth_callbacks
from slackapp.prompt_ack import signalling_ack
from slackapp.scopes import BOT_SCOPES
from slackapp.services import Services

INSTALL_PATH = "/slack/install"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"


def build_app(
    settings: Settings,
    services: Services,
    *,
    client: WebClient,
    listener_executor: Executor | None = None,
    installations: SQLAlchemyInstallationStore | None = None,
    states: SQLAlchemyOAuthStateStore | None = None,
) -> App:
    """A Bolt app: for one workspace (a bot token), or for many (OAuth, with `installations`).

    Handlers ack first; slow work runs after the ack.
    """
    oauth = None
    authorize = None
    if installations is not None and states is not None and settings.client_id and settings.client_secret:
        oauth = OAuthSettings(
            client_id=settings.client_id,
            client_secret=settings.client_secret.reveal(),
            scopes=list(BOT_SCOPES),
            installation_store=installations,
            state_store=states,
            redirect_uri_path=OAUTH_REDIRECT_PATH,
            install_path=INSTALL_PATH,
            # A reinstall within the uninstall grace period keeps the workspace's data.
            callback_options=oauth_callbacks(services),
        )
        authorize = _bot_authorize(installations, oauth)
    options: dict[str, Any] = {
        "listener_executor": listener_executor,
        "client": client,
        "signing_secret": settings.signing_secret.reveal() if settings.signing_secret else None,
        "request_verification_enabled": settings.signing_secret is not None,
        "process_before_response": False,
        "logger": logging.getLogger("slackapp.bolt"),
        "oauth_settings": oauth,
        "installation_store": installations if oauth else None,
        "authorize": authorize,
    }
    try:
        app = App(**options)  # with a bot token, Bolt checks it now (auth.test)
    except (OSError, BoltError):
        # Slack unreachable, or the token refused: start anyway and let Bolt ask again on the first
        # request; /readyz says why Kindly is not ready meanwhile (health.SlackReadiness).
        app = App(**options, token_verification_enabled=False)
    app.use(signalling_ack)
    register_listeners(
        app,
        services,
        installations=installations if oauth else None,
        uninstall_grace=settings.uninstall_grace,
    )
    return app


def _bot_authorize(
    installations: SQLAlchemyInstallationStore, oauth: OAuthSettings
) -> Callable[..., AuthorizeResult]:
    """Bolt's installation lookup, for bot tokens only (Kindly asks for no user scopes).

    With its cache, Bolt calls auth.test once per token instead of before every request; the
    installation is still looked up every time, so an uninstall takes effect at once.
    """
    authorize = InstallationStoreAuthorize(
        installation_store=installations,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        bot_only=True,
        cache_enabled=True,
        logger=logging.getLogger("slackapp.bolt"),
    )
    # Bolt takes an Authorize instance here (App.__init__ checks for it); its hint only names functions.
    return cast(Callable[..., AuthorizeResult], authorize)
