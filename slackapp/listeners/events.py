"""Events API: the App Home tab. A redelivered event (same event_id) has no second effect."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from slackapp.actor import Actor
from slackapp.flows.home import publish_home
from slackapp.flows.programs import account_changed, member_joined, member_left
from slackapp.flows.reminders import refresh_time_zone
from slackapp.listeners.identity import actor_of, scope_of, workspace_of
from slackapp.scheduling.reminders import record_time_zone
from slackapp.services import Services
from slackapp.store.events import claim_event
from slackapp.store.members import get_member

APP_HOME_OPENED = "app_home_opened"
USER_CHANGE = "user_change"
MEMBER_JOINED = "member_joined_channel"
MEMBER_LEFT = "member_left_channel"
EVENTS = (APP_HOME_OPENED, USER_CHANGE, MEMBER_JOINED, MEMBER_LEFT)


def first_delivery(services: Services, body: dict[str, Any]) -> bool:
    event_id = body.get("event_id")
    if not isinstance(event_id, str) or not event_id:
        return True
    with services.sessions.begin() as session:
        return claim_event(session, event_id=event_id, now=services.clock())


def knows_member(services: Services, actor: Actor) -> bool:
    with services.sessions.begin() as session:
        return get_member(session, team_id=actor.team_id, user_id=actor.user_id) is not None


def register(app: App, services: Services) -> None:
    @app.event(APP_HOME_OPENED)
    def app_home_opened(
        event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        if event.get("tab", "home") != "home" or not first_delivery(services, body):
            return
        actor = actor_of(context)
        profile = None if knows_member(services, actor) else refresh_time_zone(services, client, actor)
        publish_home(services, client, actor, profile=profile)

    @app.event(USER_CHANGE)
    def user_change(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        """A profile changed: follow the person's time zone so reminders stay at their nine o'clock; an
        account deactivated or made a guest leaves every team program."""
        user = event.get("user")
        team_id = scope_of(context)
        if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not team_id:
            return
        if not first_delivery(services, body):
            return
        actor = Actor(team_id=team_id, user_id=user["id"], workspace_id=workspace_of(context))
        with services.sessions.begin() as session:
            if get_member(session, team_id=actor.team_id, user_id=actor.user_id) is not None:
                record_time_zone(session, actor, slack_tz=user.get("tz"), now=services.clock())
        account_changed(services, team_id=team_id, user=user)

    @app.event(MEMBER_JOINED)
    def member_joined_channel(
        event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """Someone joined a channel: if a team prompt reaches it, they get a short intro and the prompts."""
        team_id = scope_of(context)
        user, channel = event.get("user"), event.get("channel")
        if not (team_id and isinstance(user, str) and isinstance(channel, str)) or not first_delivery(
            services, body
        ):
            return
        member_joined(services, client, team_id=team_id, channel=channel, user_id=user)

    @app.event(MEMBER_LEFT)
    def member_left_channel(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        team_id = scope_of(context)
        user, channel = event.get("user"), event.get("channel")
        if not (team_id and isinstance(user, str) and isinstance(channel, str)) or not first_delivery(
            services, body
        ):
            return
        member_left(services, team_id=team_id, channel=channel, user_id=user)
