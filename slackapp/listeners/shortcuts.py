"""Shortcuts: the global "Take a kind moment", and two on a message: a shout-out for its author, and an
HR lead's removal of a shout-out Kindly posted."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from slackapp.flows.kind_moment import open_kind_moment
from slackapp.flows.moderation import removal_page
from slackapp.flows.shoutouts import shoutout_page
from slackapp.listeners.identity import actor_of
from slackapp.listeners.routes import HrOnly, Route
from slackapp.rendering.shoutouts import notice
from slackapp.services import Services

TAKE_KIND_MOMENT = "take_kind_moment"
SEND_SHOUTOUT = "send_shoutout"
REMOVE_SHOUTOUT = "remove_shoutout"
GLOBAL_SHORTCUTS = (TAKE_KIND_MOMENT,)
MESSAGE_SHORTCUTS = (SEND_SHOUTOUT, REMOVE_SHOUTOUT)


def take_kind_moment(
    ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    ack()
    open_kind_moment(services, client, actor_of(context), trigger_id=shortcut["trigger_id"])


def send_shoutout(
    ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    """From a message: a shout-out for its author."""
    ack()
    author = (shortcut.get("message") or {}).get("user")
    page = shoutout_page(services, actor_of(context), recipient=author if isinstance(author, str) else None)
    client.views_open(trigger_id=shortcut["trigger_id"], view=page)


def remove_shoutout(
    shortcut: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond, services: Services
) -> None:
    """Only on Kindly's own shout-out posts (an HR route: acknowledged and checked already)."""
    channel = str((shortcut.get("channel") or {}).get("id", ""))
    ts = str((shortcut.get("message") or {}).get("ts", ""))
    page = removal_page(services, actor_of(context), channel=channel, ts=ts)
    if isinstance(page, str):
        respond(response_type="ephemeral", **notice(services.renderer, page))
    else:
        client.views_open(trigger_id=shortcut["trigger_id"], view=page)


ROUTES = (
    Route(TAKE_KIND_MOMENT, take_kind_moment),
    Route(SEND_SHOUTOUT, send_shoutout),
    Route(REMOVE_SHOUTOUT, remove_shoutout, hr=HrOnly()),
)
