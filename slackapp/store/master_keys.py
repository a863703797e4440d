"""The master keys' ages: when each was first used, and when a rotation left it wrapping nothing.

A Fernet key carries no date. Fernet tokens do, but MultiFernet.rotate keeps a token's original stamp when
it re-wraps it, so a token's stamp tells when a data key was made, not when the master key that wraps it
now came into use. So Kindly records, under a one-way id, when it first saw each master key. A key already
in use before that record existed is dated by the oldest data key it opens: never younger than the truth
(rotation keeps stamps), so its age errs towards rotating early, the safe side for backups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select
from sqlalchemy.orm import Session

from slackapp.store.crypto import key_id
from slackapp.store.models import DataKey, MasterKey
from slackapp.store.upsert import insert_ignoring_conflicts


@dataclass(frozen=True)
class KeyAge:
    position: int  # 1 for the newest configured key (the one that wraps new data)
    key_id: str
    first_seen_at: datetime | None  # None: never recorded (Kindly has not started with this key)
    rotated_out_at: datetime | None  # when `kindly rotate-keys` left it wrapping nothing


def register_master_keys(session: Session, keys: Sequence[bytes], *, now: datetime) -> None:
    """Record the first sighting of every configured master key (newest first)."""
    for key in keys:
        if session.get(MasterKey, key_id(key)) is None:
            insert_ignoring_conflicts(
                session, MasterKey, key_id=key_id(key), first_seen_at=_first_use(session, key, now=now)
            )


def _first_use(session: Session, key: bytes, *, now: datetime) -> datetime:
    oldest = session.scalars(select(DataKey).order_by(DataKey.created_at).limit(1)).first()
    if oldest is None:
        return now
    try:
        Fernet(key).decrypt(oldest.wrapped_key)
    except InvalidToken:
        return now
    return min(oldest.created_at, now)


def mark_rotated_out(session: Session, keys: Sequence[bytes], *, now: datetime) -> None:
    """After a complete rotation, every key but the newest wraps nothing from `now` on."""
    register_master_keys(session, keys, now=now)
    for key in keys[1:]:
        row = session.get(MasterKey, key_id(key))
        if row is not None and row.rotated_out_at is None:
            row.rotated_out_at = now


def key_ages(session: Session, keys: Sequence[bytes]) -> list[KeyAge]:
    """What is recorded about each configured master key, newest first."""
    ages = []
    for position, key in enumerate(keys, start=1):
        row = session.get(MasterKey, key_id(key))
        ages.append(
            KeyAge(
                position=position,
                key_id=key_id(key),
                first_seen_at=row.first_seen_at if row else None,
                rotated_out_at=row.rotated_out_at if row else None,
            )
        )
    return ages
