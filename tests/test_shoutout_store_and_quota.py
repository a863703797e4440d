"""Shout-outs in the store (no sender kept, the note sealed for the recipient and dated to its day only)
and the senders' daily quota, which lives in memory under a key of the day and names nobody."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from slackapp.store.crypto import KeyUnavailableError
from slackapp.store.models import DataKey, Shoutout
from slackapp.store.quota import QuotaBook
from slackapp.store.shoutouts import (
    POSTED,
    PRIVATE,
    WAITING,
    add_shoutout,
    drop_old_row_versions,
    get_shoutout,
    read_note,
    received_by,
    shoutouts_in_message,
    waiting_for_digest,
)
from tests.support.store import Store, migrated_database, store

__all__ = ["migrated_database", "store"]  # fixtures

TEAM, OTHER_TEAM = "T0001", "T0002"
ALICE, BOB = "U0ALICE", "U0BOB"
RECEIVED = date(2027, 3, 9)


def give(
    store: Store,
    *,
    to: str = ALICE,
    team_id: str = TEAM,
    note: str = "you held the team together",
    status: str = POSTED,
    on: date = RECEIVED,
    signed_by: str | None = None,
    strength: str = "kindness",
) -> Shoutout:
    with store.sessions.begin() as session:
        return add_shoutout(
            session,
            store.vault,
            team_id=team_id,
            recipient_id=to,
            strength=strength,
            note=note,
            signed_by=signed_by,
            status=status,
            received_on=on,
        )


def placed(store: Store, shoutout: Shoutout, *, channel: str, ts: str) -> None:
    with store.sessions.begin() as session:
        row = session.get(Shoutout, shoutout.id)
        assert row is not None
        row.channel, row.ts = channel, ts


def test_a_note_is_sealed_for_its_recipient_and_dated_only_to_its_day(store: Store) -> None:
    given = give(store, note="you held the team together 🌱", signed_by=BOB)
    with store.sessions.begin() as session:
        row = session.get(Shoutout, given.id)
        assert row is not None and row.note is not None
        assert b"held the team" not in row.note
        assert (row.team_id, row.recipient_id, row.strength, row.signed_by) == (TEAM, ALICE, "kindness", BOB)
        assert (row.status, row.created_on) == (POSTED, RECEIVED)
        assert 0 <= row.sort_key < 2**31
        assert read_note(session, store.vault, row) == "you held the team together 🌱"
        data_key = session.get(DataKey, (TEAM, ALICE))
        assert data_key is not None
        fernet = Fernet(store.master.decrypt(data_key.wrapped_key))
    midnight = datetime(2027, 3, 9, tzinfo=UTC)
    assert fernet.extract_timestamp(row.note) == int(midnight.timestamp())
    assert store.master.extract_timestamp(data_key.wrapped_key) == int(midnight.timestamp())


def test_shout_outs_are_ordered_by_keys_drawn_from_a_wide_range(store: Store) -> None:
    """The digest's order is the sort keys' order: it must say nothing of the order they came in."""
    keys = [give(store, to=f"U{n:02d}").sort_key for n in range(20)]
    assert len(set(keys)) == len(keys) and max(keys) >= 2**16 and keys != sorted(keys)


def test_a_shout_out_without_a_note_keeps_no_ciphertext_and_reads_as_empty(store: Store) -> None:
    given = give(store, note="")
    with store.sessions.begin() as session:
        row = session.get(Shoutout, given.id)
        assert row is not None and row.note is None
        assert read_note(session, store.vault, row) == ""
        assert session.get(DataKey, (TEAM, ALICE)) is None


def test_a_forgotten_recipients_notes_no_longer_open(store: Store) -> None:
    given = give(store)
    with store.sessions.begin() as session:
        store.vault.destroy(session, team_id=TEAM, user_id=ALICE)
    with store.sessions.begin() as session:
        row = session.get(Shoutout, given.id)
        assert row is not None
        with pytest.raises(KeyUnavailableError):
            read_note(session, store.vault, row)


def test_a_shout_out_is_found_by_id_only_in_its_own_workspace(store: Store) -> None:
    given, another = give(store), give(store, to=BOB)
    with store.sessions.begin() as session:
        found = get_shoutout(session, team_id=TEAM, shoutout_id=str(given.id))
        assert found is not None and found.id == given.id
        assert get_shoutout(session, team_id=OTHER_TEAM, shoutout_id=str(given.id)) is None
        assert get_shoutout(session, team_id=TEAM, shoutout_id=str(another.id)) is not found
        assert get_shoutout(session, team_id=TEAM, shoutout_id=str(uuid.uuid4())) is None
        assert get_shoutout(session, team_id=TEAM, shoutout_id="not-a-uuid") is None
        assert get_shoutout(session, team_id=TEAM, shoutout_id=None) is None  # type: ignore[arg-type]


def test_the_shout_outs_of_one_message_come_in_their_random_order(store: Store) -> None:
    in_message = [give(store, to=f"U{n}") for n in range(4)]
    elsewhere = [give(store, to="U9"), give(store, to="U8", team_id=OTHER_TEAM)]
    for shoutout in in_message:
        placed(store, shoutout, channel="C0SHOUTS", ts="1700000000.000100")
    placed(store, elsewhere[0], channel="C0SHOUTS", ts="1700000000.000200")
    placed(store, elsewhere[1], channel="C0SHOUTS", ts="1700000000.000100")
    placed(store, give(store, to="U7"), channel="C0OTHER", ts="1700000000.000100")
    with store.sessions.begin() as session:
        found = shoutouts_in_message(session, team_id=TEAM, channel="C0SHOUTS", ts="1700000000.000100")
        assert {s.id for s in found} == {s.id for s in in_message}
        assert [s.sort_key for s in found] == sorted(s.sort_key for s in found)


def test_the_digest_takes_only_waiting_shout_outs_of_the_workspace_forty_at_most(store: Store) -> None:
    waiting = [give(store, to=f"U{n:02d}", status=WAITING) for n in range(42)]
    give(store, status=POSTED)
    give(store, status=PRIVATE)
    give(store, team_id=OTHER_TEAM, status=WAITING)
    with store.sessions.begin() as session:
        digest = waiting_for_digest(session, team_id=TEAM)
    assert len(digest) == 40
    assert {s.id for s in digest} <= {s.id for s in waiting}
    assert [s.sort_key for s in digest] == sorted(s.sort_key for s in waiting)[:40]


def test_what_someone_received_leaves_out_what_still_waits_newest_day_first(store: Store) -> None:
    older = give(store, on=RECEIVED - timedelta(days=3), status=POSTED)
    newer = [give(store, on=RECEIVED, status=status) for status in (POSTED, PRIVATE, POSTED)]
    give(store, on=RECEIVED, status=WAITING)
    give(store, to=BOB)
    give(store, team_id=OTHER_TEAM)
    with store.sessions.begin() as session:
        received = received_by(session, team_id=TEAM, user_id=ALICE)
    assert [s.id for s in received][-1] == older.id
    same_day = received[:-1]
    assert {s.id for s in same_day} == {s.id for s in newer}
    assert [s.sort_key for s in same_day] == sorted(s.sort_key for s in same_day)


def test_dropping_old_row_versions_is_nothing_to_do_on_sqlite(store: Store) -> None:
    given = give(store)
    drop_old_row_versions(store.engine)
    with store.sessions.begin() as session:
        assert session.scalars(select(Shoutout.id)).all() == [given.id]


# The quota


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_the_quota_counts_each_sender_up_to_the_limit_and_no_further() -> None:
    book = QuotaBook(Clock(datetime(2027, 3, 9, 10, tzinfo=UTC)))
    assert [book.take_one(team_id=TEAM, user_id=BOB, limit=3) for _ in range(4)] == [True, True, True, False]
    assert book.take_one(team_id=TEAM, user_id=BOB, limit=4)  # the refused one was not counted
    assert not book.take_one(team_id=TEAM, user_id=BOB, limit=4)
    assert book.take_one(team_id=TEAM, user_id=ALICE, limit=1)
    assert book.take_one(team_id=OTHER_TEAM, user_id=BOB, limit=1)
    assert not book.take_one(team_id=TEAM, user_id=ALICE, limit=1)
    assert not book.take_one(team_id="T", user_id="x", limit=0)


def test_the_quota_starts_afresh_each_utc_day_and_forgets_the_day_that_ended() -> None:
    clock = Clock(datetime(2027, 3, 9, 23, 30, tzinfo=timezone(timedelta(hours=-5))))  # the 10th in UTC
    book = QuotaBook(clock)
    assert book.take_one(team_id=TEAM, user_id=BOB, limit=1)
    assert book.days_held() == [date(2027, 3, 10)]
    clock.now = datetime(2027, 3, 10, 23, 59, tzinfo=UTC)
    assert not book.take_one(team_id=TEAM, user_id=BOB, limit=1)
    assert book.forget_ended_days() == 0
    clock.now = datetime(2027, 3, 11, 0, 1, tzinfo=UTC)
    assert book.days_held() == [date(2027, 3, 10)]
    assert book.forget_ended_days() == 1
    assert book.days_held() == []
    assert book.take_one(team_id=TEAM, user_id=BOB, limit=1)
    assert book.days_held() == [date(2027, 3, 11)]


def test_the_quotas_day_is_the_utc_day_whatever_the_servers_time_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        book = QuotaBook(Clock(datetime(2027, 3, 9, 20, tzinfo=UTC)))  # already the 10th in Auckland
        book.take_one(team_id=TEAM, user_id=BOB, limit=1)
        assert book.days_held() == [date(2027, 3, 9)]
    finally:
        monkeypatch.undo()
        time.tzset()


def test_taking_one_forgets_the_ended_days_first() -> None:
    clock = Clock(datetime(2027, 3, 9, 12, tzinfo=UTC))
    book = QuotaBook(clock)
    book.take_one(team_id=TEAM, user_id=BOB, limit=5)
    clock.now += timedelta(days=2)
    book.take_one(team_id=TEAM, user_id=ALICE, limit=5)
    assert book.days_held() == [date(2027, 3, 11)]


def test_the_days_held_come_in_order() -> None:
    clock = Clock(datetime(2027, 3, 11, 12, tzinfo=UTC))
    book = QuotaBook(clock)
    book.take_one(team_id=TEAM, user_id=BOB, limit=5)
    clock.now = datetime(2027, 3, 10, 12, tzinfo=UTC)  # a clock set back: an earlier day, held too
    book.take_one(team_id=TEAM, user_id=BOB, limit=5)
    assert book.days_held() == [date(2027, 3, 10), date(2027, 3, 11)]


def test_the_quotas_counters_name_nobody() -> None:
    book = QuotaBook(Clock(datetime(2027, 3, 9, 10, tzinfo=UTC)))
    book.take_one(team_id=TEAM, user_id=BOB, limit=3)
    (day,) = book._days.values()
    (counter,) = day.sent
    assert BOB.encode() not in counter and TEAM.encode() not in counter
    assert len(day.key) == 32
