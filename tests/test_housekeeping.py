"""Housekeeping forgets bookkeeping that no longer protects anything, and keeps what still does."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from slackapp.actor import Actor
from slackapp.jobs import housekeeping
from slackapp.scheduling.occurrences import EVERY_DAY
from slackapp.scheduling.reminders import save_reminder
from slackapp.store.events import claim_event
from slackapp.store.models import Base, Delivery, ProcessedEvent
from tests.conftest import Kindly

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
ALICE = Actor("T0001", "U0ALICE")


def count(kindly: Kindly, model: type[Base]) -> int:
    with kindly.runtime.services.sessions.begin() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def remind_daily_from(kindly: Kindly, moment: datetime) -> None:
    with kindly.runtime.services.sessions.begin() as session:
        save_reminder(session, ALICE, weekdays=EVERY_DAY, at=time(9), paused_until=None, now=moment)


def test_housekeeping_purges_old_event_ids_deliveries_and_the_quota_of_ended_days(kindly: Kindly) -> None:
    services = kindly.runtime.services
    with services.sessions.begin() as session:
        claim_event(session, event_id="Ev0OLD", now=NOW - timedelta(days=3))
        claim_event(session, event_id="Ev0NEW", now=NOW - timedelta(hours=1))
    kindly.clock.set(datetime(2027, 2, 20, 12, tzinfo=UTC))
    services.quota.take_one(team_id="T0001", user_id="U0ALICE", limit=5)
    assert services.quota.days_held() == [date(2027, 2, 20)]
    remind_daily_from(kindly, NOW - timedelta(days=40))
    kindly.dispatch(NOW - timedelta(days=39, hours=3))  # a delivery 39 days old
    remind_daily_from(kindly, NOW - timedelta(days=1))
    kindly.dispatch(NOW - timedelta(hours=3))  # one from this morning
    assert count(kindly, Delivery) == 2
    kindly.clock.set(NOW)
    housekeeping(services)
    assert count(kindly, ProcessedEvent) == 1
    assert services.quota.days_held() == []  # the key of 20 February is gone with its counters
    assert count(kindly, Delivery) == 1
