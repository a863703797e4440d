"""Pending wipes: scopes that uninstalled Kindly, whose data waits out the grace period for a reinstall."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from slackapp.store.models import PendingWipe
from slackapp.store.upsert import insert_ignoring_conflicts


def record_pending_wipe(session: Session, *, team_id: str, wipe_after: datetime) -> bool:
    """Note when a scope's data goes; a wipe already pending keeps its (earlier) time."""
    return insert_ignoring_conflicts(session, PendingWipe, team_id=team_id, wipe_after=wipe_after)


def cancel_pending_wipe(session: Session, *, team_id: str) -> bool:
    """True when a wipe was pending for the scope."""
    result = session.execute(delete(PendingWipe).where(PendingWipe.team_id == team_id))
    assert isinstance(result, CursorResult)
    return result.rowcount > 0


def wipes_due(session: Session, *, now: datetime) -> list[str]:
    statement = select(PendingWipe.team_id).where(PendingWipe.wipe_after <= now).order_by(PendingWipe.team_id)
    return list(session.scalars(statement))


def take_due_wipe(session: Session, *, team_id: str, now: datetime) -> bool:
    """Remove a due wipe; True only in the one transaction that did, which then deletes the data.

    A reinstall that cancelled it meanwhile, or another process's housekeeping that took it, leaves
    nothing to take.
    """
    result = session.execute(
        delete(PendingWipe).where(PendingWipe.team_id == team_id, PendingWipe.wipe_after <= now)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount > 0
