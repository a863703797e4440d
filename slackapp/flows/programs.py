"""Team prompt programs: enrol an audience, follow who joins and leaves, and the prompt's buttons.

Enrolling happens after the ack and is paced under Slack's tiers: conversations.members and
usergroups.users.list (Tier 4 / Tier 2) for the audience, users.list (Tier 2) to tell people from bots,
deactivated accounts and guests (flows/accounts.py), and for their time zones. Each person gets their
own schedule row, in their own zone; nobody who said "Not for me" is enrolled.

In an org-wide install the org's one token names the program's workspace to usergroups.users.list and
users.list (`team_id`); the argument is None, so left out, for a workspace's own install.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from slackapp.actor import Actor
from slackapp.flows.accounts import is_person, people_among, person
from slackapp.flows.insights import week_of
from slackapp.numbers import small_int
from slackapp.rendering.programs import program_intro_message
from slackapp.rendering.shoutouts import notice
from slackapp.scheduling.occurrences import weekdays_to_mask, zone_or_utc
from slackapp.scheduling.pacing import Pacer
from slackapp.scheduling.reminders import local_today, next_due
from slackapp.services import Services
from slackapp.slack_client import pages
from slackapp.store.feedback import HELPED, TOOK_MOMENT, record_reaction
from slackapp.store.members import add_members, ensure_member_of, get_member, members_by_id
from slackapp.store.models import Schedule, TeamProgram
from slackapp.store.programs import (
    enrolled_users,
    get_program,
    leave_programs,
    program_kind,
    program_schedule,
    program_schedules,
    programs_for_audience,
    programs_of,
    unenroll,
)

log = logging.getLogger(__name__)

WRITE_BATCH = 200  # schedules written per transaction while enrolling
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
    for page in pages(
        client.conversations_members,
        before_each=lambda: pacer.acquire(program.team_id),
        channel=program.audience_id,
    ):
        members.update(str(member) for member in page.get("members") or [])
    return members


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


def enroll_audience(services: Services, client: WebClient, *, team_id: str, program_id: int) -> int | None:
    """Bring the program's members in line with the people of its audience; returns how many it reaches,
    or None when Slack would not say who is in the audience.

    Slack is asked everything first, with no database transaction open (paging a large channel takes
    a while under Slack's tiers, and SQLite would refuse every other write meanwhile); the rows are
    then written in short transactions.
    """
    with services.sessions.begin() as session:
        program = get_program(session, team_id=team_id, program_id=program_id)
        if program is None:
            return 0
        session.expunge(program)
    try:
        audience = audience_members(services, client, program)
        pacer, team = _pacer(services, TIER_2_PER_SECOND, burst=3), program.team_id
        people = people_among(
            client, audience, workspace_id=program.workspace_id, pace=lambda: pacer.acquire(team)
        )
    except SlackApiError as error:
        log.warning("could not list a program's audience: %s", error.response.get("error"))
        return None
    now = services.clock()
    with services.sessions.begin() as session:
        already = enrolled_users(session, program_id=program_id)
        opted_out = {
            user_id
            for user_id, member in members_by_id(session, team_id=team_id, user_ids=people).items()
            if not member.team_prompts
        }
        reached = set(people) - opted_out
        unenroll(session, program_id=program_id, user_ids=already - reached)
    newcomers = sorted(reached - already)
    for start in range(0, len(newcomers), WRITE_BATCH):
        with services.sessions.begin() as session:
            program = get_program(session, team_id=team_id, program_id=program_id)
            if program is None:
                return 0
            batch = set(newcomers[start : start + WRITE_BATCH])
            # Someone who joined the channel meanwhile was enrolled by member_joined already.
            batch -= enrolled_users(session, program_id=program_id, among=batch)
            zones = _time_zones(session, program, {user_id: people[user_id] for user_id in batch}, now=now)
            for user_id in sorted(batch):
                _enroll_one(session, program, user_id=user_id, tz=zones[user_id], now=now)
    with services.sessions.begin() as session:
        program = get_program(session, team_id=team_id, program_id=program_id)
        if program is not None:
            program.enrolled_at = now
    return len(reached)


def _time_zones(
    session: Session, program: TeamProgram, slack_zones: dict[str, str], *, now: datetime
) -> dict[str, str]:
    """The zone Kindly keeps for each person, or the one Slack gave (recorded for people new to Kindly)."""
    known = members_by_id(session, team_id=program.team_id, user_ids=slack_zones)
    new: dict[str, tuple[str, str | None]] = {}
    for user_id, slack_tz in slack_zones.items():
        if user_id not in known:
            zone, is_known = zone_or_utc(slack_tz)
            new[user_id] = (zone.key, None if is_known else slack_tz)
    add_members(session, team_id=program.team_id, zones=new, workspace_id=program.workspace_id, now=now)
    return {**{user_id: zone for user_id, (zone, _) in new.items()}, **{u: m.tz for u, m in known.items()}}


def member_joined(services: Services, client: WebClient, *, team_id: str, channel: str, user_id: str) -> None:
    """A new member of a program's channel: if they are a person who has not said "Not for me", enrol
    them and tell them, kindly, how to opt out."""
    with services.sessions.begin() as session:
        programs = [
            program.id
            for program in programs_for_audience(session, team_id=team_id, audience_id=channel)
            if program.audience_kind == "channel"
            and program_schedule(session, program_id=program.id, user_id=user_id) is None
        ]
        member = get_member(session, team_id=team_id, user_id=user_id)
        if not programs or (member is not None and not member.team_prompts):
            return
    profile = person(client, user_id)  # asked with no transaction open
    if profile is None:
        return
    now = services.clock()
    welcomed: list[tuple[str, int]] = []
    with services.sessions.begin() as session:
        for program_id in programs:
            program = get_program(session, team_id=team_id, program_id=program_id)
            if program is None or program_schedule(session, program_id=program_id, user_id=user_id):
                continue
            zones = _time_zones(session, program, {user_id: str(profile.get("tz") or "")}, now=now)
            _enroll_one(session, program, user_id=user_id, tz=zones[user_id], now=now)
            welcomed.append((program.name, program.id))
    for name, program_id in welcomed:
        message = program_intro_message(services.renderer, program_name=name, program_id=program_id)
        client.chat_postMessage(channel=user_id, **message)


def member_left(services: Services, *, team_id: str, channel: str, user_id: str) -> None:
    with services.sessions.begin() as session:
        for program in programs_for_audience(session, team_id=team_id, audience_id=channel):
            unenroll(session, program_id=program.id, user_ids={user_id})


def account_changed(services: Services, *, team_id: str, user: Mapping[str, Any]) -> None:
    """A profile changed: an account that is no longer a person (deactivated, a guest now) leaves every
    program at once, and so its figures from the next snapshot on."""
    if not is_person(user):
        with services.sessions.begin() as session:
            leave_programs(session, team_id=team_id, user_id=str(user.get("id")))


def set_program_status(session: Session, program: TeamProgram, *, status: str, now: datetime) -> None:
    program.status = status
    for schedule in program_schedules(session, program_id=program.id):
        schedule.next_due_at = next_due(schedule, after=now) if status == "active" else None


def react_to_prompt(services: Services, actor: Actor, *, program_value: str, kind: str) -> bool:
    """Count one anonymous reaction to the program's prompt for this week (once per person, kind, week);
    says whether the program is one of the person's own.

    Only the program's own people are counted: a crafted button from anyone else counts nothing.
    """
    now = services.clock()
    with services.sessions.begin() as session:
        program = get_program(session, team_id=actor.team_id, program_id=_int(program_value))
        if program is None or not program_schedule(session, program_id=program.id, user_id=actor.user_id):
            return False
        member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
        week = week_of(local_today(member.tz if member else "UTC", now))
        record_reaction(
            session, services.quota_secret, kind=kind, program_id=program.id, user_id=actor.user_id, week=week
        )
    return True


def prompt_helped(services: Services, actor: Actor, *, program_value: str) -> dict[str, Any]:
    react_to_prompt(services, actor, program_value=program_value, kind=HELPED)
    return notice(services.renderer, "prompt_helped")


def prompt_took_moment(services: Services, actor: Actor, *, program_value: str) -> bool:
    """A kind moment opened from the program's own prompt: the only kind moments its insights count.
    Says whether the program is one of the person's own."""
    return react_to_prompt(services, actor, program_value=program_value, kind=TOOK_MOMENT)


def prompt_opt_out(services: Services, actor: Actor) -> dict[str, Any]:
    set_team_prompts(services, actor, receive=False)
    return notice(services.renderer, "prompt_opted_out")


def set_team_prompts(services: Services, actor: Actor, *, receive: bool) -> None:
    """ "Not for me" leaves every program, and so its denominators from the next snapshot on."""
    with services.sessions.begin() as session:
        member = ensure_member_of(session, actor, now=services.clock())
        member.team_prompts = receive
        if not receive:
            leave_programs(session, team_id=actor.team_id, user_id=actor.user_id)


def choose_team_prompts(services: Services, client: WebClient, actor: Actor, *, receive: bool) -> None:
    """The Home tab's switch: off leaves every program; on joins again the programs whose audience has
    the person (asked of Slack after the choice is saved, with no transaction open)."""
    set_team_prompts(services, actor, receive=receive)
    if not receive or person(client, actor.user_id) is None:
        return
    with services.sessions.begin() as session:
        programs = list(programs_of(session, team_id=actor.team_id))
        for program in programs:
            session.expunge(program)
    for program in programs:
        try:
            audience = audience_members(services, client, program)
        except SlackApiError as error:
            log.warning("could not list a program's audience: %s", error.response.get("error"))
            continue
        if actor.user_id not in audience:
            continue
        with services.sessions.begin() as session:
            current = get_program(session, team_id=actor.team_id, program_id=program.id)
            if current is None or program_schedule(session, program_id=program.id, user_id=actor.user_id):
                continue
            member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
            _enroll_one(
                session,
                current,
                user_id=actor.user_id,
                tz=member.tz if member else "UTC",
                now=services.clock(),
            )


def _int(value: str) -> int:
    return small_int(value, -1)


DEFAULT_TIME = time(10, 0)


def receives_team_prompts(services: Services, actor: Actor) -> bool:
    with services.sessions.begin() as session:
        member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
        return member.team_prompts if member else True
