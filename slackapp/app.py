"""build_app: the only place where listeners, storage and the Slack client meet."""

from __future__ import annotations

import logging
from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk import WebClient

from slackapp.config import Settings
from slackapp.listeners import register_listeners
from slackapp.services import Services


def build_app(
    settings: Settings, services: Services, *, client: WebClient, listener_executor: Executor | None = None
) -> App:
    """A Bolt app for one workspace. Handlers ack first; slow work runs after the ack."""
    app = App(
        listener_executor=listener_executor,
        client=client,
        signing_secret=settings.signing_secret.reveal() if settings.signing_secret else None,
        request_verification_enabled=settings.signing_secret is not None,
        process_before_response=False,
        logger=logging.getLogger("slackapp.bolt"),
    )
    register_listeners(app, services)
    return app
