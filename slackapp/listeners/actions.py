"""Buttons on the App Home and in Kindly's modals."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from slackapp.flows.journal import journal_page, open_journal, show_entry
from slackapp.flows.kind_moment import kintsugi_view, open_kind_moment
from slackapp.listeners.identity import actor_of
from slackapp.listeners.state import over_modal
from slackapp.rendering.kind_moment import arrival_view
from slackapp.services import Services


def _button_value(action: dict[str, Any]) -> str:
    value = action.get("value")
    return value if isinstance(value, str) else ""


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
