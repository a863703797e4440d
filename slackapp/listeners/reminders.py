"""Buttons about a person's own reminders (on a reminder DM, the App Home and the remind modal): one
handler per action_id, tied to it in the table at the end. Who is acting comes from the verified request
only."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from slackapp.flows.home import publish_home
from slackapp.flows.profiles import refresh_time_zone
from slackapp.flows.reminders import (
    keep_schedule,
    not_today,
    pause_a_week,
    remind_page,
    reminders_off,
    resume_reminders,
)
from slackapp.listeners.identity import actor_of
from slackapp.listeners.replies import from_message, open_or_push, respond_if_possible
from slackapp.listeners.routes import Route
from slackapp.services import Services


def remind_open(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    ack()
    actor = actor_of(context)
    refresh_time_zone(services, client, actor)
    open_or_push(client, body, remind_page(services, actor))


def remind_off(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    ack()
    actor = actor_of(context)
    view = reminders_off(services, actor)
    client.views_update(view_id=body["view"]["id"], hash=body["view"].get("hash"), view=view)
    publish_home(services, client, actor)


def reminder_not_today(
    ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond, services: Services
) -> None:
    ack()
    respond_if_possible(respond, body, replace_original=True, **not_today(services, actor_of(context)))


def reminder_keep_pace(
    ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond, services: Services
) -> None:
    """ "Keep my usual schedule", on the reminder that said Kindly would come half as often."""
    ack()
    reply = keep_schedule(services, actor_of(context))
    respond_if_possible(respond, body, replace_original=True, **reply)


def reminder_pause_week(
    ack: Ack,
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    services: Services,
) -> None:
    ack()
    actor = actor_of(context)
    reply = pause_a_week(services, actor)
    if from_message(body):
        respond_if_possible(respond, body, replace_original=True, **reply)
    publish_home(services, client, actor)


def reminders_resume(ack: Ack, context: BoltContext, client: WebClient, services: Services) -> None:
    ack()
    actor = actor_of(context)
    resume_reminders(services, actor)
    publish_home(services, client, actor)


ROUTES = (
    Route("remind_open", remind_open),
    Route("remind_off", remind_off),
    Route("reminder_not_today", reminder_not_today),
    Route("reminder_pause_week", reminder_pause_week),
    Route("reminder_keep_pace", reminder_keep_pace),
    Route("reminders_resume", reminders_resume),
)
