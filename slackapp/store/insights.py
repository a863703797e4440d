"""Aggregate counts for a program's insights. Each query returns a number, never a list of people."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from slackapp.store.models import Reflection, Schedule, Shoutout


def program_size(session: Session, *, program_id: int) -> int:
    return session.scalar(select(func.count()).where(Schedule.program_id == program_id)) or 0


def people_who_reflected(
    session: Session, *, program_id: int, team_id: str, start: datetime, end: datetime
) -> int:
    members = select(Schedule.user_id).where(Schedule.program_id == program_id)
    statement = select(func.count(distinct(Reflection.user_id))).where(
        Reflection.team_id == team_id,
        Reflection.user_id.in_(members),
        Reflection.created_at >= start,
        Reflection.created_at < end,
    )
    return session.scalar(statement) or 0


def shoutouts_received(session: Session, *, program_id: int, team_id: str, start: date, end: date) -> int:
    members = select(Schedule.user_id).where(Schedule.program_id == program_id)
    statement = select(func.count()).where(
        Shoutout.team_id == team_id,
        Shoutout.recipient_id.in_(members),
        Shoutout.created_on >= start,
        Shoutout.created_on < end,
    )
    return session.scalar(statement) or 0
