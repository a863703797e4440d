"""`/kindly` and its words: one handler per word, tied to it in the table at the end. The first word of
the command's text picks the route ("" opens a kind moment; "?" and any word Kindly does not know get the
help, with a "did you mean" for a near miss); words that answer at once put their answer in the
acknowledgement, the others acknowledge first and then open a view."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from slackapp.flows.data_rights import export_data, forget_me_page
from slackapp.flows.journal import open_journal
from slackapp.flows.kind_moment import open_kind_moment
from slackapp.flows.profiles import refresh_time_zone
from slackapp.flows.reminders import pause_with_words, remind_page, resume_reminders
from slackapp.flows.self_check import overview_page
from slackapp.flows.shoutouts import shoutout_page
from slackapp.flows.team import team_page
from slackapp.listeners.identity import actor_of
from slackapp.listeners.routes import HrOnly, Over, Route
from slackapp.rendering.help import SUBCOMMANDS, help_message
from slackapp.rendering.shoutouts import notice
from slackapp.services import Services

HELP = "help"
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


def route_word(command: dict[str, Any]) -> str:
    """The word whose route serves this request: its first word, or help for "?" and unknown words."""
    word, _ = split_words(command.get("text"))
    return word if word == "" or word in SUBCOMMANDS else HELP


def said(word: str) -> Callable[[dict[str, Any]], bool]:
    """A Bolt matcher: the request is for this word's route."""

    def matches(command: dict[str, Any]) -> bool:
        return route_word(command) == word

    return matches


def take_kind_moment(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    ack()
    open_kind_moment(services, client, actor_of(context), trigger_id=command["trigger_id"])


def show_help(ack: Ack, command: dict[str, Any], services: Services) -> None:
    word, _ = split_words(command.get("text"))
    today = services.clock().date()
    if word in {HELP, "?"}:
        help_reply = help_message(services.renderer, today=today, self_check=services.self_check)
        ack(response_type="ephemeral", **help_reply)
        return
    reply = help_message(
        services.renderer,
        today=today,
        unknown=word,
        suggestion=did_you_mean(word),
        self_check=services.self_check,
    )
    ack(response_type="ephemeral", **reply)


def open_journal_modal(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    ack()
    open_journal(services, client, actor_of(context), trigger_id=command["trigger_id"])


def open_check_in(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    if not services.self_check:
        ack(response_type="ephemeral", **notice(services.renderer, "self_check_off"))
        return
    ack()
    client.views_open(trigger_id=command["trigger_id"], view=overview_page(services, actor_of(context)))


def open_remind(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    actor = actor_of(context)
    ack()
    refresh_time_zone(services, client, actor)
    client.views_open(trigger_id=command["trigger_id"], view=remind_page(services, actor))


def pause(ack: Ack, command: dict[str, Any], context: BoltContext, services: Services) -> None:
    _, rest = split_words(command.get("text"))
    ack(response_type="ephemeral", **pause_with_words(services, actor_of(context), rest))


def resume(ack: Ack, context: BoltContext, services: Services) -> None:
    ack(response_type="ephemeral", **resume_reminders(services, actor_of(context)))


def open_shoutout(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    actor = actor_of(context)
    ack()
    _, rest = split_words(command.get("text"))
    page = shoutout_page(services, actor, recipient=mentioned_user(rest))
    client.views_open(trigger_id=command["trigger_id"], view=page)


def open_team(command: dict[str, Any], context: BoltContext, client: WebClient, services: Services) -> None:
    """HR leads' team settings (an HR route: acknowledged and checked already)."""
    client.views_open(trigger_id=command["trigger_id"], view=team_page(services, actor_of(context)))


def export(ack: Ack, context: BoltContext, client: WebClient, services: Services) -> None:
    actor = actor_of(context)
    ack(response_type="ephemeral", **notice(services.renderer, "export_on_its_way"))
    export_data(services, client, actor)


def open_forget_me(ack: Ack, command: dict[str, Any], client: WebClient, services: Services) -> None:
    ack()
    client.views_open(trigger_id=command["trigger_id"], view=forget_me_page(services))


ROUTES = (
    Route("", take_kind_moment),
    Route("journal", open_journal_modal),
    Route("check-in", open_check_in),
    Route("remind", open_remind),
    Route("pause", pause),
    Route("resume", resume),
    Route("shoutout", open_shoutout),
    Route("team", open_team, hr=HrOnly(Over.WORKSPACE)),
    Route("export", export),
    Route("forget-me", open_forget_me),
    Route(HELP, show_help),
)
