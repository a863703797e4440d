"""Who is acting: taken from the verified request only, never from values the client can shape."""

from __future__ import annotations

from slack_bolt import BoltContext

from slackapp.actor import Actor


class MissingIdentityError(Exception):
    """The verified request does not say which workspace and person it comes from."""


def scope_of(context: BoltContext) -> str | None:
    """The id that scopes Kindly's data: the workspace's, or the org's for an org-wide (Grid) install.

    An org-wide install is one installation, with one bot token, for all the org's workspaces, and a
    person has one user id across them: scoping by the org keeps their journal, reminders and data in one
    place whichever workspace they act from. Slack marks every request to it (`is_enterprise_install`,
    in `authorizations` for events) but may leave the workspace out or name the org in its place.
    """
    if context.is_enterprise_install and context.enterprise_id:
        return context.enterprise_id
    return context.team_id or context.enterprise_id


def workspace_of(context: BoltContext) -> str | None:
    """The workspace a request to an org-wide install comes from; None for any other install.

    The org's one bot token must be told the workspace by some methods (users.list, usergroups.*,
    dnd.teamInfo: `team_id`, "required if org token is used"); a workspace's own token needs nothing.
    Slack may leave the workspace out of a request to an org-wide install, or name the org in its place.
    """
    if not (context.is_enterprise_install and context.enterprise_id):
        return None
    team_id = context.team_id
    return team_id if team_id and team_id != context.enterprise_id else None


def actor_of(context: BoltContext) -> Actor:
    team_id = scope_of(context)
    user_id = context.user_id
    if not team_id or not user_id:
        raise MissingIdentityError("request has no team or user id")
    org_wide = bool(context.is_enterprise_install and context.enterprise_id)
    return Actor(team_id=team_id, user_id=user_id, workspace_id=workspace_of(context), org_wide=org_wide)
