"""Program insights for HR leads: frozen weekly snapshots, shown only for weeks that have closed.

A week (Monday to Sunday in each person's own zone) closes once it has ended everywhere. Its figures are
then counted once, over the people in the program at that moment, suppressed under the workspace's k,
and stored; later joins, leaves, opt-outs, forget-me or private use of Kindly cannot change them. The
open week shows nothing, so no figure moves the moment one person acts.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from slackapp.actor import Actor
from slackapp.numbers import small_int
from slackapp.practices.insights import effective_k, figure, people_figure, publishable, sparkline
from slackapp.rendering.programs import Insights, WeekFigures, insights_view
from slackapp.services import Services
from slackapp.store.insights import count_week, freeze_week, last_frozen_week, program_people, snapshots
from slackapp.store.members import get_member
from slackapp.store.models import TeamProgram
from slackapp.store.programs import get_program
from slackapp.store.workspaces import get_workspace

INSIGHT_WEEKS = 8
# Local Monday 00:00 in the last zone on Earth (UTC-12) is Monday 12:00 UTC: a day covers it.
CLOSES_AFTER = timedelta(weeks=1, days=1)


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def last_closed_week(now: datetime) -> date:
    """The Monday of the latest week that has ended in every time zone."""
    return week_of((now - CLOSES_AFTER).date())


def _freeze_closed_weeks(session: Session, secret: bytes, program: TeamProgram, *, now: datetime) -> None:
    """Snapshot each closed week of the program not yet frozen (at most the weeks insights show)."""
    closed = last_closed_week(now)
    frozen = last_frozen_week(session, program_id=program.id)
    week = max(
        week_of(program.start_date),
        closed - timedelta(weeks=INSIGHT_WEEKS - 1),
        frozen + timedelta(weeks=1) if frozen else date.min,
    )
    if week > closed:
        return
    workspace = get_workspace(session, team_id=program.team_id)
    k = effective_k(workspace.anonymity_k if workspace else 5)
    people = program_people(session, program_id=program.id)
    while week <= closed:
        counts = count_week(
            session, secret, team_id=program.team_id, program_id=program.id, week=week, people=people
        )
        freeze_week(session, program_id=program.id, week=week, k=k, figures=publishable(counts, k=k), now=now)
        week += timedelta(weeks=1)


def freeze_all_closed_weeks(services: Services, *, now: datetime) -> int:
    """Housekeeping: snapshot every program's closed weeks, one short transaction per program."""
    with services.sessions.begin() as session:
        programs = [
            (row.id, row.team_id) for row in session.execute(select(TeamProgram.id, TeamProgram.team_id))
        ]
    for program_id, team_id in programs:
        with services.sessions.begin() as session:
            program = get_program(session, team_id=team_id, program_id=program_id)
            if program is not None:
                _freeze_closed_weeks(session, services.quota_secret, program, now=now)
    return len(programs)


def insights_page(services: Services, actor: Actor, *, program_value: str) -> dict[str, Any] | None:
    """The program's closed weeks, from their snapshots (frozen now if this is the first look)."""
    now = services.clock()
    with services.sessions.begin() as session:
        program = get_program(session, team_id=actor.team_id, program_id=small_int(program_value, -1))
        if program is None:
            return None
        _freeze_closed_weeks(session, services.quota_secret, program, now=now)
        since = last_closed_week(now) - timedelta(weeks=INSIGHT_WEEKS - 1)
        frozen = snapshots(session, program_id=program.id, since=since)
        weeks = [
            WeekFigures(
                start=row.week,
                people=people_figure(row.people, k=row.k),
                took_moment=figure(row.took_moment),
                helped=figure(row.helped),
                shoutouts=figure(row.shoutouts),
            )
            for row in frozen
        ]
        workspace = get_workspace(session, team_id=actor.team_id)
        member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
        insights = Insights(
            name=program.name,
            k=effective_k(workspace.anonymity_k if workspace else 5),
            weeks=weeks,
            sparkline=sparkline([row.took_moment for row in frozen], [row.people for row in frozen]),
            tz=member.tz if member else "UTC",
        )
    return insights_view(services.renderer, insights=insights)
