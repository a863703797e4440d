"""The ledger of Slack events already handled: Slack retries an event it thinks was not received."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from slackapp.store.models import ProcessedEvent
from slackapp.store.upsert import insert_ignoring_conflicts


def claim_event(session: Session, *, event_id: str, now: datetime) -> bool:
    """True the first time an event id is seen; False for every redelivery."""
    return insert_ignoring_conflicts(session, ProcessedEvent, event_id=event_id, received_at=now)
