"""Buttons of the private self-check (on the App Home, its own modal and the monthly reminder): one handler
per action_id, tied to it in the table at the end. Who is acting comes from the verified request only; a
settings button's value says only which way to turn the setting, for that person."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from slackapp.actor import Actor
from slackapp.flows.home import publish_home
from slackapp.flows.profiles import refresh_time_zone
from slackapp.flows.self_check import (
    check_page,
    choose_before_and_after,
    choose_monthly_reminder,
    overview_page,
)
from slackapp.listeners.identity import actor_of
from slackapp.listeners.replies import button_value, from_message, open_or_push, respond_if_possible
from slackapp.listeners.routes import Route
from slackapp.listeners.state import on_home, over_modal
from slackapp.practices.self_check import Phase
from slackapp.rendering.shoutouts import notice
from slackapp.services import Services

SWITCH = ("on", "off")  # a settings button's value: which way to turn it


def _switched_off(
    body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond, services: Services
) -> bool:
    """A button of the self-check from a message or a Home tab sent before the operator switched it off:
    say so where the person is (the Home tab, republished, no longer offers it) and do nothing else."""
    if services.self_check:
        return False
    if on_home(body):
        publish_home(services, client, actor_of(context))
    else:
        respond_if_possible(
            respond, body, response_type="ephemeral", **notice(services.renderer, "self_check_off")
        )
    return True


def self_check_start(
    ack: Ack,
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    services: Services,
) -> None:
    ack()
    if _switched_off(body, context, client, respond, services):
        return
    view = check_page(services, actor_of(context), phase=Phase.ALONE, from_home=on_home(body))
    open_or_push(client, body, view)


def self_check_open(
    ack: Ack,
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    services: Services,
) -> None:
    ack()
    if _switched_off(body, context, client, respond, services):
        return
    open_or_push(client, body, overview_page(services, actor_of(context)))


def self_check_before_after(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    services: Services,
) -> None:
    ack()
    if _switched_off(body, context, client, respond, services):
        return
    actor = actor_of(context)
    choice = button_value(action)
    if choice in SWITCH:  # a forged or missing value changes nothing
        choose_before_and_after(services, actor, on=choice == "on")
    _show_settings(body, actor, client, services)


def self_check_monthly(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    services: Services,
) -> None:
    ack()
    if _switched_off(body, context, client, respond, services):
        return
    actor = actor_of(context)
    choice = button_value(action)
    if choice not in SWITCH:  # a forged or missing value changes nothing
        return
    on = choice == "on"
    if on:
        refresh_time_zone(services, client, actor)  # 9:00 in the person's own zone
    choose_monthly_reminder(services, actor, on=on)
    if from_message(body):  # the reminder's own "Stop monthly reminders"
        reply = notice(services.renderer, "check_in_reminders_off")
        respond_if_possible(respond, body, replace_original=True, **reply)
        return
    _show_settings(body, actor, client, services)


def _show_settings(body: dict[str, Any], actor: Actor, client: WebClient, services: Services) -> None:
    """The changed setting where the person changed it: the check-in modal, else the Home tab."""
    if over_modal(body):
        client.views_update(view_id=body["view"]["id"], view=overview_page(services, actor))
    elif on_home(body):
        publish_home(services, client, actor)


ROUTES = (
    Route("self_check_start", self_check_start),
    Route("self_check_open", self_check_open),
    Route("self_check_before_after", self_check_before_after),
    Route("self_check_monthly", self_check_monthly),
)
