"""A workspace's settings row: made with its defaults on first use; when its shout-out digest is next due."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from slackapp.store.models import Workspace


def get_workspace(session: Session, *, team_id: str) -> Workspace | None:
    return session.get(Workspace, team_id)


def ensure_workspace(session: Session, *, team_id: str, now: datetime) -> Workspace:
    workspace = get_workspace(session, team_id=team_id)
    if workspace is None:
        workspace = Workspace(
            team_id=team_id,
            shoutout_mode="immediate",
            digest_weekday=4,
            digest_tz="UTC",
            blocked_words="",
            extra_strengths="",
            updated_at=now,
        )
        session.add(workspace)
        session.flush()
    return workspace


def workspace_holiday_countries(session: Session, team_ids: Collection[str]) -> dict[str, str]:
    """The default public-holiday country of each of these workspaces that has set one."""
    if not team_ids:
        return {}
    rows = session.execute(
        select(Workspace.team_id, Workspace.holiday_country).where(
            Workspace.team_id.in_(team_ids), Workspace.holiday_country.is_not(None)
        )
    )
    return {team_id: country for team_id, country in rows if country}


def claim_due_digest(session: Session, *, team_id: str, due_at: datetime, next_at: datetime | None) -> bool:
    """Move a workspace's digest time on, once: True only for the one dispatcher that did it."""
    workspace = session.scalars(
        select(Workspace)
        .where(Workspace.team_id == team_id, Workspace.next_digest_at == due_at)
        .with_for_update(skip_locked=True)
    ).one_or_none()
    if workspace is None:
        return False
    workspace.next_digest_at = next_at
    return True


def workspaces_with_digest_due(session: Session, *, now: datetime) -> list[tuple[str, datetime]]:
    statement = select(Workspace.team_id, Workspace.next_digest_at).where(
        Workspace.shoutout_mode == "digest", Workspace.next_digest_at <= now
    )
    return [(team_id, due) for team_id, due in session.execute(statement) if due is not None]


def stop_digest(session: Session, *, team_id: str) -> None:
    """No shout-out digest is due until the digest time is set again."""
    session.execute(update(Workspace).where(Workspace.team_id == team_id).values(next_digest_at=None))
