"""View submissions of a kind moment. The person's text stays on screen whenever it cannot be kept."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from slackapp.flows.home import publish_home
from slackapp.flows.kind_moment import ENTRY_BLOCK, choose_practice, save_practice
from slackapp.flows.reminders import save_remind_settings
from slackapp.listeners.identity import actor_of
from slackapp.listeners.state import input_text, selected_field, selected_value, selected_values
from slackapp.practices.catalogue import PRACTICES
from slackapp.rendering.kind_moment import practice_of_view
from slackapp.services import Services

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.view("kind_moment_arrival")
    def arrival_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        response = choose_practice(services, actor_of(context), arrival=selected_value(view, "arrival"))
        ack(**response.ack_kwargs())

    @app.view("kind_moment_practice")
    def practice_submitted(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        practice = PRACTICES.get(practice_of_view(view) or "")
        if practice is None:
            log.warning("a practice view came back without a known practice; closing it")
            ack()
            return
        actor = actor_of(context)
        response = save_practice(
            services,
            actor,
            practice=practice,
            submitted={prompt.key: input_text(view, prompt.key) for prompt in practice.prompts},
            entry_id=selected_value(view, ENTRY_BLOCK),
        )
        ack(**response.ack_kwargs())
        if response.response_action == "update":
            publish_home(services, client, actor)

    @app.view("remind_settings")
    def remind_submitted(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        actor = actor_of(context)
        response = save_remind_settings(
            services,
            actor,
            days=selected_values(view, "days"),
            at=selected_field(view, "time", "selected_time"),
            pause_until=selected_field(view, "pause_until", "selected_date"),
        )
        ack(**response.ack_kwargs())
        if response.response_action == "update":
            publish_home(services, client, actor)
