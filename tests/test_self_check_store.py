"""Self-checks in the store: sealed with the person's own key at one length, opened only for that person,
gone with forget-me and unreadable once their key is destroyed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from slackapp.practices.self_check import ITEMS, Phase
from slackapp.store.models import SelfCheck
from slackapp.store.people import destroy_key, export_rows, forget_rows
from slackapp.store.self_checks import (
    SEALED_SIZE,
    add_check,
    checks_before_and_after,
    list_checks,
    pack,
    set_before_and_after,
    unpack,
)
from tests.support.store import Store, migrated_database, store

__all__ = ["migrated_database", "store"]  # fixtures

TEAM, OTHER_TEAM = "T0001", "T0002"
ALICE, BOB = "U0ALICE", "U0BOB"


def answered(*values: int) -> dict[str, int]:
    return {item.key: value for item, value in zip(ITEMS, values, strict=True)}


def keep(
    store: Store,
    values: tuple[int, ...],
    *,
    phase: Phase = Phase.ALONE,
    user_id: str = ALICE,
    team_id: str = TEAM,
    days: int = 0,
) -> None:
    with store.sessions.begin() as session:
        add_check(
            session,
            store.vault,
            team_id=team_id,
            user_id=user_id,
            answers=answered(*values),
            phase=phase,
            now=store.now + timedelta(days=days),
        )


@pytest.mark.parametrize("phase", list(Phase))
def test_every_check_is_sealed_from_the_same_length_of_plaintext(phase: Phase) -> None:
    packed = pack(answered(5, 5, 5, 5, 5, 5), phase)
    assert len(packed) == SEALED_SIZE
    assert unpack(packed) == (answered(5, 5, 5, 5, 5, 5), phase)


def test_a_check_is_sealed_and_read_back_by_its_person_only_oldest_first(store: Store) -> None:
    keep(store, (4, 2, 3, 5, 1, 2), days=1)
    keep(store, (1, 5, 1, 5, 5, 1), phase=Phase.BEFORE)
    keep(store, (3, 3, 3, 3, 3, 3), user_id=BOB)
    keep(store, (2, 2, 2, 2, 2, 2), team_id=OTHER_TEAM)
    with store.sessions.begin() as session:
        rows = session.scalars(select(SelfCheck)).all()
        assert len({len(row.sealed) for row in rows}) == 1  # one length, whatever the phase or answers
        mine = list_checks(session, store.vault, team_id=TEAM, user_id=ALICE)
    assert [(check.answers, check.phase) for check in mine] == [
        (answered(1, 5, 1, 5, 5, 1), Phase.BEFORE),
        (answered(4, 2, 3, 5, 1, 2), Phase.ALONE),
    ]
    with store.sessions.begin() as session:
        since = list_checks(
            session, store.vault, team_id=TEAM, user_id=ALICE, since=store.now + timedelta(hours=1)
        )
    assert [check.answers for check in since] == [answered(4, 2, 3, 5, 1, 2)]


def test_forgetting_deletes_the_checks_and_the_choice_and_a_destroyed_key_opens_none(store: Store) -> None:
    keep(store, (4, 2, 3, 5, 1, 2))
    keep(store, (3, 3, 3, 3, 3, 3), user_id=BOB)
    with store.sessions.begin() as session:
        set_before_and_after(session, team_id=TEAM, user_id=ALICE, on=True, now=store.now)
        assert checks_before_and_after(session, team_id=TEAM, user_id=ALICE)
        assert not checks_before_and_after(session, team_id=TEAM, user_id=BOB)
        assert (
            export_rows(session, store.vault, team_id=TEAM, user_id=ALICE)["self_checks"][0]["score"] == 3.17
        )
        destroy_key(session, store.vault, team_id=TEAM, user_id=ALICE)
    with store.sessions.begin() as session:
        assert list_checks(session, store.vault, team_id=TEAM, user_id=ALICE) == []  # shredded
        forget_rows(session, team_id=TEAM, user_id=ALICE)
    with store.sessions.begin() as session:
        assert session.scalars(select(SelfCheck.user_id)).all() == [BOB]
        assert not checks_before_and_after(session, team_id=TEAM, user_id=ALICE)
        assert len(list_checks(session, store.vault, team_id=TEAM, user_id=BOB)) == 1
