"""Reflections: always read and written for one verified author.

What a reflection is about (its practice, the entry it mends) is sealed like its text, so anything that
depends on it (the journal's gold seams, which entries can still be mended) is worked out here, after
opening, never in SQL.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import Session

from slackapp.store.crypto import KeyUnavailableError, Vault
from slackapp.store.models import Reflection
from slackapp.store.reflection_meta import ReflectionMeta, pack, unpack

KINTSUGI = "kintsugi"
# The answers are keyed by their prompts' names, which differ per practice: the body is padded to a
# multiple of this, so a short entry's length says nothing of its practice (only a long text's size).
BODY_BLOCK = 1024
UNREADABLE = ReflectionMeta(practice="")  # sealed with a data key that no longer opens


@dataclass(frozen=True)
class Entry:
    """A reflection as its author sees it, its metadata opened; the answers stay sealed until asked for."""

    row: Reflection
    practice: str
    revisits: uuid.UUID | None
    mended_at: datetime | None  # when a later kintsugi entry revisited this one: its gold seam
    in_head: bool = False  # done without writing: nothing was kept to read or mend

    @property
    def mended(self) -> bool:
        return self.mended_at is not None

    @property
    def can_be_mended(self) -> bool:
        return self.practice not in {KINTSUGI, ""} and not self.mended and not self.in_head


def add_reflection(
    session: Session,
    vault: Vault,
    *,
    team_id: str,
    user_id: str,
    practice: str,
    answers: Mapping[str, str],
    now: datetime,
    revisits: uuid.UUID | None = None,
    wording: int | None = None,
    in_head: bool = False,
) -> Reflection:
    """Keep a reflection; a kintsugi one names the older entry it mends, which is left untouched (no
    update of the old row ties the two together in the database). One done in the head keeps no text."""

    seal = vault.sealer(session, team_id=team_id, user_id=user_id)
    reflection = Reflection(
        id=uuid.uuid4(),
        team_id=team_id,
        user_id=user_id,
        body=seal(pad_body({} if in_head else answers)),
        sealed_meta=seal(
            pack(ReflectionMeta(practice=practice, revisits=revisits, wording=wording, in_head=in_head))
        ),
        created_at=now,
    )
    session.add(reflection)
    session.flush()
    return reflection


def pad_body(answers: Mapping[str, str]) -> bytes:
    """The answers as JSON, padded with spaces (which JSON ignores) to a whole number of blocks."""
    packed = json.dumps(dict(answers)).encode("utf-8")
    return packed.ljust(-(-len(packed) // BODY_BLOCK) * BODY_BLOCK, b" ")


def read_meta(session: Session, vault: Vault, reflection: Reflection) -> ReflectionMeta:
    try:
        opener = vault.opener(session, team_id=reflection.team_id, user_id=reflection.user_id)
    except KeyUnavailableError:
        return UNREADABLE
    return _open_meta(opener, reflection.sealed_meta)


def _open_meta(opener: Callable[[bytes], bytes], token: bytes) -> ReflectionMeta:
    try:
        return unpack(opener(token))
    except KeyUnavailableError:
        return UNREADABLE


def _unreadable(_token: bytes) -> bytes:
    raise KeyUnavailableError("no data key for this person")


def _authored(team_id: str, user_id: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (Reflection.team_id == team_id, Reflection.user_id == user_id)


def open_entries(
    session: Session, vault: Vault, *, team_id: str, user_id: str, rows: Sequence[Reflection]
) -> list[Entry]:
    """The author's rows with their metadata opened, and gold seams from every kintsugi entry of theirs."""
    sealed = session.execute(
        select(Reflection.id, Reflection.created_at, Reflection.sealed_meta).where(
            *_authored(team_id, user_id)
        )
    ).all()
    try:
        opener = vault.opener(session, team_id=team_id, user_id=user_id)
    except KeyUnavailableError:
        opener = _unreadable
    metas = {row_id: _open_meta(opener, token) for row_id, _, token in sealed}
    mended_at = {
        meta.revisits: created_at
        for row_id, created_at, _ in sealed
        if (meta := metas[row_id]).revisits is not None
    }
    return [
        Entry(
            row=row,
            practice=metas.get(row.id, UNREADABLE).practice,
            revisits=metas.get(row.id, UNREADABLE).revisits,
            mended_at=mended_at.get(row.id),
            in_head=metas.get(row.id, UNREADABLE).in_head,
        )
        for row in rows
    ]


