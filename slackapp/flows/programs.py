"""Team prompt programs: enrol an audience, follow who joins and leaves, and the prompt's buttons.

Enrolling happens after the ack and is paced under Slack's tiers: conversations.members and
usergroups.users.list (Tier 4 / Tier 2) for the audience, users.list (Tier 2) for time zones that
Kindly does not know yet. Each member gets their own schedule row, in their own zone.

In an org-wide install the org's one token names the program's workspace to usergroups.users.list and
users.list (`team_id`); the argument is None, so left out, for a workspace's own install.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from slackapp.actor import Actor
from slackapp.numbers import small_int
from slackapp.rendering.programs import program_intro_message
from slackapp.rendering.shoutouts import notice
from slackapp.scheduling.occurrences import weekdays_to_mask, zone_or_utc
from slackapp.scheduling.pacing import Pacer
from slackapp.scheduling.reminders import local_today, next_due
from slackapp.services import Services
from slackapp.store.feedback import record_helped
from slackapp.store.members import ensure_member, ensure_member_of, get_member
from slackapp.store.models import Schedule, TeamProgram
from slackapp.store.programs import (
    enrolled_users,
    get_program,
    program_kind,
    program_schedule,
    program_schedules,
    programs_for_audience,
    unenroll,
)

log = logging.getLogger(__name__)

PAGE = 200
TIER_4_PER_SECOND = 100 / 60
TIER_2_PER_SECOND = 20 / 60


def _pacer(services: Services, per_second: float, burst: int) -> Pacer:
    return Pacer(per_second=per_second, burst=burst, clock=services.monotonic, sleep=services.sleep)


def audience_members(services: Services, client: WebClient, program: TeamProgram) -> set[str]:
    """Everyone in the program's channel or user group (every page), paced under the method's tier."""
    if program.audience_kind == "usergroup":
        answer = client.usergroups_users_list(usergroup=program.audience_id, team_id=program.workspace_id)
        return {str(user) for user in answer.get("users") or []}
    pacer = _pacer(services, TIER_4_PER_SECOND, burst=10)
    members: set[str] = set()
    cursor = ""
    while True:
        pacer.acquire(program.team_id)
        page = client.conversations_members(channel=program.audience_id, limit=PAGE, cursor=cursor or None)
        members.update(str(member) for member in page.get("members") or [])
        cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
        if not cursor:
            return members


def _slack_time_zones(
    services: Services, client: WebClient, program: TeamProgram, wanted: set[str]
) -> Iterator[tuple[str, str]]:
    """(user id, tz) for the wanted people, from users.list pages of the program's workspace (Tier 2)."""
    pacer = _pacer(services, TIER_2_PER_SECOND, burst=3)
    remaining = set(wanted)
    cursor = ""
    while remaining:
        pacer.acquire(program.team_id)
        page = client.users_list(limit=PAGE, cursor=cursor or None, team_id=program.workspace_id)
        for user in page.get("members") or []:
            if user.get("id") in remaining and not user.get("is_bot") and not user.get("deleted"):
                remaining.discard(user["id"])
                yield user["id"], str(user.get("tz") or "")
        cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
        if not cursor:
            return


def _enroll_one(session: Session, program: TeamProgram, *, user_id: str, tz: str, now: datetime) -> Schedule:
    schedule = Schedule(
        team_id=program.team_id,
        user_id=user_id,
        kind=program_kind(program.id),
        program_id=program.id,
        weekdays=weekdays_to_mask({program.weekday}),
        local_time=program.local_time,
        tz=tz,
        paused_until=program.start_date,
        created_at=now,
    )
    schedule.next_due_at = next_due(schedule, after=now) if program.status == "active" else None
    session.add(schedule)
    return schedule


