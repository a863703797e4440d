"""Team prompt programs and who they reach (one schedule row per member, in that member's zone)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from slackapp.store.models import Schedule, TeamProgram


def program_kind(program_id: int) -> str:
    return f"program:{program_id}"


def get_program(session: Session, *, team_id: str, program_id: int) -> TeamProgram | None:
    statement = select(TeamProgram).where(TeamProgram.id == program_id, TeamProgram.team_id == team_id)
    return session.scalars(statement).one_or_none()


def programs_of(session: Session, *, team_id: str) -> Sequence[TeamProgram]:
    return session.scalars(
        select(TeamProgram).where(TeamProgram.team_id == team_id).order_by(TeamProgram.id)
    ).all()


def programs_for_audience(session: Session, *, team_id: str, audience_id: str) -> Sequence[TeamProgram]:
    statement = select(TeamProgram).where(
        TeamProgram.team_id == team_id, TeamProgram.audience_id == audience_id
    )
    return session.scalars(statement).all()


def add_program(
    session: Session,
    *,
    team_id: str,
    workspace_id: str | None,
    name: str,
    audience_kind: str,
    audience_id: str,
    weekday: int,
    at: time,
    start: date,
    themes: Sequence[str],
    now: datetime,
) -> TeamProgram:
    program = TeamProgram(
        team_id=team_id,
        workspace_id=workspace_id,
        name=name,
        audience_kind=audience_kind,
        audience_id=audience_id,
        weekday=weekday,
        local_time=at,
        start_date=start,
        themes=",".join(themes),
        status="active",
        created_at=now,
    )
    session.add(program)
    session.flush()
    return program


def enrolled_users(session: Session, *, program_id: int, among: Collection[str] | None = None) -> set[str]:
    """The program's people (only those `among` these, when given)."""
    statement = select(Schedule.user_id).where(Schedule.program_id == program_id)
    if among is not None:
        statement = statement.where(Schedule.user_id.in_(among))
    return set(session.scalars(statement))


def program_schedules(session: Session, *, program_id: int) -> Sequence[Schedule]:
    return session.scalars(select(Schedule).where(Schedule.program_id == program_id)).all()


def program_schedule(session: Session, *, program_id: int, user_id: str) -> Schedule | None:
    statement = select(Schedule).where(Schedule.program_id == program_id, Schedule.user_id == user_id)
    return session.scalars(statement).one_or_none()


def unenroll(session: Session, *, program_id: int, user_ids: set[str]) -> None:
    if user_ids:
        session.execute(
            delete(Schedule).where(Schedule.program_id == program_id, Schedule.user_id.in_(user_ids))
        )


def leave_programs(session: Session, *, team_id: str, user_id: str) -> None:
    """The person leaves every program of the workspace (their personal reminders stay)."""
    session.execute(
        delete(Schedule).where(
            Schedule.team_id == team_id, Schedule.user_id == user_id, Schedule.program_id.is_not(None)
        )
    )
