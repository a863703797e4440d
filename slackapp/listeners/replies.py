"""How a listener answers the person (a view opened or pushed, or a message through the response_url), and
the two facts of an interaction payload listeners decide on: the button's value, and whether the
action came from a message (a reminder or team prompt in the person's DMs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from slackapp.listeners.state import over_modal


def button_value(action: Mapping[str, Any] | None) -> str:
    """The pressed button's value, or "" when it has none (or a crafted one that is not text)."""
    value = (action or {}).get("value")
    return value if isinstance(value, str) else ""


def from_message(body: Mapping[str, Any]) -> bool:
    container = body.get("container")
    return isinstance(container, Mapping) and container.get("type") == "message"


def open_or_push(client: WebClient, body: Mapping[str, Any], view: dict[str, Any]) -> None:
    """Open the view, or push it over the modal the action came from."""
    if over_modal(body):
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def respond_if_possible(respond: Respond, body: Mapping[str, Any], **message: Any) -> None:
    """Answer through the response_url, when the action came with one (message buttons do)."""
    if isinstance(body.get("response_url"), str):
        respond(**message)
