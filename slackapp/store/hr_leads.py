"""HR leads named by other HR leads (workspace admins and owners are HR leads anyway)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from slackapp.store.models import HrLead


def is_named_hr_lead(session: Session, *, team_id: str, user_id: str) -> bool:
    return session.get(HrLead, (team_id, user_id)) is not None


def named_hr_leads(session: Session, *, team_id: str) -> Sequence[str]:
    return session.scalars(
        select(HrLead.user_id).where(HrLead.team_id == team_id).order_by(HrLead.user_id)
    ).all()


def add_hr_lead(session: Session, *, team_id: str, user_id: str, now: datetime) -> bool:
    if is_named_hr_lead(session, team_id=team_id, user_id=user_id):
        return False
    session.add(HrLead(team_id=team_id, user_id=user_id, added_at=now))
    return True


def remove_hr_lead(session: Session, *, team_id: str, user_id: str) -> bool:
    lead = session.get(HrLead, (team_id, user_id))
    if lead is None:
        return False
    session.delete(lead)
    return True
