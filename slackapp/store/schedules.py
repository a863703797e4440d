"""Schedules: read and written for one verified owner; the dispatcher reads the due ones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from slackapp.store.models import Schedule

PERSONAL = "personal"
CHECK_IN = "check_in"  # the monthly reminder to take the private self-check


def get_personal_schedule(session: Session, *, team_id: str, user_id: str) -> Schedule | None:
    statement = select(Schedule).where(
        Schedule.team_id == team_id, Schedule.user_id == user_id, Schedule.kind == PERSONAL
    )
    return session.scalars(statement).one_or_none()


def schedules_of(session: Session, *, team_id: str, user_id: str) -> Sequence[Schedule]:
    statement = select(Schedule).where(Schedule.team_id == team_id, Schedule.user_id == user_id)
    return session.scalars(statement).all()


def lock_due_schedules(session: Session, *, now: datetime, limit: int, spread: int = 1) -> Sequence[Schedule]:
    """Schedules due by `now`, locked for this transaction; other dispatchers skip them (PostgreSQL).

    With `spread` > 1, the batch is chosen among the `limit * spread` due the longest, workspaces in
    turn (the first of each, then the second...), so that a tick plans every workspace's first reminder
    early instead of one workspace's many; the window keeps the work per batch bounded however many are
    due. A batch may then come back short when another dispatcher holds some of its rows.
    """
    if spread <= 1:
        statement = (
            select(Schedule)
            .where(Schedule.next_due_at <= now)
            .order_by(Schedule.next_due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return session.scalars(statement).all()
    window = (
        select(Schedule.id, Schedule.team_id, Schedule.next_due_at)
        .where(Schedule.next_due_at <= now)
        .order_by(Schedule.next_due_at, Schedule.id)
        .limit(limit * spread)
        .subquery()
    )
    turn = func.row_number().over(partition_by=window.c.team_id, order_by=(window.c.next_due_at, window.c.id))
    ranked = select(window.c.id, window.c.next_due_at, turn.label("turn")).subquery()
    chosen = select(ranked.c.id).order_by(ranked.c.turn, ranked.c.next_due_at, ranked.c.id).limit(limit)
    statement = (
        select(Schedule)
        .where(Schedule.id.in_(chosen.scalar_subquery()), Schedule.next_due_at <= now)
        .order_by(Schedule.next_due_at, Schedule.id)
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


def get_check_in_schedule(session: Session, *, team_id: str, user_id: str) -> Schedule | None:
    statement = select(Schedule).where(
        Schedule.team_id == team_id, Schedule.user_id == user_id, Schedule.kind == CHECK_IN
    )
    return session.scalars(statement).one_or_none()
