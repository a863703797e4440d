"""The audit log: who did what, when. Ids only, never content."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from slackapp.store.models import AuditEntry


def audit(
    session: Session, *, team_id: str, actor_id: str, action: str, now: datetime, subject: str | None = None
) -> None:
    session.add(AuditEntry(team_id=team_id, actor_id=actor_id, action=action, subject=subject, at=now))


def audit_entries(session: Session, *, team_id: str) -> Sequence[AuditEntry]:
    return session.scalars(
        select(AuditEntry).where(AuditEntry.team_id == team_id).order_by(AuditEntry.id)
    ).all()
