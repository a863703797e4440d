"""Shortcuts: the global "Take a kind moment"."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from slackapp.flows.kind_moment import open_kind_moment
from slackapp.listeners.identity import actor_of
from slackapp.services import Services

TAKE_KIND_MOMENT = "take_kind_moment"
GLOBAL_SHORTCUTS = (TAKE_KIND_MOMENT,)


def register(app: App, services: Services) -> None:
    @app.shortcut(TAKE_KIND_MOMENT)
    def take_kind_moment(ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        open_kind_moment(services, client, actor_of(context), trigger_id=shortcut["trigger_id"])