def list_entries(
    session: Session, vault: Vault, *, team_id: str, user_id: str, offset: int = 0, limit: int = 10
) -> list[Entry]:
    """The author's entries, newest first, metadata opened."""
    rows = list_reflections(session, team_id=team_id, user_id=user_id, offset=offset, limit=limit)
    return open_entries(session, vault, team_id=team_id, user_id=user_id, rows=rows)


WORDING_LOOKBACK = 50  # entries: a practice unused for longer simply starts again at its first wording


def last_wording(session: Session, vault: Vault, *, team_id: str, user_id: str, practice: str) -> int | None:
    """The wording the author was shown in their latest entry of `practice` (None if none recorded).

    The practice is sealed, so this opens the author's metadata newest first until one matches, among
    their latest WORDING_LOOKBACK entries (it runs before Slack's 3-second deadline)."""
    statement = (
        select(Reflection.sealed_meta)
        .where(*_authored(team_id, user_id))
        .order_by(Reflection.created_at.desc(), Reflection.id)
        .limit(WORDING_LOOKBACK)
    )
    opener: Callable[[bytes], bytes] | None = None
    for token in session.scalars(statement).all():
        if opener is None:  # a person without entries needs no key read
            try:
                opener = vault.opener(session, team_id=team_id, user_id=user_id)
            except KeyUnavailableError:
                return None
        meta = _open_meta(opener, token)
        if meta.practice == practice:
            return meta.wording
    return None


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
    statement = select(Reflection).where(Reflection.id == key, *_authored(team_id, user_id))
    return session.scalars(statement).one_or_none()


def get_entry(session: Session, vault: Vault, *, team_id: str, user_id: str, entry_id: str) -> Entry | None:
    row = get_reflection(session, team_id=team_id, user_id=user_id, reflection_id=entry_id)
    if row is None:
        return None
    (entry,) = open_entries(session, vault, team_id=team_id, user_id=user_id, rows=[row])
    return entry


def list_reflections(
    session: Session, *, team_id: str, user_id: str, offset: int = 0, limit: int = 10
) -> list[Reflection]:
    """The author's reflections, newest first."""
    statement = (
        select(Reflection)
        .where(*_authored(team_id, user_id))
        .order_by(Reflection.created_at.desc(), Reflection.id)
        .offset(offset)
        .limit(limit)
    )
    return list(session.scalars(statement))


def count_reflections(session: Session, *, team_id: str, user_id: str) -> int:
    statement = select(func.count()).where(*_authored(team_id, user_id))
    return session.scalar(statement) or 0


def latest_reflections_of(
    session: Session, people: Collection[tuple[str, str]]
) -> dict[tuple[str, str], datetime]:
    """The most recent reflection time of each (team_id, user_id), for people of any workspaces at once."""
    if not people:
        return {}
    statement = (
        select(Reflection.team_id, Reflection.user_id, func.max(Reflection.created_at))
        .where(tuple_(Reflection.team_id, Reflection.user_id).in_(list(people)))
        .group_by(Reflection.team_id, Reflection.user_id)
    )
    latest: dict[tuple[str, str], datetime] = {}
    for team_id, user_id, created_at in session.execute(statement):
        if created_at is not None:
            latest[(team_id, user_id)] = created_at if created_at.tzinfo else created_at.replace(tzinfo=UTC)
    return latest
