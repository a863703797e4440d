"""Per-sender daily quota counters that point to no shout-out.

A counter's key is HMAC(secret, team:person:day): without the secret nobody can tell whose counter it
is, and counters of different days cannot be linked. Old days are purged by housekeeping.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import Session

from slackapp.store.models import ShoutoutQuota


def sender_key(secret: bytes, *, team_id: str, user_id: str, day: date) -> str:
    return hmac.new(secret, f"{team_id}:{user_id}:{day.isoformat()}".encode(), hashlib.sha256).hexdigest()


def take_one(session: Session, *, key: str, day: date, limit: int) -> bool:
    """Count one more shout-out for this sender today; False (and nothing counted) at the limit."""
    counter = session.get(ShoutoutQuota, key, with_for_update=True)
    if counter is None:
        session.add(ShoutoutQuota(sender_key=key, day=day, sent=1))
        session.flush()
        return True
    if counter.sent >= limit:
        return False
    counter.sent += 1
    return True


def purge_before(session: Session, *, day: date) -> int:
    result = session.execute(delete(ShoutoutQuota).where(ShoutoutQuota.day < day))
    assert isinstance(result, CursorResult)
    return result.rowcount
