"""`/kindly` and its words."""

from __future__ import annotations

import difflib
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from slackapp.flows.data_rights import export_data, forget_me_page
from slackapp.flows.journal import open_journal
from slackapp.flows.kind_moment import open_kind_moment
from slackapp.flows.reminders import pause_with_words, refresh_time_zone, remind_page, resume_reminders
from slackapp.flows.roles import is_hr_lead
from slackapp.flows.shoutouts import shoutout_page
from slackapp.flows.team import team_page
from slackapp.listeners.identity import actor_of
from slackapp.rendering.help import COMMAND, SUBCOMMANDS, help_message
from slackapp.rendering.shoutouts import notice
from slackapp.services import Services

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def mentioned_user(text: str) -> str | None:
    """The user id of the first escaped mention (`<@U123|alice>`) in a command's text."""
    match = _MENTION.search(text)
    return match.group(1) if match else None


def split_words(text: object) -> tuple[str, str]:
    """First word (lower-cased) and the rest: "pause until 2026-12-24" -> ("pause", "until 2026-12-24")."""
    words = (text if isinstance(text, str) else "").strip().split(maxsplit=1)
    if not words:
        return "", ""
    return words[0].lower(), words[1] if len(words) > 1 else ""


def did_you_mean(word: str) -> str | None:
    matches = difflib.get_close_matches(word, SUBCOMMANDS, n=1, cutoff=0.6)
    return matches[0] if matches else None


def register(app: App, services: Services) -> None:
    @app.command(COMMAND)
    def kindly(
        ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        word, rest = split_words(command.get("text"))
        if word in {"help", "?"}:
            ack(response_type="ephemeral", **help_message(services.renderer, today=services.clock().date()))
            return
        if word and word not in SUBCOMMANDS:
            reply = help_message(
                services.renderer, today=services.clock().date(), unknown=word, suggestion=did_you_mean(word)
            )
            ack(response_type="ephemeral", **reply)
            return
        actor = actor_of(context)
        if word == "pause":
            ack(response_type="ephemeral", **pause_with_words(services, actor, rest))
            return
        if word == "resume":
            ack(response_type="ephemeral", **resume_reminders(services, actor))
            return
        if word == "export":
            ack(response_type="ephemeral", **notice(services.renderer, "export_on_its_way"))
            export_data(services, client, actor)
            return
        ack()
        if word == "forget-me":
            client.views_open(trigger_id=command["trigger_id"], view=forget_me_page(services))
        elif word == "shoutout":
            page = shoutout_page(services, actor, recipient=mentioned_user(rest))
            client.views_open(trigger_id=command["trigger_id"], view=page)
        elif word == "team":
            if is_hr_lead(services, client, actor, workspace_id=actor.workspace_id):
                client.views_open(trigger_id=command["trigger_id"], view=team_page(services, actor))
            else:
                respond(response_type="ephemeral", **notice(services.renderer, "not_hr"))
        elif word == "journal":
            open_journal(services, client, actor, trigger_id=command["trigger_id"])
        elif word == "remind":
            refresh_time_zone(services, client, actor)
            client.views_open(trigger_id=command["trigger_id"], view=remind_page(services, actor))
        else:
            open_kind_moment(services, client, actor, trigger_id=command["trigger_id"])
