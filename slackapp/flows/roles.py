"""Who may do admin things: the verified user's role, checked again on every admin action."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp.actor import Actor
from slackapp.services import Services
from slackapp.store.hr_leads import is_named_hr_lead

log = logging.getLogger(__name__)


def slack_profile(client: WebClient, actor: Actor) -> dict[str, Any]:
    """The person's Slack profile (users.info), or {} when Slack cannot say."""
    try:
        user: dict[str, Any] = client.users_info(user=actor.user_id).get("user") or {}
    except SlackApiError as error:
        log.warning("users.info failed while checking a role: %s", error.response.get("error"))
        return {}
    return user


def is_hr_lead(
    services: Services, client: WebClient, actor: Actor, profile: dict[str, Any] | None = None
) -> bool:
    """Workspace admins and owners are HR leads, and so is anyone an HR lead named. Doubt means no."""
    with services.sessions.begin() as session:
        if is_named_hr_lead(session, team_id=actor.team_id, user_id=actor.user_id):
            return True
    user = profile if profile is not None else slack_profile(client, actor)
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
