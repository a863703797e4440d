"""Which Slack accounts are people. Kindly enrols, prompts and counts people only: never a bot or app
(Kindly's own bot user included), a deactivated account, Slackbot, or a guest (multi- or
single-channel), whose presence would pad a program past the anonymity threshold."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp.slack_client import pages

SLACKBOT = "USLACKBOT"  # Slack describes Slackbot with is_bot false
NOT_PEOPLE_FLAGS = ("is_bot", "is_app_user", "deleted", "is_restricted", "is_ultra_restricted")


def is_person(user: Mapping[str, Any]) -> bool:
    """A user object from users.info or users.list describes an active, full member of the workspace."""
    return user.get("id") != SLACKBOT and not any(user.get(flag) for flag in NOT_PEOPLE_FLAGS)


def people_among(
    client: WebClient, wanted: set[str], *, workspace_id: str | None, pace: Callable[[], None]
) -> dict[str, str]:
    """Slack time zone by user id, for those of `wanted` who are people (users.list pages, paced).

    Anyone users.list does not describe (someone of another organisation in a shared channel) is left
    out: Kindly cannot tell that they are a person of this workspace.
    """
    people: dict[str, str] = {}
    remaining = set(wanted)
    if not remaining:
        return people
    for page in pages(client.users_list, before_each=pace, team_id=workspace_id):
        for user in page.get("members") or []:
            if user.get("id") in remaining:
                remaining.discard(user["id"])
                if is_person(user):
                    people[user["id"]] = str(user.get("tz") or "")
        if not remaining:
            break
    return people


def person(client: WebClient, user_id: str) -> Mapping[str, Any] | None:
    """The user's profile when they are a person; None when not, or when Slack cannot say."""
    try:
        user: Mapping[str, Any] = client.users_info(user=user_id).get("user") or {}
    except SlackApiError:
        return None
    return user if user and is_person(user) else None
