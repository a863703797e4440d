"""The bodies Slack sends to an app, shaped as in Slack's documentation and `slack/fixtures/`."""

from __future__ import annotations

import time
import uuid
from typing import Any

from kindly_playground.people import DemoPerson, channel_name
from kindly_playground.state_values import RawValue, element_state


def slash_command(
    *,
    team_id: str,
    team_domain: str,
    app_id: str,
    person: DemoPerson,
    channel_id: str,
    text: str,
    response_url: str,
    trigger_id: str,
) -> dict[str, str]:
    return {
        "token": "playground-verification-token",
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": "directmessage" if channel_id.startswith("D") else channel_name(channel_id),
        "user_id": person.user_id,
        "user_name": person.name,
        "command": "/kindly",
        "text": text,
        "api_app_id": app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def interaction(
    kind: str, *, team_id: str, team_domain: str, app_id: str, person: DemoPerson
) -> dict[str, Any]:
    """The fields every interaction payload shares."""
    return {
        "type": kind,
        "team": {"id": team_id, "domain": team_domain},
        "user": {"id": person.user_id, "username": person.name, "name": person.name, "team_id": team_id},
        "api_app_id": app_id,
        "token": "playground-verification-token",
        "is_enterprise_install": False,
        "enterprise": None,
    }


def button_action(element: dict[str, Any], *, block_id: str) -> dict[str, Any]:
    """One entry of `actions` for a pressed button: its own action_id, text, value and style."""
    action: dict[str, Any] = {
        "type": element.get("type", "button"),
        "action_id": element.get("action_id"),
        "block_id": block_id,
        "text": element.get("text"),
        "action_ts": f"{time.time():.6f}",
    }
    for key in ("value", "style", "url"):
        if key in element:
            action[key] = element[key]
    return action


def select_action(element: dict[str, Any], *, block_id: str, value: RawValue) -> dict[str, Any]:
    """One entry of `actions` for a menu or picker in an actions block: what it now holds."""
    return {
        **element_state(element, value),
        "action_id": element.get("action_id"),
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }


def event_envelope(*, team_id: str, app_id: str, bot_user_id: str, event: dict[str, Any]) -> dict[str, Any]:
    return {
        "token": "playground-verification-token",
        "team_id": team_id,
        "api_app_id": app_id,
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:12].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": team_id, "user_id": bot_user_id, "is_bot": True, "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
    }


def app_home_opened(*, person: DemoPerson, dm_channel: str, home: dict[str, Any] | None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": person.user_id,
        "channel": dm_channel,
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }
    if home is not None:
        event["view"] = home
    return event
