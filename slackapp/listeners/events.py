"""Events API: the App Home tab opened, a profile changed, someone joined or left a channel. Bolt
acknowledges an event at once, and Slack redelivers one it thinks was lost, so each handler acts on an
event id once (flows/events.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from slackapp.actor import Actor
from slackapp.flows.events import first_delivery
from slackapp.flows.home import publish_home
from slackapp.flows.profiles import follow_profile, meet_time_zone
from slackapp.flows.programs import account_changed, member_joined, member_left
from slackapp.flows.roles import SlackProfile
from slackapp.listeners.identity import actor_of, scope_of, workspace_of
from slackapp.listeners.routes import Route
from slackapp.services import Services

APP_HOME_OPENED = "app_home_opened"
USER_CHANGE = "user_change"
USER_STATUS_CHANGED = "user_status_changed"
MEMBER_JOINED = "member_joined_channel"
MEMBER_LEFT = "member_left_channel"


def app_home_opened(
    event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    if event.get("tab", "home") != "home" or not first_delivery(services, event_id=body.get("event_id")):
        return
    actor = actor_of(context)
    profile = meet_time_zone(services, client, actor)
    publish_home(services, client, actor, profile=SlackProfile(client, actor, profile) if profile else None)


def user_change(
    event: dict[str, Any], body: dict[str, Any], context: BoltContext, services: Services
) -> None:
    """A profile changed: follow the person's time zone so reminders stay at their nine o'clock; an
    account deactivated or made a guest leaves every team program."""
    user = event.get("user")
    team_id = scope_of(context)
    if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not team_id:
        return
    if not first_delivery(services, event_id=body.get("event_id")):
        return
    actor = Actor(team_id=team_id, user_id=user["id"], workspace_id=workspace_of(context))
    follow_profile(services, actor, user=user)
    account_changed(services, team_id=team_id, user=user)


def user_status_changed(
    event: dict[str, Any], body: dict[str, Any], context: BoltContext, services: Services
) -> None:
    """A status changed: reminders wait while it says the person is away (out of office, holiday, sick)."""
    user = event.get("user")
    team_id = scope_of(context)
    if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not team_id:
        return
    if first_delivery(services, event_id=body.get("event_id")):
        actor = Actor(team_id=team_id, user_id=user["id"], workspace_id=workspace_of(context))
        follow_profile(services, actor, user=user)


def _membership(event: dict[str, Any], context: BoltContext) -> tuple[str, str, str] | None:
    """The data scope, person and channel a member_joined/left_channel event names; None if it does not."""
    team_id = scope_of(context)
    user, channel = event.get("user"), event.get("channel")
    if team_id and isinstance(user, str) and isinstance(channel, str):
        return team_id, user, channel
    return None


def member_joined_channel(
    event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    """Someone joined a channel: if a team prompt reaches it, they get a short intro and the prompts."""
    membership = _membership(event, context)
    if membership is not None and first_delivery(services, event_id=body.get("event_id")):
        team_id, user, channel = membership
        member_joined(services, client, team_id=team_id, channel=channel, user_id=user)


def member_left_channel(
    event: dict[str, Any], body: dict[str, Any], context: BoltContext, services: Services
) -> None:
    membership = _membership(event, context)
    if membership is not None and first_delivery(services, event_id=body.get("event_id")):
        team_id, user, channel = membership
        member_left(services, team_id=team_id, channel=channel, user_id=user)


ROUTES = (
    Route(APP_HOME_OPENED, app_home_opened),
    Route(USER_CHANGE, user_change),
    Route(USER_STATUS_CHANGED, user_status_changed),
    Route(MEMBER_JOINED, member_joined_channel),
    Route(MEMBER_LEFT, member_left_channel),
)
EVENTS = tuple(route.key for route in ROUTES)
