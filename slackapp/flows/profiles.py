"""What Kindly keeps of a person's Slack profile: their time zone (so reminders come at their own local
time), their locale (so Kindly speaks their language), and until when their status says they are away.
Asked of users.info when Kindly first meets someone; user_change and user_status_changed keep it after."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp.actor import Actor
from slackapp.practices.away import away_until
from slackapp.scheduling.reminders import record_time_zone
from slackapp.services import Services
from slackapp.store.members import ensure_member_of, get_member, set_away_until, set_locale
from slackapp.store.models import Member

log = logging.getLogger(__name__)


def refresh_time_zone(services: Services, client: WebClient, actor: Actor) -> dict[str, Any] | None:
    """Ask Slack for the person's IANA time zone and keep it (and their schedules) in step; returns the
    profile Slack sent (users.info's user), so that the caller need not ask again, or None."""
    try:
        user: dict[str, Any] = client.users_info(user=actor.user_id, include_locale=True).get("user") or {}
    except SlackApiError as error:
        log.warning("users.info failed (%s); keeping the stored time zone", error.response.get("error"))
        return None
    with services.sessions.begin() as session:
        record_time_zone(session, actor, slack_tz=user.get("tz"), now=services.clock())
        _record_profile(ensure_member_of(session, actor, now=services.clock()), user, now=services.clock())
    return user


def meet_time_zone(services: Services, client: WebClient, actor: Actor) -> dict[str, Any] | None:
    """Ask Slack for the time zone of a person Kindly has not met yet (user_change keeps it afterwards);
    the profile Slack sent, when it was asked, so that the caller need not ask again."""
    with services.sessions.begin() as session:
        known = get_member(session, team_id=actor.team_id, user_id=actor.user_id) is not None
    return None if known else refresh_time_zone(services, client, actor)


def follow_profile(services: Services, actor: Actor, *, user: Mapping[str, Any]) -> None:
    """A profile or status changed (user_change, user_status_changed): a person Kindly knows keeps their
    reminders at their own local time, held while their status says they are away, in their language."""
    with services.sessions.begin() as session:
        member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
        if member is None:
            return
        if "tz" in user:
            record_time_zone(session, actor, slack_tz=user.get("tz"), now=services.clock())
        _record_profile(member, user, now=services.clock())


def _record_profile(member: Member, user: Mapping[str, Any], *, now: datetime) -> None:
    """What Kindly keeps of a Slack user object besides the time zone: the locale, and whether (and
    until when) the status says they are away; never the status itself."""
    set_locale(member, slack_locale=user.get("locale"), now=now)
    profile = user.get("profile")
    if isinstance(profile, Mapping) and ("status_emoji" in profile or "status_text" in profile):
        until = away_until(
            emoji=profile.get("status_emoji"),
            text=profile.get("status_text"),
            expiration=profile.get("status_expiration"),
            now=now,
        )
        set_away_until(member, until=until, now=now)
