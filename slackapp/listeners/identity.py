"""Who is acting: taken from the verified request only, never from values the client can shape."""

from __future__ import annotations

from slack_bolt import BoltContext

from slackapp.actor import Actor


class MissingIdentityError(Exception):
    """The verified request does not say which workspace and person it comes from."""


def actor_of(context: BoltContext) -> Actor:
    # Org-wide (Enterprise Grid) installs may carry no team id; the enterprise id scopes the data then.
    team_id = context.team_id or context.enterprise_id
    user_id = context.user_id
    if not team_id or not user_id:
        raise MissingIdentityError("request has no team or user id")
    return Actor(team_id=team_id, user_id=user_id)
