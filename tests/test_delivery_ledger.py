"""The delivery ledger at the store's level: one row per occurrence, claimed before sending and never
claimed twice, workspaces taking turns, and released only when nothing was posted."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from slackapp.store.deliveries import (
    Status,
    add_deliveries_once,
    claim_pending,
    finish,
    release,
)
from slackapp.store.models import Delivery, Schedule
from tests.support.store import Store, migrated_database, store

__all__ = ["migrated_database", "store"]  # fixtures

NINE = datetime(2027, 3, 8, 9, tzinfo=UTC)


def schedule(store: Store, *, team_id: str = "T0001", user_id: str = "U0ALICE") -> Schedule:
    with store.sessions.begin() as session:
        row = Schedule(
            team_id=team_id, user_id=user_id, weekdays=127, local_time=time(9), tz="UTC", created_at=NINE
        )
        session.add(row)
        session.flush()
        return row


def due(store: Store, occurrences: dict[tuple[str, str], list[datetime]]) -> None:
    """Deliveries for (team, user): one schedule each, one delivery per occurrence."""
    for (team_id, user_id), moments in occurrences.items():
        owner = schedule(store, team_id=team_id, user_id=user_id)
        with store.sessions.begin() as session:
            add_deliveries_once(session, [(owner, moment) for moment in moments])


def claimed_owners(store: Store, **options: object) -> list[tuple[str, str]]:
    with store.sessions.begin() as session:
        claimed = claim_pending(session, **options)  # type: ignore[arg-type]
        return [(d.team_id, d.user_id) for d in claimed]


def test_an_occurrence_gets_one_delivery_however_often_it_is_added(store: Store) -> None:
    owner = schedule(store)
    with store.sessions.begin() as session:
        assert add_deliveries_once(session, [(owner, NINE)]) == 1
        assert add_deliveries_once(session, [(owner, NINE)]) == 0
        assert add_deliveries_once(session, []) == 0
        later = NINE + timedelta(days=1)
        assert add_deliveries_once(session, [(owner, NINE), (owner, later)]) == 1
        assert add_deliveries_once(session, [(owner, NINE), (owner, later)]) == 0
    with store.sessions.begin() as session:
        rows = session.scalars(select(Delivery).order_by(Delivery.occurrence_at)).all()
        assert [(r.team_id, r.user_id, r.schedule_id) for r in rows] == [("T0001", "U0ALICE", owner.id)] * 2
        assert (
            [r.occurrence_at for r in rows]
            == [r.not_before for r in rows]
            == [NINE, NINE + timedelta(days=1)]
        )
        assert {(r.status, r.attempts, r.claimed_at) for r in rows} == {("pending", 0, None)}


def test_a_claim_takes_only_ready_waiting_deliveries_and_marks_them_once(store: Store) -> None:
    due(store, {("T0001", "U1"): [NINE], ("T0001", "U2"): [NINE + timedelta(minutes=1)]})
    with store.sessions.begin() as session:
        (claimed,) = claim_pending(session, now=NINE, limit=10)
        assert (claimed.user_id, claimed.status, claimed.attempts, claimed.claimed_at) == (
            "U1",
            "claimed",
            1,
            NINE,
        )
    assert claimed_owners(store, now=NINE, limit=10) == []  # never claimed twice
    assert claimed_owners(store, now=NINE + timedelta(minutes=1), limit=10) == [("T0001", "U2")]


def test_a_refused_delivery_is_claimed_again_once_its_time_comes_and_counts_its_attempts(
    store: Store,
) -> None:
    due(store, {("T0001", "U1"): [NINE]})
    with store.sessions.begin() as session:
        (delivery,) = claim_pending(session, now=NINE, limit=1)
        release(
            delivery, not_before=NINE + timedelta(seconds=30), reason="ratelimited", status=Status.REFUSED
        )
    with store.sessions.begin() as session:
        (row,) = session.scalars(select(Delivery)).all()
        assert (row.status, row.reason, row.not_before) == (
            "refused",
            "ratelimited",
            NINE + timedelta(seconds=30),
        )
        assert claim_pending(session, now=NINE + timedelta(seconds=29), limit=1) == []
        (again,) = claim_pending(session, now=NINE + timedelta(seconds=30), limit=1)
        assert again.attempts == 2


def test_a_released_delivery_waits_as_pending_by_default(store: Store) -> None:
    due(store, {("T0001", "U1"): [NINE]})
    with store.sessions.begin() as session:
        (delivery,) = claim_pending(session, now=NINE, limit=1)
        release(delivery, not_before=NINE + timedelta(hours=1), reason="dnd")
    with store.sessions.begin() as session:
        (row,) = session.scalars(select(Delivery)).all()
        assert (row.status, row.reason) == ("pending", "dnd")


def test_finished_deliveries_are_never_claimed_again(store: Store) -> None:
    due(store, {("T0001", f"U{n}"): [NINE] for n in range(5)})
    with store.sessions.begin() as session:
        claimed = claim_pending(session, now=NINE, limit=5)
        outcomes = [Status.SENT, Status.SKIPPED, Status.FAILED, Status.UNKNOWN, Status.CLAIMED]
        for delivery, status in zip(claimed, outcomes, strict=True):
            finish(
                session,
                delivery,
                status=status,
                now=NINE,
                reason=f"r-{status}",
                channel="D1",
                message_ts="1.2",
            )
    with store.sessions.begin() as session:
        assert claim_pending(session, now=NINE + timedelta(days=1), limit=10) == []
        rows = session.scalars(select(Delivery)).all()
        assert {(r.status, r.reason, r.finished_at, r.channel, r.message_ts) for r in rows} == {
            (status.value, f"r-{status}", NINE, "D1", "1.2") for status in outcomes
        }


def test_a_claim_respects_its_limit_oldest_first(store: Store) -> None:
    due(store, {("T0001", "U1"): [NINE + timedelta(minutes=m) for m in (3, 1, 2, 0)]})
    with store.sessions.begin() as session:
        claimed = claim_pending(session, now=NINE + timedelta(hours=1), limit=3)
        assert [d.not_before for d in claimed] == [NINE + timedelta(minutes=m) for m in (0, 1, 2)]


def test_workspaces_take_turns_a_chunk_at_a_time(store: Store) -> None:
    big = {("T0BIG", f"U{n}"): [NINE + timedelta(seconds=n)] for n in range(6)}
    due(store, {**big, ("T0SMALL", "U9"): [NINE + timedelta(minutes=5)]})
    later = NINE + timedelta(hours=1)
    assert claimed_owners(store, now=later, limit=3, lane_chunk=2) == [
        ("T0BIG", "U0"),
        ("T0BIG", "U1"),
        ("T0SMALL", "U9"),
    ]
    assert claimed_owners(store, now=later, limit=2) == [("T0BIG", "U2"), ("T0BIG", "U3")]


def test_by_default_workspaces_take_turns_one_delivery_at_a_time(store: Store) -> None:
    due(store, {("T0A", f"U{n}"): [NINE + timedelta(seconds=n)] for n in range(3)})
    due(store, {("T0B", "U9"): [NINE + timedelta(minutes=5)]})
    assert claimed_owners(store, now=NINE + timedelta(hours=1), limit=2) == [("T0A", "U0"), ("T0B", "U9")]


def test_a_workspaces_turns_follow_its_deliveries_times_not_their_insertion(store: Store) -> None:
    late_first = {("T0BIG", f"U{n}"): [NINE + timedelta(seconds=10 - n)] for n in range(6)}  # U5 is due first
    due(store, {**late_first, ("T0SMALL", "U9"): [NINE + timedelta(minutes=5)]})
    assert claimed_owners(store, now=NINE + timedelta(hours=1), limit=4, lane_chunk=3) == [
        ("T0BIG", "U5"),
        ("T0BIG", "U4"),
        ("T0BIG", "U3"),
        ("T0SMALL", "U9"),
    ]


def test_deliveries_due_at_the_same_moment_go_by_workspace(store: Store) -> None:
    due(store, {("T0B", "U2"): [NINE], ("T0A", "U1"): [NINE]})
    assert claimed_owners(store, now=NINE, limit=2) == [("T0A", "U1"), ("T0B", "U2")]


def test_workspaces_served_earlier_in_the_tick_wait_behind_the_others(store: Store) -> None:
    due(store, {("T0A", "U1"): [NINE], ("T0B", "U2"): [NINE + timedelta(minutes=1)], ("T0C", "U3"): [NINE]})
    later = NINE + timedelta(hours=1)
    assert claimed_owners(store, now=later, limit=3, served=["T0A"]) == [
        ("T0C", "U3"),
        ("T0B", "U2"),
        ("T0A", "U1"),
    ]


def test_a_claims_first_turn_is_smaller_so_it_reaches_more_workspaces(store: Store) -> None:
    # Each workspace's reminders are due ten minutes after the one before's: by time alone, chunks of
    # five would give A five places and B one.
    due(
        store,
        {
            (team, "U1"): [NINE + timedelta(minutes=10 * index + m) for m in range(5)]
            for index, team in enumerate(("T0A", "T0B", "T0C"))
        },
    )
    owners = claimed_owners(store, now=NINE + timedelta(hours=1), limit=6, lane_chunk=5, first_chunk=2)
    assert sorted(owners) == [("T0A", "U1")] * 2 + [("T0B", "U1")] * 2 + [("T0C", "U1")] * 2


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (7, [0, 1, 2, 3, 4, 100, 101]),  # turn 0: each one's first two; turn 1: A's next three, earlier
        (8, [0, 1, 2, 3, 4, 100, 101, 102]),  # then B's next three: A's sixth waits for turn 2
    ],
)
def test_after_the_first_turn_claims_go_on_a_chunk_at_a_time_in_time_order(
    store: Store, limit: int, expected: list[int]
) -> None:
    due(
        store,
        {
            ("T0A", "U1"): [NINE + timedelta(minutes=m) for m in range(8)],
            ("T0B", "U1"): [NINE + timedelta(minutes=100 + m) for m in range(8)],
        },
    )
    with store.sessions.begin() as session:
        claimed = claim_pending(
            session, now=NINE + timedelta(hours=3), limit=limit, lane_chunk=3, first_chunk=2
        )
        minutes = sorted(int((d.not_before - NINE).total_seconds() // 60) for d in claimed)
    assert minutes == expected


def test_a_workspaces_turns_follow_time_not_the_order_reminders_were_added(store: Store) -> None:
    due(store, {("T0A", "U1"): [NINE + timedelta(minutes=m) for m in (5, 4, 3, 2, 1, 0)]})
    with store.sessions.begin() as session:
        claimed = claim_pending(session, now=NINE + timedelta(hours=1), limit=2, lane_chunk=3, first_chunk=2)
        assert sorted(d.not_before for d in claimed) == [NINE, NINE + timedelta(minutes=1)]
