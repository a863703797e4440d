"""Reflections: always read and written for one verified author."""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Mapping
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from slackapp.store.crypto import Vault
from slackapp.store.models import Reflection


def add_reflection(
    session: Session,
    vault: Vault,
    *,
    team_id: str,
    user_id: str,
    practice: str,
    answers: Mapping[str, str],
    now: datetime,
) -> Reflection:
    body = vault.seal(
        session, team_id=team_id, user_id=user_id, plaintext=json.dumps(dict(answers)).encode("utf-8")
    )
    reflection = Reflection(
        id=uuid.uuid4(), team_id=team_id, user_id=user_id, practice=practice, body=body, created_at=now
    )
    session.add(reflection)
    session.flush()
    return reflection


def read_answers(session: Session, vault: Vault, reflection: Reflection) -> dict[str, str]:
    plaintext = vault.open(
        session, team_id=reflection.team_id, user_id=reflection.user_id, token=reflection.body
    )
    answers: dict[str, str] = json.loads(plaintext)
    return answers


def get_reflection(session: Session, *, team_id: str, user_id: str, reflection_id: str) -> Reflection | None:
    """The author's own reflection with that id, or None (also for ids that are not UUIDs)."""
    try:
        key = uuid.UUID(reflection_id)
    except (ValueError, TypeError):
        return None
    statement = select(Reflection).where(
        Reflection.id == key, Reflection.team_id == team_id, Reflection.user_id == user_id
    )
    return session.scalars(statement).one_or_none()


def list_reflections(
    session: Session, *, team_id: str, user_id: str, offset: int = 0, limit: int = 10
) -> list[Reflection]:
    """The author's reflections, newest first."""
    statement = (
        select(Reflection)
        .where(Reflection.team_id == team_id, Reflection.user_id == user_id)
        .order_by(Reflection.created_at.desc(), Reflection.id)
        .offset(offset)
        .limit(limit)
    )
    return list(session.scalars(statement))


def count_reflections(session: Session, *, team_id: str, user_id: str) -> int:
    statement = select(func.count()).where(Reflection.team_id == team_id, Reflection.user_id == user_id)
    return session.scalar(statement) or 0


def mend(original: Reflection, *, by: Reflection, now: datetime) -> None:
    """Kintsugi: mark an earlier reflection as repaired by a later one of the same author."""
    if (original.team_id, original.user_id) != (by.team_id, by.user_id):
        raise ValueError("a reflection can only be mended by its own author")
    original.mended_by_id = by.id
    original.mended_at = now


def has_reflected_since(session: Session, *, team_id: str, user_id: str, since: datetime) -> bool:
    statement = (
        select(Reflection.id)
        .where(Reflection.team_id == team_id, Reflection.user_id == user_id, Reflection.created_at > since)
        .limit(1)
    )
    return session.scalars(statement).first() is not None


def latest_reflections(session: Session, *, team_id: str, user_ids: Collection[str]) -> dict[str, datetime]:
    """Each person's most recent reflection time, for many people in one query."""
    statement = (
        select(Reflection.user_id, func.max(Reflection.created_at))
        .where(Reflection.team_id == team_id, Reflection.user_id.in_(user_ids))
        .group_by(Reflection.user_id)
    )
    latest: dict[str, datetime] = {}
    for user_id, created_at in session.execute(statement):
        if created_at is not None:
            latest[user_id] = created_at if created_at.tzinfo else created_at.replace(tzinfo=UTC)
    return latest
