"""manifest.yml is valid for Slack and matches exactly what the app listens to and calls."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from slackapp.listeners import commands, events, shortcuts
from tests.conftest import Kindly

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).parent / "data" / "manifest.schema.2.0.0.json"

# The bot scope each Web API method needs (docs.slack.dev/reference/methods); None: no scope.
METHOD_SCOPES: dict[str, str | None] = {
    "views_open": None,
    "views_push": None,
    "views_update": None,
    "views_publish": None,
    "auth_test": None,
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_delete": "chat:write",
    "chat_postEphemeral": "chat:write",
    "conversations_open": "im:write",
    "conversations_members": "channels:read",
    "conversations_join": "channels:join",
    "users_info": "users:read",
    "users_list": "users:read",
    "usergroups_list": "usergroups:read",
    "usergroups_users_list": "usergroups:read",
    "dnd_info": "dnd:read",
    "dnd_teamInfo": "dnd:read",
    "files_getUploadURLExternal": "files:write",
    "files_completeUploadExternal": "files:write",
    "files_upload_v2": "files:write",
    "files_delete": "files:write",  # a bot token deletes the files the bot uploaded
}


# Events that need a scope of their own (docs.slack.dev/reference/events).
EVENT_SCOPES: dict[str, tuple[str, ...]] = {
    "user_change": ("users:read",),
    "member_joined_channel": ("channels:read", "groups:read"),
    "member_left_channel": ("channels:read", "groups:read"),
}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "manifest.yml").read_text())
    return loaded


def test_manifest_is_valid_against_slacks_schema(manifest: dict[str, Any]) -> None:
    jsonschema.validate(manifest, json.loads(SCHEMA.read_text()))


def test_manifest_defaults_to_socket_mode_with_home_and_messages_tabs(manifest: dict[str, Any]) -> None:
    assert manifest["settings"]["socket_mode_enabled"] is True
    app_home = manifest["features"]["app_home"]
    assert app_home["home_tab_enabled"] and app_home["messages_tab_enabled"]


def test_manifest_lists_exactly_the_commands_shortcuts_and_events_with_listeners(
    manifest: dict[str, Any],
) -> None:
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == [commands.COMMAND]
    declared = {(s["type"], s["callback_id"]) for s in manifest["features"]["shortcuts"]}
    listened = {("global", name) for name in shortcuts.GLOBAL_SHORTCUTS} | {
        ("message", name) for name in shortcuts.MESSAGE_SHORTCUTS
    }
    assert declared == listened
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == set(events.EVENTS)


def _called_methods() -> set[str]:
    source = "\n".join(
        path.read_text() for path in (ROOT / "slackapp").rglob("*.py") if "fakeslack" not in path.parts
    )
    return set(re.findall(r"\bclient\.([a-z]+_[A-Za-z0-9_]+)\(", source))


def test_manifest_asks_for_exactly_the_scopes_the_code_uses(manifest: dict[str, Any]) -> None:
    called = _called_methods()
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add the bot scope of {sorted(unknown)} to METHOD_SCOPES"
    needed = {"commands"} | {scope for method in called if (scope := METHOD_SCOPES[method])}
    needed |= {scope for event in events.EVENTS for scope in EVENT_SCOPES.get(event, ())}
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed


def test_every_manifest_entry_reaches_a_listener(kindly: Kindly, manifest: dict[str, Any]) -> None:
    """Bolt answers 404 'unhandled request' when nothing listens; each entry must get a 200."""
    assert kindly.slack.command("help").status == 200
    for shortcut in manifest["features"]["shortcuts"]:
        if shortcut["type"] == "global":
            assert kindly.slack.shortcut(shortcut["callback_id"]).status == 200
        else:
            message = {"type": "message", "ts": "1.1", "user": "U0BOB", "text": "hi"}
            assert kindly.slack.message_shortcut(shortcut["callback_id"], message=message).status == 200
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == set(events.EVENTS)
    assert kindly.slack.home_opened().status == 200
    assert kindly.slack.user_changed(tz="Europe/Berlin").status == 200
    assert kindly.slack.member_joined(channel="C0TEAM").status == 200
    assert kindly.slack.member_left(channel="C0TEAM").status == 200
