"""Shout-outs: stored without their sender; notes sealed with the recipient's data key."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from slackapp.store.crypto import Vault
from slackapp.store.models import Shoutout

WAITING = "waiting"  # for the weekly digest
POSTED = "posted"
PRIVATE = "private"  # no channel: it went to the recipient alone


def add_shoutout(
    session: Session,
    vault: Vault,
    *,
    team_id: str,
    recipient_id: str,
    strength: str,
    note: str,
    signed_by: str | None,
    status: str,
    received_on: date,
) -> Shoutout:
    # Sealed as of the day's start: the token's clear timestamp would otherwise say when it was written.
    day_start = datetime.combine(received_on, time(0), tzinfo=UTC)
    plaintext = note.encode("utf-8")
    sealed = (
        vault.seal(session, team_id=team_id, user_id=recipient_id, plaintext=plaintext, sealed_at=day_start)
        if note
        else None
    )
    shoutout = Shoutout(
        id=uuid.uuid4(),
        team_id=team_id,
        recipient_id=recipient_id,
        strength=strength,
        note=sealed,
        signed_by=signed_by,
        status=status,
        created_on=received_on,
        sort_key=secrets.randbelow(2**31),
    )
    session.add(shoutout)
    session.flush()
    return shoutout


def read_note(session: Session, vault: Vault, shoutout: Shoutout) -> str:
    if shoutout.note is None:
        return ""
    return vault.open(
        session, team_id=shoutout.team_id, user_id=shoutout.recipient_id, token=shoutout.note
    ).decode()


def get_shoutout(session: Session, *, team_id: str, shoutout_id: str) -> Shoutout | None:
    try:
        key = uuid.UUID(shoutout_id)
    except (ValueError, TypeError):
        return None
    return session.scalars(
        select(Shoutout).where(Shoutout.id == key, Shoutout.team_id == team_id)
    ).one_or_none()


def shoutouts_in_message(session: Session, *, team_id: str, channel: str, ts: str) -> Sequence[Shoutout]:
    statement = (
        select(Shoutout)
        .where(Shoutout.team_id == team_id, Shoutout.channel == channel, Shoutout.ts == ts)
        .order_by(Shoutout.sort_key)
    )
    return session.scalars(statement).all()


def waiting_for_digest(session: Session, *, team_id: str) -> Sequence[Shoutout]:
    statement = (
        select(Shoutout)
        .where(Shoutout.team_id == team_id, Shoutout.status == WAITING)
        .order_by(Shoutout.sort_key)
        .limit(40)  # one message: 50 blocks at most
    )
    return session.scalars(statement).all()


def received_by(session: Session, *, team_id: str, user_id: str) -> Sequence[Shoutout]:
    statement = (
        select(Shoutout)
        .where(Shoutout.team_id == team_id, Shoutout.recipient_id == user_id, Shoutout.status != WAITING)
        .order_by(Shoutout.created_on.desc(), Shoutout.sort_key)
    )
    return session.scalars(statement).all()


def drop_old_row_versions(engine: Engine) -> None:
    """PostgreSQL keeps a row's earlier versions (with the transaction that wrote each) until a vacuum;
    after a digest rewrote its shout-outs, vacuum at once so the versions from their arrival go too."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM shoutouts")
