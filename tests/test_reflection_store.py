"""Reflections in the store: kept sealed for one author, read back only by that author, newest first,
with the journal's gold seams worked out after opening."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from slackapp.store.models import Reflection
from slackapp.store.reflection_meta import ReflectionMeta
from slackapp.store.reflections import (
    BODY_BLOCK,
    KINTSUGI,
    UNREADABLE,
    Entry,
    add_reflection,
    count_reflections,
    get_entry,
    get_reflection,
    latest_reflections_of,
    list_entries,
    list_reflections,
    open_entries,
    pad_body,
    read_answers,
    read_meta,
)
from tests.support.store import Store, migrated_database, store

__all__ = ["migrated_database", "store"]  # fixtures

TEAM, OTHER_TEAM = "T0001", "T0002"
ALICE, BOB = "U0ALICE", "U0BOB"
MONDAY = datetime(2027, 3, 8, 9, tzinfo=UTC)


def keep(
    store: Store,
    session: Session,
    *,
    user_id: str = ALICE,
    team_id: str = TEAM,
    practice: str = "comfort",
    at: datetime = MONDAY,
    answers: dict[str, str] | None = None,
    revisits: uuid.UUID | None = None,
) -> Reflection:
    return add_reflection(
        session,
        store.vault,
        team_id=team_id,
        user_id=user_id,
        practice=practice,
        answers=answers if answers is not None else {"feeling": f"{practice} at {at:%H:%M}"},
        now=at,
        revisits=revisits,
    )


def test_a_reflection_is_kept_sealed_and_its_author_reads_it_back(store: Store) -> None:
    with store.sessions.begin() as session:
        row = keep(store, session, answers={"feeling": "tired but here"})
        row_id = row.id
    with store.sessions.begin() as session:
        kept = session.get(Reflection, row_id)
        assert kept is not None
        assert (kept.team_id, kept.user_id) == (TEAM, ALICE)
        assert kept.created_at.replace(tzinfo=UTC) == MONDAY
        assert b"tired but here" not in kept.body and b"comfort" not in kept.sealed_meta
        assert read_answers(session, store.vault, kept) == {"feeling": "tired but here"}
        assert read_meta(session, store.vault, kept) == ReflectionMeta(practice="comfort")


def test_the_body_is_padded_to_whole_blocks_so_a_short_entry_says_nothing_of_its_practice() -> None:
    short, other = pad_body({"a": "x"}), pad_body({"a much longer prompt name": "y"})
    assert len(short) == len(other) == BODY_BLOCK
    assert json.loads(short) == {"a": "x"}
    exact = {"a": "x" * (BODY_BLOCK - len(json.dumps({"a": ""})))}
    assert len(json.dumps(exact)) == BODY_BLOCK and len(pad_body(exact)) == BODY_BLOCK
    longer = {"a": "x" * BODY_BLOCK}
    assert len(pad_body(longer)) == 2 * BODY_BLOCK and json.loads(pad_body(longer)) == longer
    assert pad_body({"a": "é"}).startswith(b'{"a": "\\u00e9"}')


def test_only_the_author_finds_their_reflection_by_id(store: Store) -> None:
    with store.sessions.begin() as session:
        row_id = str(keep(store, session).id)
        other_id = str(keep(store, session, practice="courage").id)
    with store.sessions.begin() as session:
        found = get_reflection(session, team_id=TEAM, user_id=ALICE, reflection_id=row_id)
        assert found is not None and str(found.id) == row_id
        other = get_reflection(session, team_id=TEAM, user_id=ALICE, reflection_id=other_id)
        assert other is not None and str(other.id) == other_id
        assert get_reflection(session, team_id=TEAM, user_id=ALICE, reflection_id=str(uuid.uuid4())) is None
        assert get_reflection(session, team_id=TEAM, user_id=BOB, reflection_id=row_id) is None
        assert get_reflection(session, team_id=OTHER_TEAM, user_id=ALICE, reflection_id=row_id) is None
        assert get_reflection(session, team_id=TEAM, user_id=ALICE, reflection_id="not-a-uuid") is None
        assert get_reflection(session, team_id=TEAM, user_id=ALICE, reflection_id=None) is None  # type: ignore[arg-type]
        entry = get_entry(session, store.vault, team_id=TEAM, user_id=ALICE, entry_id=row_id)
        assert entry is not None and entry.practice == "comfort" and entry.row.id == found.id
        assert get_entry(session, store.vault, team_id=TEAM, user_id=BOB, entry_id=row_id) is None


def test_the_journal_lists_the_authors_entries_newest_first_a_page_at_a_time(store: Store) -> None:
    with store.sessions.begin() as session:
        for day in range(5):
            keep(store, session, at=MONDAY + timedelta(days=day), practice=f"practice{day}")
        keep(store, session, user_id=BOB, at=MONDAY + timedelta(days=9))
        keep(store, session, team_id=OTHER_TEAM, at=MONDAY + timedelta(days=9))
    with store.sessions.begin() as session:
        first = list_entries(session, store.vault, team_id=TEAM, user_id=ALICE, limit=2)
        rest = list_entries(session, store.vault, team_id=TEAM, user_id=ALICE, offset=2, limit=10)
        default = list_entries(session, store.vault, team_id=TEAM, user_id=ALICE)
        assert [e.practice for e in first] == ["practice4", "practice3"]
        assert [e.practice for e in rest] == ["practice2", "practice1", "practice0"]
        assert [e.practice for e in default] == [e.practice for e in first + rest]
        assert [r.id for r in list_reflections(session, team_id=TEAM, user_id=ALICE)] == [
            e.row.id for e in default
        ]
        assert count_reflections(session, team_id=TEAM, user_id=ALICE) == 5
        assert count_reflections(session, team_id=TEAM, user_id="U0NOBODY") == 0


def test_the_default_page_holds_ten_entries(store: Store) -> None:
    with store.sessions.begin() as session:
        for minute in range(12):
            keep(store, session, at=MONDAY + timedelta(minutes=minute))
    with store.sessions.begin() as session:
        assert len(list_entries(session, store.vault, team_id=TEAM, user_id=ALICE)) == 10
        assert len(list_reflections(session, team_id=TEAM, user_id=ALICE)) == 10


def test_entries_written_at_the_same_moment_keep_one_order(store: Store) -> None:
    with store.sessions.begin() as session:
        ids = sorted(keep(store, session, practice=f"p{n}").id for n in range(4))
    with store.sessions.begin() as session:
        listed = list_reflections(session, team_id=TEAM, user_id=ALICE)
        assert [row.id for row in listed] == ids


def test_a_kintsugi_entry_mends_the_older_one_in_gold_and_it_can_be_mended_only_once(store: Store) -> None:
    with store.sessions.begin() as session:
        hard = keep(store, session, practice="courage", at=MONDAY)
        untouched = keep(store, session, practice="comfort", at=MONDAY + timedelta(hours=1))
        mending_at = MONDAY + timedelta(days=2)
        mending = keep(store, session, practice=KINTSUGI, at=mending_at, revisits=hard.id)
        ids = (hard.id, untouched.id, mending.id)
    with store.sessions.begin() as session:
        entries = {e.row.id: e for e in list_entries(session, store.vault, team_id=TEAM, user_id=ALICE)}
        mended, plain, kintsugi = (entries[i] for i in ids)
        assert mended.mended and mended.mended_at is not None
        assert mended.mended_at.replace(tzinfo=UTC) == mending_at
        assert not mended.can_be_mended
        assert not plain.mended and plain.mended_at is None and plain.can_be_mended
        assert kintsugi.revisits == ids[0] and kintsugi.practice == KINTSUGI
        assert not kintsugi.can_be_mended and not kintsugi.mended


def test_another_authors_kintsugi_cannot_mend_my_entry(store: Store) -> None:
    with store.sessions.begin() as session:
        mine = keep(store, session)
        keep(store, session, user_id=BOB, practice=KINTSUGI, revisits=mine.id)
        row_id = mine.id
    with store.sessions.begin() as session:
        (entry,) = list_entries(session, store.vault, team_id=TEAM, user_id=ALICE)
        assert entry.row.id == row_id and not entry.mended and entry.can_be_mended


def test_after_the_data_key_is_destroyed_entries_show_as_unreadable_and_cannot_be_mended(
    store: Store,
) -> None:
    with store.sessions.begin() as session:
        keep(store, session)
    with store.sessions.begin() as session:
        store.vault.destroy(session, team_id=TEAM, user_id=ALICE)
    with store.sessions.begin() as session:
        (row,) = session.scalars(select(Reflection)).all()
        assert read_meta(session, store.vault, row) == UNREADABLE
        (entry,) = open_entries(session, store.vault, team_id=TEAM, user_id=ALICE, rows=[row])
        assert entry.practice == "" and entry.revisits is None and not entry.can_be_mended


def test_metadata_sealed_under_an_older_data_key_reads_as_unreadable(store: Store) -> None:
    """The person forgot themselves and came back: their new data key opens none of the old tokens."""
    with store.sessions.begin() as session:
        keep(store, session, practice="courage")
    with store.sessions.begin() as session:
        store.vault.destroy(session, team_id=TEAM, user_id=ALICE)
    with store.sessions.begin() as session:
        keep(store, session, practice="comfort", at=MONDAY + timedelta(days=1))
    with store.sessions.begin() as session:
        old, new = sorted(session.scalars(select(Reflection)).all(), key=lambda r: r.created_at)
        assert read_meta(session, store.vault, old) == UNREADABLE
        assert read_meta(session, store.vault, new) == ReflectionMeta(practice="comfort")
        practices = [
            e.practice
            for e in open_entries(session, store.vault, team_id=TEAM, user_id=ALICE, rows=[old, new])
        ]
        assert practices == ["", "comfort"]


def test_an_entry_is_not_mendable_once_mended_whatever_its_practice() -> None:
    row = Reflection(
        id=uuid.uuid4(), team_id=TEAM, user_id=ALICE, body=b"", sealed_meta=b"", created_at=MONDAY
    )
    assert Entry(row, "comfort", None, None).can_be_mended
    assert not Entry(row, "comfort", None, MONDAY).can_be_mended
    assert not Entry(row, "", None, None).can_be_mended
    assert not Entry(row, KINTSUGI, None, None).can_be_mended


def test_the_latest_reflection_of_each_person_in_one_query(store: Store) -> None:
    with store.sessions.begin() as session:
        keep(store, session, at=MONDAY)
        keep(store, session, at=MONDAY + timedelta(days=1))
        keep(store, session, user_id=BOB, at=MONDAY + timedelta(hours=2))
        keep(store, session, user_id="U0CAROL", at=MONDAY)
        keep(store, session, team_id=OTHER_TEAM, at=MONDAY + timedelta(days=5))
    with store.sessions.begin() as session:
        latest = latest_reflections_of(
            session, [(TEAM, ALICE), (TEAM, BOB), (TEAM, "U0NOBODY"), (OTHER_TEAM, BOB)]
        )
    # Alice's reflection in the other workspace is not asked for; Bob has none there: each person is
    # matched in their own workspace only (the dispatcher asks for many workspaces at once).
    assert latest == {(TEAM, ALICE): MONDAY + timedelta(days=1), (TEAM, BOB): MONDAY + timedelta(hours=2)}
    assert all(moment.tzinfo is not None for moment in latest.values())


@pytest.mark.parametrize("practice", ["comfort", KINTSUGI])
def test_a_reflection_names_no_practice_in_clear(store: Store, practice: str) -> None:
    with store.sessions.begin() as session:
        row = keep(store, session, practice=practice)
        assert practice.encode() not in row.sealed_meta + row.body
