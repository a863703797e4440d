"""Self-checks: sealed with the person's own data key, read and written for that one person only.

A check's plaintext (the six answers and its phase) is padded to one length before sealing, so no
ciphertext length tells a check before a kind moment from one taken alone. Scores are worked out after
opening, never in SQL.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from slackapp.practices.self_check import ITEMS, Phase
from slackapp.store.crypto import KeyUnavailableError, Vault
from slackapp.store.models import SelfCheck, SelfCheckSettings

SEALED_SIZE = 64  # bytes of plaintext before sealing: six digits and the longest phase fit with room


@dataclass(frozen=True)
class OpenedCheck:
    id: uuid.UUID
    taken_at: datetime
    phase: Phase
    answers: dict[str, int]


def pack(answers: dict[str, int], phase: Phase) -> bytes:
    document = {"a": [answers[item.key] for item in ITEMS], "p": phase.value}
    return json.dumps(document, separators=(",", ":")).encode("utf-8").ljust(SEALED_SIZE, b" ")


def unpack(plaintext: bytes) -> tuple[dict[str, int], Phase]:
    document = json.loads(plaintext)
    answers = {item.key: int(value) for item, value in zip(ITEMS, document["a"], strict=True)}
    return answers, Phase(document["p"])


def add_check(
    session: Session,
    vault: Vault,
    *,
    team_id: str,
    user_id: str,
    answers: dict[str, int],
    phase: Phase,
    now: datetime,
) -> SelfCheck:
    seal = vault.sealer(session, team_id=team_id, user_id=user_id)
    check = SelfCheck(
        id=uuid.uuid4(), team_id=team_id, user_id=user_id, sealed=seal(pack(answers, phase)), taken_at=now
    )
    session.add(check)
    session.flush()
    return check


def list_checks(
    session: Session, vault: Vault, *, team_id: str, user_id: str, since: datetime | None = None
) -> list[OpenedCheck]:
    """The person's checks, oldest first, opened; none when their data key is gone."""
    statement = select(SelfCheck).where(SelfCheck.team_id == team_id, SelfCheck.user_id == user_id)
    if since is not None:
        statement = statement.where(SelfCheck.taken_at >= since)
    rows = session.scalars(statement.order_by(SelfCheck.taken_at, SelfCheck.id)).all()
    if not rows:
        return []
    try:
        opener = vault.opener(session, team_id=team_id, user_id=user_id)
    except KeyUnavailableError:
        return []
    opened = []
    for row in rows:
        try:
            answers, phase = unpack(opener(row.sealed))
        except KeyUnavailableError:
            continue
        opened.append(OpenedCheck(id=row.id, taken_at=row.taken_at, phase=phase, answers=answers))
    return opened


def forget_checks(session: Session, *, team_id: str, user_id: str) -> None:
    session.execute(delete(SelfCheck).where(SelfCheck.team_id == team_id, SelfCheck.user_id == user_id))
    session.execute(
        delete(SelfCheckSettings).where(
            SelfCheckSettings.team_id == team_id, SelfCheckSettings.user_id == user_id
        )
    )


def checks_before_and_after(session: Session, *, team_id: str, user_id: str) -> bool:
    settings = session.get(SelfCheckSettings, (team_id, user_id))
    return settings is not None and settings.before_and_after


def set_before_and_after(session: Session, *, team_id: str, user_id: str, on: bool, now: datetime) -> None:
    settings = session.get(SelfCheckSettings, (team_id, user_id))
    if settings is None:
        session.add(SelfCheckSettings(team_id=team_id, user_id=user_id, before_and_after=on, updated_at=now))
    else:
        settings.before_and_after, settings.updated_at = on, now
    session.flush()
