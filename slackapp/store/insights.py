"""A program's weekly insight snapshots: counted once when the week closes, stored, never recomputed.

Counting queries return numbers, never lists of people.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from slackapp.practices.insights import PublishedWeek, WeekCounts
from slackapp.store.feedback import HELPED, TOOK_MOMENT, forget_reactions, reactions_among
from slackapp.store.models import InsightSnapshot, Schedule, Shoutout
from slackapp.store.shoutouts import POSTED
from slackapp.store.upsert import insert_ignoring_conflicts


def program_people(session: Session, *, program_id: int) -> set[str]:
    return set(session.scalars(select(Schedule.user_id).where(Schedule.program_id == program_id)))


def count_week(
    session: Session, secret: bytes, *, team_id: str, program_id: int, week: date, people: Collection[str]
) -> WeekCounts:
    """The week's raw counts over `people` (the program's people as the week closes)."""
    reactions = reactions_among(session, secret, program_id=program_id, week=week, user_ids=people)
    members = select(Schedule.user_id).where(Schedule.program_id == program_id)
    # Only shout-outs posted in the channel, which anyone there can count: two programs whose people
    # differ by one person would otherwise tell what that person received in private.
    shoutouts, recipients = session.execute(
        select(func.count(), func.count(distinct(Shoutout.recipient_id))).where(
            Shoutout.team_id == team_id,
            Shoutout.recipient_id.in_(members),
            Shoutout.status == POSTED,
            Shoutout.created_on >= week,
            Shoutout.created_on < week + timedelta(weeks=1),
        )
    ).one()
    return WeekCounts(
        people=len(people),
        took_moment=reactions[TOOK_MOMENT],
        helped=reactions[HELPED],
        shoutouts=shoutouts,
        shoutout_recipients=recipients,
    )


def freeze_week(
    session: Session, *, program_id: int, week: date, k: int, figures: PublishedWeek, now: datetime
) -> None:
    """Store the week's publishable figures (a concurrent snapshot of the same week wins quietly), then
    forget the reactions it was counted from."""
    insert_ignoring_conflicts(
        session,
        InsightSnapshot,
        program_id=program_id,
        week=week,
        k=k,
        people=figures.people,
        took_moment=figures.took_moment,
        helped=figures.helped,
        shoutouts=figures.shoutouts,
        taken_at=now,
    )
    forget_reactions(session, program_id=program_id, through=week)


def last_frozen_week(session: Session, *, program_id: int) -> date | None:
    return session.scalar(
        select(func.max(InsightSnapshot.week)).where(InsightSnapshot.program_id == program_id)
    )


def snapshots(session: Session, *, program_id: int, since: date) -> Sequence[InsightSnapshot]:
    statement = (
        select(InsightSnapshot)
        .where(InsightSnapshot.program_id == program_id, InsightSnapshot.week >= since)
        .order_by(InsightSnapshot.week)
    )
    return session.scalars(statement).all()