def enroll_audience(services: Services, client: WebClient, *, team_id: str, program_id: int) -> int:
    """Bring the program's members in line with its audience; returns how many people it reaches."""
    with services.sessions.begin() as session:
        program = get_program(session, team_id=team_id, program_id=program_id)
        if program is None:
            return 0
        session.expunge(program)
    try:
        members = audience_members(services, client, program)
    except SlackApiError as error:
        log.warning("could not list a program's audience: %s", error.response.get("error"))
        return 0
    now = services.clock()
    with services.sessions.begin() as session:
        already = enrolled_users(session, program_id=program_id)
        unenroll(session, program_id=program_id, user_ids=already - members)
        known = {
            user_id: member.tz
            for user_id in members - already
            if (member := get_member(session, team_id=team_id, user_id=user_id)) is not None
        }
    unknown = members - already - set(known)
    with services.sessions.begin() as session:
        program = get_program(session, team_id=team_id, program_id=program_id)
        if program is None:
            return 0
        for user_id, slack_tz in _slack_time_zones(services, client, program, unknown):
            zone, is_known = zone_or_utc(slack_tz)
            member = ensure_member(
                session, team_id=team_id, user_id=user_id, now=now, workspace_id=program.workspace_id
            )
            member.tz, member.tz_unknown = zone.key, None if is_known else slack_tz
            known[user_id] = zone.key
        for user_id in sorted(members - already):
            _enroll_one(session, program, user_id=user_id, tz=known.get(user_id, "UTC"), now=now)
        program.enrolled_at = now
    return len(members)


def member_joined(services: Services, client: WebClient, *, team_id: str, channel: str, user_id: str) -> None:
    """A new member of a program's channel: enrol them and tell them, kindly, how to opt out."""
    now = services.clock()
    welcomed: list[tuple[str, int]] = []
    with services.sessions.begin() as session:
        for program in programs_for_audience(session, team_id=team_id, audience_id=channel):
            if program.audience_kind != "channel" or program_schedule(
                session, program_id=program.id, user_id=user_id
            ):
                continue
            member = get_member(session, team_id=team_id, user_id=user_id)
            tz = member.tz if member else _time_zone_of(client, user_id)
            _enroll_one(session, program, user_id=user_id, tz=tz, now=now)
            welcomed.append((program.name, program.id))
    for name, program_id in welcomed:
        message = program_intro_message(services.renderer, program_name=name, program_id=program_id)
        client.chat_postMessage(channel=user_id, **message)


def _time_zone_of(client: WebClient, user_id: str) -> str:
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SlackApiError:
        return "UTC"
    zone, _ = zone_or_utc(user.get("tz"))
    return zone.key


def member_left(services: Services, *, team_id: str, channel: str, user_id: str) -> None:
    with services.sessions.begin() as session:
        for program in programs_for_audience(session, team_id=team_id, audience_id=channel):
            unenroll(session, program_id=program.id, user_ids={user_id})


def set_program_status(session: Session, program: TeamProgram, *, status: str, now: datetime) -> None:
    program.status = status
    for schedule in program_schedules(session, program_id=program.id):
        schedule.next_due_at = next_due(schedule, after=now) if status == "active" else None


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def prompt_helped(services: Services, actor: Actor, *, program_value: str) -> dict[str, Any]:
    """Count one anonymous 'this helped' for this week (once per person and week)."""
    now = services.clock()
    with services.sessions.begin() as session:
        program = get_program(session, team_id=actor.team_id, program_id=_int(program_value))
        member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
        # Only the program's own people are counted: a crafted button from anyone else counts nothing.
        if program is not None and program_schedule(session, program_id=program.id, user_id=actor.user_id):
            week = week_of(local_today(member.tz if member else "UTC", now))
            record_helped(
                session, services.quota_secret, program_id=program.id, user_key=actor.user_id, week=week
            )
    return notice(services.renderer, "prompt_helped")


def prompt_opt_out(services: Services, actor: Actor) -> dict[str, Any]:
    set_team_prompts(services, actor, receive=False)
    return notice(services.renderer, "prompt_opted_out")


def set_team_prompts(services: Services, actor: Actor, *, receive: bool) -> None:
    with services.sessions.begin() as session:
        member = ensure_member_of(session, actor, now=services.clock())
        member.team_prompts = receive


def _int(value: str) -> int:
    return small_int(value, -1)


def default_start(today: date) -> date:
    return today


DEFAULT_TIME = time(10, 0)


def receives_team_prompts(services: Services, actor: Actor) -> bool:
    with services.sessions.begin() as session:
        member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
        return member.team_prompts if member else True
