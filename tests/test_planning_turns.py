"""Planning takes workspaces in turn: a tick plans every workspace's first due reminder before any
workspace's later ones, within a bounded window of the longest-due schedules."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from slackapp.scheduling.planning import plan_batch
from slackapp.store.models import Delivery, Schedule
from slackapp.store.schedules import lock_due_schedules
from tests.support.store import Store, migrated_database, store

__all__ = ["migrated_database", "store"]  # fixtures

NINE = datetime(2027, 3, 8, 9, tzinfo=UTC)


def due_schedules(store: Store, team_id: str, count: int, *, first_due: datetime) -> None:
    with store.sessions.begin() as session:
        for index in range(count):
            session.add(
                Schedule(
                    team_id=team_id,
                    user_id=f"U{index:04d}",
                    weekdays=127,
                    local_time=time(9),
                    tz="UTC",
                    created_at=NINE,
                    next_due_at=first_due + timedelta(seconds=index),
                )
            )


def planned_teams(store: Store, *, limit: int, spread: int) -> list[str]:
    with store.sessions.begin() as session:
        return sorted(s.team_id for s in lock_due_schedules(session, now=NINE, limit=limit, spread=spread))


def test_a_batch_takes_every_workspaces_first_due_schedule_before_anyones_second(store: Store) -> None:
    # The big workspace's twenty were due first: by time alone, a batch of three is all theirs.
    due_schedules(store, "T0BIG", 20, first_due=NINE - timedelta(minutes=10))
    due_schedules(store, "T0SMALL", 2, first_due=NINE - timedelta(minutes=5))
    due_schedules(store, "T0TINY", 1, first_due=NINE - timedelta(minutes=1))
    assert planned_teams(store, limit=3, spread=1) == ["T0BIG"] * 3
    assert planned_teams(store, limit=3, spread=10) == ["T0BIG", "T0SMALL", "T0TINY"]


def test_the_turns_are_taken_among_the_longest_due_only(store: Store) -> None:
    due_schedules(store, "T0BIG", 20, first_due=NINE - timedelta(minutes=10))
    due_schedules(store, "T0LATE", 1, first_due=NINE - timedelta(minutes=1))
    # A window of 2 x 3 = 6 schedules holds only the big workspace's: the work per batch stays bounded.
    assert planned_teams(store, limit=3, spread=2) == ["T0BIG"] * 3


def test_the_dispatchers_first_batch_plans_a_reminder_of_every_workspace(store: Store) -> None:
    due_schedules(store, "T0BIG", 20, first_due=NINE - timedelta(minutes=10))
    due_schedules(store, "T0SMALL", 2, first_due=NINE - timedelta(minutes=5))
    due_schedules(store, "T0TINY", 1, first_due=NINE - timedelta(minutes=1))
    added, more = plan_batch(store.sessions, now=NINE, limit=3, grace=timedelta(hours=2))
    assert added == 3 and more
    with store.sessions.begin() as session:
        planned = sorted(session.scalars(select(Delivery.team_id)))
    assert planned == ["T0BIG", "T0SMALL", "T0TINY"]
