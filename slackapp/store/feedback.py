"""'This helped' taps: one per person, program and week, under a keyed hash. Counts, never people."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from slackapp.store.models import PromptFeedback
from slackapp.store.upsert import insert_ignoring_conflicts


def record_helped(session: Session, secret: bytes, *, program_id: int, user_key: str, week: date) -> bool:
    key = hmac.new(secret, f"{program_id}:{user_key}:{week.isoformat()}".encode(), hashlib.sha256).hexdigest()
    return insert_ignoring_conflicts(session, PromptFeedback, key=key, program_id=program_id, week=week)


def helped_in_week(session: Session, *, program_id: int, week: date) -> int:
    statement = select(func.count()).where(
        PromptFeedback.program_id == program_id, PromptFeedback.week == week
    )
    return session.scalar(statement) or 0
