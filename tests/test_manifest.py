"""manifest.yml is valid for Slack and matches exactly what the app listens to and calls."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from slack_bolt import App
from slack_sdk import WebClient

from slackapp.listeners import events, register_listeners, shortcuts
from slackapp.manifest import http_manifest
from slackapp.rendering.help import COMMAND, SUBCOMMANDS
from slackapp.scopes import BOT_SCOPES
from slackapp.store.installations import installation_store
from tests.conftest import TRANSPORTS, Kindly
from tests.support.oauth import token_sealer

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
    "user_status_changed": ("users:read",),
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


def test_the_slash_commands_usage_hint_names_every_word_the_help_lists(manifest: dict[str, Any]) -> None:
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == COMMAND
    hinted = [choice.split()[0] for choice in command["usage_hint"].strip("[]").split("|")]
    assert hinted == list(SUBCOMMANDS)


class RecordingApp(App):
    """A Bolt app that notes what each listener is registered for, as Bolt is asked to match it."""

    def __init__(self, client: WebClient) -> None:
        super().__init__(client=client, request_verification_enabled=False, token_verification_enabled=False)
        self.handled: dict[str, set[str]] = {"event": set(), "command": set(), "shortcut": set()}

    def event(self, event: Any, *args: Any, **kwargs: Any) -> Any:
        self.handled["event"].add(event)
        return super().event(event, *args, **kwargs)

    def command(self, command: Any, *args: Any, **kwargs: Any) -> Any:
        self.handled["command"].add(command)
        return super().command(command, *args, **kwargs)

    def shortcut(self, constraints: Any, *args: Any, **kwargs: Any) -> Any:
        self.handled["shortcut"].add(constraints)
        return super().shortcut(constraints, *args, **kwargs)


def handled_by_kindly(kindly: Kindly, *, distributed: bool) -> dict[str, set[str]]:
    """What Kindly's listeners handle, for one workspace or (`distributed`) for OAuth installations."""
    app = RecordingApp(kindly.runtime.app.client)
    installations = (
        installation_store(kindly.runtime.engine, client_id="111.222", sealer=token_sealer(kindly))
        if distributed
        else None
    )
    register_listeners(app, kindly.runtime.services, installations=installations)
    return app.handled


def declared(manifest: dict[str, Any]) -> dict[str, set[str]]:
    return {
        "event": set(manifest["settings"]["event_subscriptions"]["bot_events"]),
        "command": {c["command"] for c in manifest["features"]["slash_commands"]},
        "shortcut": {s["callback_id"] for s in manifest["features"]["shortcuts"]},
    }


@pytest.mark.parametrize("mode", ["socket", "http"])
def test_both_manifests_subscribe_to_exactly_what_the_listeners_handle(
    kindly: Kindly, manifest: dict[str, Any], mode: str
) -> None:
    """Introspects the listeners Kindly registers with Bolt, so a new one cannot go unsubscribed."""
    shipped = manifest if mode == "socket" else http_manifest("https://kindly.example.com", manifest)
    for distributed in (False, True):
        assert declared(shipped) == handled_by_kindly(kindly, distributed=distributed)
    assert {"app_uninstalled", "tokens_revoked"} <= declared(shipped)["event"]  # uninstall cleanup runs
    assert shipped["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert {(s["type"], s["callback_id"]) for s in shipped["features"]["shortcuts"]} == {
        ("global", name) for name in shortcuts.GLOBAL_SHORTCUTS
    } | {("message", name) for name in shortcuts.MESSAGE_SHORTCUTS}


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


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_every_manifest_entry_reaches_a_listener(kindly: Kindly, manifest: dict[str, Any]) -> None:
    """Bolt answers 404 'unhandled request' when nothing listens (in Socket Mode: no ack, so Slack would
    retry until it gives up); each entry must get a 200."""
    assert kindly.slack.command("help").status == 200
    for shortcut in manifest["features"]["shortcuts"]:
        if shortcut["type"] == "global":
            assert kindly.slack.shortcut(shortcut["callback_id"]).status == 200
        else:
            message = {"type": "message", "ts": "1.1", "user": "U0BOB", "text": "hi"}
            assert kindly.slack.message_shortcut(shortcut["callback_id"], message=message).status == 200
    assert kindly.slack.home_opened().status == 200
    assert kindly.slack.user_changed(tz="Europe/Berlin").status == 200
    assert kindly.slack.event({"type": "user_status_changed", "user": {"id": "U0ALICE"}}).status == 200
    assert kindly.slack.member_joined(channel="C0TEAM").status == 200
    assert kindly.slack.member_left(channel="C0TEAM").status == 200
    for uninstall in (
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"bot": ["U0BOT0001"]}},
    ):
        assert kindly.slack.event(uninstall, authorized=False).status == 200


def test_every_word_the_help_lists_has_a_route_and_every_route_a_line_of_help() -> None:
    from slackapp.listeners.commands import ROUTES

    assert sorted(route.key for route in ROUTES if route.key) == sorted(SUBCOMMANDS)
