"""The App Home tab."""

from __future__ import annotations

from slack_sdk import WebClient

from slackapp.actor import Actor
from slackapp.flows.journal import recent_entries
from slackapp.rendering.journal import HOME_RECENT, home_view
from slackapp.scheduling.reminders import reminder_state
from slackapp.services import Services


def publish_home(services: Services, client: WebClient, actor: Actor) -> None:
    with services.sessions.begin() as session:
        reminders = reminder_state(session, actor, now=services.clock())
    recent = recent_entries(services, actor, limit=HOME_RECENT)
    view = home_view(services.renderer, recent=recent, reminders=reminders)
    client.views_publish(user_id=actor.user_id, view=view)
