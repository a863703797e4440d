"""Schedules: read and written for one verified owner; the dispatcher reads the due ones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from slackapp.store.models import Schedule

PERSONAL = "personal"


def get_personal_schedule(session: Session, *, team_id: str, user_id: str) -> Schedule | None:
    statement = select(Schedule).where(
        Schedule.team_id == team_id, Schedule.user_id == user_id, Schedule.kind == PERSONAL
    )
    return session.scalars(statement).one_or_none()


def schedules_of(session: Session, *, team_id: str, user_id: str) -> Sequence[Schedule]:
    statement = select(Schedule).where(Schedule.team_id == team_id, Schedule.user_id == user_id)
    return session.scalars(statement).all()


def lock_due_schedules(session: Session, *, now: datetime, limit: int) -> Sequence[Schedule]:
    """Schedules due by `now`, locked for this transaction; other dispatchers skip them (PostgreSQL)."""
    statement = (
        select(Schedule)
        .where(Schedule.next_due_at <= now)
        .order_by(Schedule.next_due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(statement).all()


def stop_schedules(session: Session, *, team_id: str, reason: str) -> int:
    """Stop every running schedule of a scope; one stopped already keeps its own reason."""
    statement = (
        update(Schedule)
        .where(Schedule.team_id == team_id, Schedule.stopped_reason.is_(None))
        .values(stopped_reason=reason, next_due_at=None)
    )
    result = session.execute(statement)
    assert isinstance(result, CursorResult)
    return result.rowcount


def schedules_stopped_for(session: Session, *, team_id: str, reason: str) -> Sequence[Schedule]:
    statement = select(Schedule).where(Schedule.team_id == team_id, Schedule.stopped_reason == reason)
    return session.scalars(statement).all()
