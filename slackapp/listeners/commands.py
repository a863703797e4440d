"""`/kindly` and its words."""

from __future__ import annotations

import difflib
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from slackapp.flows.journal import open_journal
from slackapp.flows.kind_moment import open_kind_moment
from slackapp.listeners.identity import actor_of
from slackapp.rendering.help import help_message
from slackapp.services import Services

COMMAND = "/kindly"
SUBCOMMANDS = ("journal", "help")


def first_word(text: str | None) -> str:
    words = (text or "").split(maxsplit=1)
    return words[0].lower() if words else ""


def did_you_mean(word: str) -> str | None:
    matches = difflib.get_close_matches(word, SUBCOMMANDS, n=1, cutoff=0.6)
    return matches[0] if matches else None


def register(app: App, services: Services) -> None:
    @app.command(COMMAND)
    def kindly(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        word = first_word(command.get("text"))
        if word in {"help", "?"}:
            ack(response_type="ephemeral", **help_message(services.renderer))
            return
        if word and word not in SUBCOMMANDS:
            reply = help_message(services.renderer, unknown=word, suggestion=did_you_mean(word))
            ack(response_type="ephemeral", **reply)
            return
        ack()
        actor = actor_of(context)
        if word == "journal":
            open_journal(services, client, actor, trigger_id=command["trigger_id"])
        else:
            open_kind_moment(services, client, actor, trigger_id=command["trigger_id"])
