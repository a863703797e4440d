"""Retention: reflections and self-checks older than their workspace's retention days are deleted."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from slackapp.store.models import Reflection, SelfCheck, Workspace


def purge_expired_reflections(session: Session, *, now: datetime) -> int:
    purged = 0
    for team_id, days in session.execute(
        select(Workspace.team_id, Workspace.retention_days).where(Workspace.retention_days.is_not(None))
    ):
        result = session.execute(
            delete(Reflection).where(
                Reflection.team_id == team_id, Reflection.created_at < now - timedelta(days=days or 0)
            )
        )
        assert isinstance(result, CursorResult)
        purged += result.rowcount
        checks = session.execute(
            delete(SelfCheck).where(
                SelfCheck.team_id == team_id, SelfCheck.taken_at < now - timedelta(days=days or 0)
            )
        )
        assert isinstance(checks, CursorResult)
        purged += checks.rowcount
    return purged
