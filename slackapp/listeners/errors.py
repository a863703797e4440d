"""One error handler: log the failure (never user content) and tell the person kindly."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.context.respond import Respond
from slack_sdk.errors import SlackApiError

from slackapp import metrics
from slackapp.rendering.environment import Renderer
from slackapp.rendering.shoutouts import notice

log = logging.getLogger(__name__)


def _kind_of(body: dict[str, Any]) -> str:
    if "command" in body:
        return f"command {body['command']}"
    if isinstance(body.get("event"), dict):
        return f"event {body['event'].get('type')}"
    return str(body.get("type", "request"))


def register(app: App, renderer: Renderer) -> None:
    @app.error
    def handle_error(error: Exception, body: dict[str, Any], respond: Respond | None) -> BoltResponse | None:
        if isinstance(error, SlackApiError):
            metrics.record_slack_error(error)
            # Only the method's error code: Slack's answer can quote what we sent.
            log.error("Slack API call failed during %s: %s", _kind_of(body), error.response.get("error"))
        else:
            log.error("listener failed during %s", _kind_of(body), exc_info=error)
        if respond is not None and body.get("response_url"):
            respond(
                **notice(renderer, "something_went_wrong"), response_type="ephemeral", replace_original=False
            )
        return None
