"""The ledger of Slack requests already handled: events Slack retries, and signed requests replayed."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy.orm import Session

from slackapp.store.models import ProcessedEvent
from slackapp.store.upsert import insert_ignoring_conflicts


def claim_event(session: Session, *, event_id: str, now: datetime) -> bool:
    """True the first time an event id is seen; False for every redelivery."""
    return insert_ignoring_conflicts(session, ProcessedEvent, event_id=event_id, received_at=now)


def claim_signed_request(session: Session, *, signature: str, now: datetime) -> bool:
    """True the first time a signed request is seen; False when the same signed bytes come again.

    Slack's signature is an HMAC of the timestamp and the body, so it names exactly one request; only its
    digest is kept, for as long as processed events are (Bolt refuses a timestamp older than five minutes).
    """
    digest = hashlib.blake2b(signature.encode("utf-8"), digest_size=16).hexdigest()
    return claim_event(session, event_id=f"signed:{digest}", now=now)
