"""Buttons on the App Home and in Kindly's modals."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from slackapp.flows.home import publish_home
from slackapp.flows.journal import journal_page, open_journal, show_entry
from slackapp.flows.kind_moment import kintsugi_view, open_kind_moment
from slackapp.flows.moderation import remove_as_recipient
from slackapp.flows.reminders import (
    not_today,
    pause_a_week,
    refresh_time_zone,
    remind_page,
    reminders_off,
    resume_reminders,
)
from slackapp.flows.roles import is_hr_lead
from slackapp.flows.shoutouts import shoutout_page, toggle_receiving
from slackapp.flows.workspace_settings import settings_page
from slackapp.listeners.identity import actor_of
from slackapp.listeners.state import over_modal
from slackapp.rendering.kind_moment import arrival_view
from slackapp.rendering.shoutouts import notice_view
from slackapp.services import Services


def _button_value(action: dict[str, Any]) -> str:
    value = action.get("value")
    return value if isinstance(value, str) else ""


def _from_message(body: dict[str, Any]) -> bool:
    container = body.get("container")
    return isinstance(container, dict) and container.get("type") == "message"


def _open_or_push(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    if over_modal(body):
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: App, services: Services) -> None:
    @app.action("kind_moment_open")
    def kind_moment_open(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        if over_modal(body):
            _open_or_push(client, body, arrival_view(services.renderer, can_revisit=False))
        else:
            open_kind_moment(services, client, actor_of(context), trigger_id=body["trigger_id"])

    @app.action("journal_open")
    def journal_open(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        open_journal(services, client, actor_of(context), trigger_id=body["trigger_id"])

    @app.action("journal_entry_open")
    def journal_entry_open(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        show_entry(
            services,
            client,
            actor_of(context),
            entry_id=_button_value(action),
            trigger_id=body["trigger_id"],
            over_modal=over_modal(body),
        )

    @app.action("journal_page")
    def journal_page_turn(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        value = _button_value(action)
        page = int(value) if value.isdigit() else 0
        view = journal_page(services, actor_of(context), page=page)
        client.views_update(view_id=body["view"]["id"], hash=body["view"].get("hash"), view=view)

    @app.action("kintsugi_start")
    def kintsugi_start(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        view = kintsugi_view(services, actor_of(context), selected_id=_button_value(action))
        _open_or_push(client, body, view)

    @app.action("remind_open")
    def remind_open(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        actor = actor_of(context)
        refresh_time_zone(services, client, actor)
        _open_or_push(client, body, remind_page(services, actor))

    @app.action("remind_off")
    def remind_off(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        actor = actor_of(context)
        view = reminders_off(services, actor)
        client.views_update(view_id=body["view"]["id"], hash=body["view"].get("hash"), view=view)
        publish_home(services, client, actor)

    @app.action("reminder_not_today")
    def reminder_not_today(ack: Ack, context: BoltContext, respond: Respond) -> None:
        ack()
        respond(replace_original=True, **not_today(services, actor_of(context)))

    @app.action("reminder_pause_week")
    def reminder_pause_week(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        actor = actor_of(context)
        reply = pause_a_week(services, actor)
        if _from_message(body):
            respond(replace_original=True, **reply)
        publish_home(services, client, actor)

    @app.action("reminders_resume")
    def reminders_resume(ack: Ack, context: BoltContext, client: WebClient) -> None:
        ack()
        actor = actor_of(context)
        resume_reminders(services, actor)
        publish_home(services, client, actor)

    @app.action("shoutout_open")
    def shoutout_open(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        _open_or_push(client, body, shoutout_page(services, actor_of(context)))

    @app.action("shoutout_remove")
    def shoutout_remove(
        ack: Ack, action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        reply = remove_as_recipient(services, client, actor_of(context), _button_value(action))
        respond(replace_original=True, **reply)

    @app.action("shoutouts_receive_toggle")
    def shoutouts_receive_toggle(ack: Ack, context: BoltContext, client: WebClient) -> None:
        ack()
        actor = actor_of(context)
        toggle_receiving(services, actor)
        publish_home(services, client, actor)

    @app.action("shoutout_settings_open")
    def shoutout_settings_open(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        actor = actor_of(context)
        if is_hr_lead(client, actor):
            _open_or_push(client, body, settings_page(services, actor))
        else:
            _open_or_push(client, body, notice_view(services.renderer, "not_hr"))
