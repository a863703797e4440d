"""Who may do admin things: the verified user's role, checked again on every admin action.

In an Enterprise Grid org that installed Kindly org-wide, one data scope serves every workspace of the
org. There an HR lead of the whole scope is an org admin or owner (Slack's `enterprise_user` flags) or
someone an HR lead named; a workspace's own admin or owner is an HR lead for that workspace only: its
team programs, never the org's settings, HR leads or other workspaces' programs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp.actor import Actor
from slackapp.services import Services
from slackapp.store.hr_leads import is_named_hr_lead
from slackapp.store.programs import get_program

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HrRole:
    """HR lead of the whole data scope (`workspace_id` None), or of one workspace of an org-wide install."""

    workspace_id: str | None = None

    def covers(self, workspace_id: str | None) -> bool:
        return self.workspace_id is None or self.workspace_id == workspace_id


def slack_profile(client: WebClient, actor: Actor) -> dict[str, Any]:
    """The person's Slack profile (users.info), or {} when Slack cannot say."""
    try:
        user: dict[str, Any] = client.users_info(user=actor.user_id, include_locale=True).get("user") or {}
    except SlackApiError as error:
        log.warning("users.info failed while checking a role: %s", error.response.get("error"))
        return {}
    return user


class SlackProfile:
    """The acting person's Slack profile, asked of users.info at most once per request and only if needed:
    a request that checks the role and then needs the person's time zone makes one call, not two."""

    def __init__(self, client: WebClient, actor: Actor, user: dict[str, Any] | None = None) -> None:
        self._client = client
        self._actor = actor
        self._user = user  # when the caller has fetched it already

    def get(self) -> dict[str, Any]:
        if self._user is None:
            self._user = slack_profile(self._client, self._actor)
        return self._user


def _admin(flags: dict[str, Any]) -> bool:
    return bool(flags.get("is_admin") or flags.get("is_owner") or flags.get("is_primary_owner"))


def hr_role(
    services: Services, client: WebClient, actor: Actor, profile: SlackProfile | None = None
) -> HrRole | None:
    """The person's HR role, or None. Doubt means none."""
    with services.sessions.begin() as session:
        named = is_named_hr_lead(session, team_id=actor.team_id, user_id=actor.user_id)
    return role_given(client, actor, named=named, profile=profile)


def role_given(
    client: WebClient, actor: Actor, *, named: bool, profile: SlackProfile | None = None
) -> HrRole | None:
    """The role, once the store has said whether the person is a named HR lead: Slack's profile is
    asked for (users.info) only when they are not, and the caller has not fetched it already."""
    if named:
        return HrRole()
    user = (profile or SlackProfile(client, actor)).get()
    if not actor.org_wide:
        return HrRole() if _admin(user) else None
    enterprise_user = user.get("enterprise_user")
    if isinstance(enterprise_user, dict) and _admin(enterprise_user):
        return HrRole()
    # A workspace admin's flags describe their own workspace (the profile's team): only there, and only
    # when Slack said which workspace the request came from.
    if _admin(user) and actor.workspace_id is not None and user.get("team_id") == actor.workspace_id:
        return HrRole(workspace_id=actor.workspace_id)
    return None


def is_hr_lead(
    services: Services,
    client: WebClient,
    actor: Actor,
    profile: SlackProfile | None = None,
    *,
    workspace_id: str | None = None,
) -> bool:
    """Whether the person may act as HR lead on something of `workspace_id` (None: the whole scope)."""
    role = hr_role(services, client, actor, profile)
    return role is not None and role.covers(workspace_id)


def program_workspace(services: Services, actor: Actor, program_id: int) -> str | None:
    """The workspace a team program belongs to (None: the whole scope, or no such program)."""
    with services.sessions.begin() as session:
        program = get_program(session, team_id=actor.team_id, program_id=program_id)
        return program.workspace_id if program is not None else None
