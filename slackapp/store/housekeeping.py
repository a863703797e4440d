"""Old bookkeeping rows that no longer protect anything."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import Session

from slackapp.store.deliveries import Status
from slackapp.store.models import Delivery, ProcessedEvent


def purge_processed_events(session: Session, *, before: datetime) -> int:
    """Slack retries an event for minutes, not days: older ids can go."""
    result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < before))
    assert isinstance(result, CursorResult)
    return result.rowcount


def purge_finished_deliveries(session: Session, *, before: datetime) -> int:
    """Finished deliveries far in the past no longer guard any occurrence from being sent twice."""
    statement = delete(Delivery).where(
        Delivery.status != Status.PENDING.value,
        Delivery.status != Status.CLAIMED.value,
        Delivery.occurrence_at < before,
    )
    result = session.execute(statement)
    assert isinstance(result, CursorResult)
    return result.rowcount


def forget_skipped_deliveries(session: Session, *, before: datetime) -> int:
    """Skipped reminders whose occurrence is past the grace window: nothing can send them any more, and
    their reasons ("already_reflected", "not_today", ...) would tell whoever reads the table what the
    person did. They go, whatever the reason, so that no remaining row or gap singles one reason out."""
    statement = delete(Delivery).where(
        Delivery.status == Status.SKIPPED.value, Delivery.occurrence_at < before
    )
    result = session.execute(statement)
    assert isinstance(result, CursorResult)
    return result.rowcount
