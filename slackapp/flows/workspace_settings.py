"""HR leads' shout-out settings: channel, mode, digest day and time, blocked words, extra strengths."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp.actor import Actor
from slackapp.flows.responses import ViewResponse
from slackapp.flows.roles import SlackProfile
from slackapp.numbers import small_int
from slackapp.practices.strengths import CATALOGUE, MAX_NAME
from slackapp.rendering.environment import Renderer
from slackapp.rendering.field_errors import form_error
from slackapp.rendering.limits import MAX_SELECT_OPTIONS
from slackapp.rendering.setting_limits import WORD_LIST_MAX
from slackapp.rendering.shoutouts import SettingsForm, notice, settings_view
from slackapp.scheduling.occurrences import next_occurrence, zone_or_utc
from slackapp.scheduling.reminders import record_time_zone
from slackapp.services import Services
from slackapp.store.audit import audit
from slackapp.store.members import get_member
from slackapp.store.models import Workspace
from slackapp.store.workspaces import ensure_workspace, get_workspace

log = logging.getLogger(__name__)

MAX_EXTRA_STRENGTHS = MAX_SELECT_OPTIONS - len(CATALOGUE)  # with the built-in ones, in one static select


@dataclass(frozen=True)
class SettingsDraft:
    channel: str | None
    mode: str | None
    digest_weekday: str | None
    digest_time: str | None
    blocked_words: str
    extra_strengths: str


def next_digest(workspace: Workspace, *, after: datetime) -> datetime | None:
    if workspace.shoutout_mode != "digest" or not workspace.shoutout_channel:
        return None
    zone, _ = zone_or_utc(workspace.digest_tz)
    return next_occurrence(
        after=after, weekdays=frozenset({workspace.digest_weekday}), at=workspace.digest_time, zone=zone
    )


def settings_page(services: Services, actor: Actor) -> dict[str, Any]:
    with services.sessions.begin() as session:
        workspace = get_workspace(session, team_id=actor.team_id)
        member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
        form = SettingsForm(
            channel=workspace.shoutout_channel if workspace else None,
            mode=workspace.shoutout_mode if workspace else "immediate",
            digest_weekday=workspace.digest_weekday if workspace else 4,
            digest_time=workspace.digest_time if workspace else time(15, 0),
            digest_tz=workspace.digest_tz
            if workspace and workspace.shoutout_mode == "digest"
            else (member.tz if member else "UTC"),
            # Within the form's limits, even for a value stored before they existed.
            blocked_words=workspace.blocked_words[:WORD_LIST_MAX] if workspace else "",
            extra_strengths=workspace.extra_strengths[:WORD_LIST_MAX] if workspace else "",
        )
    return settings_view(services.renderer, settings=form)


def _channel_problem(services: Services, client: WebClient, channel: str) -> str | None:
    """Make sure Kindly can post in the channel (joining a public one); a field error when it cannot."""
    try:
        client.conversations_join(channel=channel)
    except SlackApiError as error:
        if error.response.get("error") not in {"method_not_supported_for_channel_type", "already_in_channel"}:
            log.info("conversations.join answered %s", error.response.get("error"))
    try:
        client.chat_postMessage(channel=channel, **notice(services.renderer, "channel_welcome"))
    except SlackApiError as error:
        code = str(error.response.get("error"))
        return services.renderer.text("text/settings_error.txt.j2", problem=code)
    return None


def word_list_problems(renderer: Renderer, draft: SettingsDraft) -> dict[str, str]:
    """Field errors for word lists the settings form (and the shout-out form's options) could not show."""
    problems = {}
    too_long = form_error(renderer, "word_list_too_long", limit=WORD_LIST_MAX)
    if len(draft.blocked_words.strip()) > WORD_LIST_MAX:
        problems["blocked_words"] = too_long
    strengths = [line.strip() for line in draft.extra_strengths.splitlines() if line.strip()]
    if len(draft.extra_strengths.strip()) > WORD_LIST_MAX:
        problems["extra_strengths"] = too_long
    elif any(len(" ".join(name.split())) > MAX_NAME for name in strengths):
        problems["extra_strengths"] = form_error(renderer, "strength_too_long", limit=MAX_NAME)
    elif len(strengths) > MAX_EXTRA_STRENGTHS:
        problems["extra_strengths"] = form_error(renderer, "too_many_strengths", limit=MAX_EXTRA_STRENGTHS)
    return problems


def save_settings(
    services: Services,
    client: WebClient,
    actor: Actor,
    draft: SettingsDraft,
    *,
    profile: SlackProfile | None = None,
) -> ViewResponse:
    """An HR lead's shout-out settings, saved (the digest runs at the lead's local time); or field errors."""
    slack_tz = (profile or SlackProfile(client, actor)).get().get("tz")
    with services.sessions.begin() as session:
        record_time_zone(session, actor, slack_tz=slack_tz, now=services.clock())
    problems = word_list_problems(services.renderer, draft)
    if problems:
        return ViewResponse("errors", errors=problems)
    try:
        chosen_time = time.fromisoformat(draft.digest_time or "")
    except ValueError:
        return ViewResponse(
            "errors", errors={"digest_time": form_error(services.renderer, "no_time", example="15:00")}
        )
    weekday = small_int(draft.digest_weekday, 4)
    mode = draft.mode if draft.mode in {"immediate", "digest"} else "immediate"
    now = services.clock()
    with services.sessions.begin() as session:
        current = get_workspace(session, team_id=actor.team_id)
        unchanged_channel = current is not None and current.shoutout_channel == draft.channel
    if draft.channel and not unchanged_channel:
        problem = _channel_problem(services, client, draft.channel)
        if problem is not None:
            return ViewResponse("errors", errors={"channel": problem})
    with services.sessions.begin() as session:
        workspace = ensure_workspace(session, team_id=actor.team_id, now=now)
        member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
        workspace.shoutout_channel = draft.channel
        workspace.shoutout_mode = mode
        workspace.digest_weekday = min(max(weekday, 0), 6)
        workspace.digest_time = chosen_time
        workspace.digest_tz = member.tz if member else workspace.digest_tz
        workspace.blocked_words = draft.blocked_words.strip()
        workspace.extra_strengths = draft.extra_strengths.strip()
        workspace.next_digest_at = next_digest(workspace, after=now)
        workspace.updated_at = now
        audit(
            session,
            team_id=actor.team_id,
            actor_id=actor.user_id,
            action="shoutout_settings_changed",
            now=now,
        )
    return ViewResponse("clear")
