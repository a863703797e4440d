"""Reactions to a program's prompt, one per person, program, week and kind, under a keyed hash.

"helped" is a "This helped" tap; "took_moment" is a kind moment opened from the program's own prompt
(a private /kindly is never one). The keyed hash lets a week's snapshot count only the people in the
program when the week closes, without the table naming anyone; the rows are deleted once the snapshot
is taken. Counts, never people.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Collection
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from slackapp.store.models import PromptFeedback, TeamProgram
from slackapp.store.upsert import insert_ignoring_conflicts

HELPED = "helped"
TOOK_MOMENT = "took_moment"
KINDS = (HELPED, TOOK_MOMENT)
_CHUNK = 500  # keys per IN (...) list


def reaction_key(secret: bytes, *, kind: str, program_id: int, user_id: str, week: date) -> str:
    subject = f"{program_id}:{user_id}:{week.isoformat()}"
    if kind != HELPED:  # "helped" keys predate the kinds and keep their form
        subject = f"{kind}:{subject}"
    return hmac.new(secret, subject.encode(), hashlib.sha256).hexdigest()


def record_reaction(
    session: Session, secret: bytes, *, kind: str, program_id: int, user_id: str, week: date
) -> bool:
    """Keep one reaction; True when it is the person's first of this kind this week."""
    key = reaction_key(secret, kind=kind, program_id=program_id, user_id=user_id, week=week)
    return insert_ignoring_conflicts(
        session, PromptFeedback, key=key, program_id=program_id, week=week, kind=kind
    )


def reactions_among(
    session: Session, secret: bytes, *, program_id: int, week: date, user_ids: Collection[str]
) -> Counter[str]:
    """How many of these people reacted in the week, by kind (anyone else's reactions are not counted)."""
    keys = [
        reaction_key(secret, kind=kind, program_id=program_id, user_id=user_id, week=week)
        for user_id in user_ids
        for kind in KINDS
    ]
    counts: Counter[str] = Counter()
    for start in range(0, len(keys), _CHUNK):
        statement = select(PromptFeedback.kind).where(
            PromptFeedback.program_id == program_id,
            PromptFeedback.week == week,
            PromptFeedback.key.in_(keys[start : start + _CHUNK]),
        )
        counts.update(session.scalars(statement))
    return counts


def forget_reactions(session: Session, *, program_id: int, through: date) -> None:
    """Delete the reactions of weeks up to `through`, once their snapshot is taken."""
    session.execute(
        delete(PromptFeedback).where(PromptFeedback.program_id == program_id, PromptFeedback.week <= through)
    )


def forget_person_reactions(session: Session, secret: bytes, *, team_id: str, user_id: str) -> None:
    """Forget-me: delete the person's reactions not yet counted into a snapshot. Whoever holds the master
    key can recompute their keyed hash, and would read from the row that a forgotten person reacted."""
    held = session.execute(
        select(PromptFeedback.program_id, PromptFeedback.week)
        .join(TeamProgram, TeamProgram.id == PromptFeedback.program_id)
        .where(TeamProgram.team_id == team_id)
        .distinct()
    ).all()
    keys = [
        reaction_key(secret, kind=kind, program_id=program_id, user_id=user_id, week=week)
        for program_id, week in held
        for kind in KINDS
    ]
    for start in range(0, len(keys), _CHUNK):
        session.execute(delete(PromptFeedback).where(PromptFeedback.key.in_(keys[start : start + _CHUNK])))
