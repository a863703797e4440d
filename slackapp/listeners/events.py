"""Events API: the App Home tab. A redelivered event (same event_id) has no second effect."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from slackapp.flows.home import publish_home
from slackapp.listeners.identity import actor_of
from slackapp.services import Services
from slackapp.store.events import claim_event

APP_HOME_OPENED = "app_home_opened"
EVENTS = (APP_HOME_OPENED,)


def first_delivery(services: Services, body: dict[str, Any]) -> bool:
    event_id = body.get("event_id")
    if not isinstance(event_id, str) or not event_id:
        return True
    with services.sessions.begin() as session:
        return claim_event(session, event_id=event_id, now=services.clock())


def register(app: App, services: Services) -> None:
    @app.event(APP_HOME_OPENED)
    def app_home_opened(
        event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        if event.get("tab", "home") != "home" or not first_delivery(services, body):
            return
        publish_home(services, client, actor_of(context))
