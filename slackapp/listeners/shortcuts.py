"""Shortcuts: the global "Take a kind moment"."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from slackapp.flows.kind_moment import open_kind_moment
from slackapp.flows.moderation import removal_page
from slackapp.flows.shoutouts import shoutout_page
from slackapp.listeners.identity import actor_of
from slackapp.rendering.shoutouts import notice
from slackapp.services import Services

TAKE_KIND_MOMENT = "take_kind_moment"
SEND_SHOUTOUT = "send_shoutout"
REMOVE_SHOUTOUT = "remove_shoutout"
GLOBAL_SHORTCUTS = (TAKE_KIND_MOMENT,)
MESSAGE_SHORTCUTS = (SEND_SHOUTOUT, REMOVE_SHOUTOUT)


def register(app: App, services: Services) -> None:
    @app.shortcut(TAKE_KIND_MOMENT)
    def take_kind_moment(ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        open_kind_moment(services, client, actor_of(context), trigger_id=shortcut["trigger_id"])

    @app.shortcut(SEND_SHOUTOUT)
    def send_shoutout(ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """From a message: a shout-out for its author."""
        ack()
        author = (shortcut.get("message") or {}).get("user")
        page = shoutout_page(
            services, actor_of(context), recipient=author if isinstance(author, str) else None
        )
        client.views_open(trigger_id=shortcut["trigger_id"], view=page)

    @app.shortcut(REMOVE_SHOUTOUT)
    def remove_shoutout(
        ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        """HR leads only, and only on Kindly's own shout-out posts."""
        ack()
        channel = str((shortcut.get("channel") or {}).get("id", ""))
        ts = str((shortcut.get("message") or {}).get("ts", ""))
        page = removal_page(services, client, actor_of(context), channel=channel, ts=ts)
        if isinstance(page, str):
            respond(response_type="ephemeral", **notice(services.renderer, page))
        else:
            client.views_open(trigger_id=shortcut["trigger_id"], view=page)
