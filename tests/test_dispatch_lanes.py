"""One workspace cannot hold back the others: a lane per workspace, a shared pool of senders, and rows
that cannot be sent skipped one by one."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from slackapp.actor import Actor
from slackapp.scheduling.occurrences import EVERY_DAY
from slackapp.scheduling.pacing import Pacer
from slackapp.scheduling.reminders import save_reminder
from slackapp.scheduling.tick_report import TickReport
from slackapp.store.deliveries import add_deliveries_once, claim_pending
from slackapp.store.models import Delivery, Schedule, TeamProgram
from tests.conftest import Kindly
from tests.support.clock import VirtualTime
from tests.support.oauth import install
from tests.test_programs_e2e import TEN_LOCAL, ZONES, start_program
from tests.test_programs_e2e import team as team  # the fixture, for the bad-row tests

SLOW = "T0AAASLOW"  # first in every order of workspaces
FAST = ("T0FASTA", "T0FASTB")
SUNDAY = datetime(2027, 1, 3, 12, tzinfo=UTC)
MONDAY_NINE = datetime(2027, 1, 4, 9, tzinfo=UTC)
PEOPLE = 2


def people_of(team_id: str) -> list[str]:
    return [f"U{team_id[1:]}{n}" for n in range(PEOPLE)]


def with_workspaces(kindly: Kindly) -> None:
    """Three installed workspaces, two people each, every reminder due Monday 09:00 UTC (SLOW's first)."""
    for team_id in (SLOW, *FAST):
        install(kindly, team_id)
        with kindly.runtime.services.sessions.begin() as session:
            for user_id in people_of(team_id):
                actor = Actor(team_id, user_id)
                save_reminder(session, actor, weekdays=EVERY_DAY, at=time(9), paused_until=None, now=SUNDAY)


def delivered_to(kindly: Kindly) -> list[str]:
    return sorted(c.params["channel"] for c in kindly.fake.calls("chat.postMessage") if c.delivered)


def fast_people() -> list[str]:
    return sorted(user for team_id in FAST for user in people_of(team_id))


@pytest.mark.parametrize("held", ["dnd.teamInfo", "chat.postMessage"])
def test_a_workspace_whose_slack_holds_its_answers_does_not_hold_back_the_others(
    distributed: Kindly, held: str
) -> None:
    kindly = distributed
    with_workspaces(kindly)
    kindly.fake.hold(held, team=SLOW)
    with ThreadPoolExecutor(max_workers=1) as background:
        ticking = background.submit(kindly.dispatch, MONDAY_NINE)
        try:
            kindly.fake.wait_for("chat.postMessage", count=len(fast_people()))
            assert delivered_to(kindly) == fast_people()  # every other workspace's, while SLOW's wait
            assert not ticking.done()
        finally:
            kindly.fake.release(held, team=SLOW)
        report: TickReport = ticking.result(timeout=60)
    assert report.sent == PEOPLE * 3
    assert delivered_to(kindly) == sorted(fast_people() + people_of(SLOW))


def test_a_workspace_answering_retry_after_30_delays_only_itself(distributed: Kindly) -> None:
    kindly = distributed
    with_workspaces(kindly)
    kindly.fake.fail("chat.postMessage", "ratelimited", status=429, retry_after=30, times=-1, team=SLOW)
    report = kindly.dispatch(MONDAY_NINE)
    assert delivered_to(kindly) == fast_people()
    assert report.sent == len(fast_people()) and not report.failed
    slow_calls = [c for c in kindly.fake.calls("chat.postMessage") if c.params["channel"] in people_of(SLOW)]
    assert 1 <= len(slow_calls) <= 2  # its lane stopped at the first 429s: no hammering
    with kindly.runtime.services.sessions.begin() as session:
        waiting = session.scalars(select(Delivery).where(Delivery.team_id == SLOW)).all()
        assert {d.status for d in waiting} <= {"refused", "pending"}
        assert all(d.not_before >= MONDAY_NINE + timedelta(seconds=30) for d in waiting)
    kindly.fake.clear_failures()
    assert kindly.dispatch(MONDAY_NINE + timedelta(seconds=31)).sent == PEOPLE
    assert delivered_to(kindly) == sorted(fast_people() + people_of(SLOW))


def due_in_three_workspaces(kindly: Kindly) -> None:
    with kindly.runtime.services.sessions.begin() as session:
        # One big workspace saved first, then two small ones: all due at the same instant.
        for team_id, count in (("T0BIG", 6), ("T0SMALLA", 1), ("T0SMALLB", 1)):
            for n in range(count):
                actor = Actor(team_id, f"U{team_id[1:]}{n}")
                save_reminder(session, actor, weekdays=EVERY_DAY, at=time(9), paused_until=None, now=SUNDAY)
        due = session.scalars(select(Schedule)).all()
        add_deliveries_once(session, [(schedule, MONDAY_NINE) for schedule in due])


def test_claims_take_workspaces_in_turn_whatever_their_times_and_ids(distributed: Kindly) -> None:
    due_in_three_workspaces(distributed)
    with distributed.runtime.services.sessions.begin() as session:
        first = claim_pending(session, now=MONDAY_NINE, limit=4, lane_chunk=2)
        assert sorted(d.team_id for d in first) == ["T0BIG", "T0BIG", "T0SMALLA", "T0SMALLB"]


def test_a_workspace_claimed_earlier_in_the_tick_waits_behind_those_not_reached(distributed: Kindly) -> None:
    due_in_three_workspaces(distributed)
    with distributed.runtime.services.sessions.begin() as session:
        first = claim_pending(session, now=MONDAY_NINE, limit=2, lane_chunk=2)
        assert [d.team_id for d in first] == ["T0BIG", "T0BIG"]
        second = claim_pending(session, now=MONDAY_NINE, limit=2, lane_chunk=2, served={"T0BIG"})
        assert sorted(d.team_id for d in second) == ["T0SMALLA", "T0SMALLB"]


def test_a_slower_pace_after_a_429_and_a_gentle_recovery() -> None:
    clock = VirtualTime()
    pacer = Pacer(per_second=4, burst=1, clock=clock.monotonic, sleep=clock.sleep)
    pacer.slow_down("T1", 2)
    assert pacer.rate("T1") == 2 and pacer.rate("T2") == 4
    pacer.recover("T1")
    assert 2 < pacer.rate("T1") < 4
    for _ in range(50):
        pacer.recover("T1")
    assert pacer.rate("T1") == 4


# -- one bad row -------------------------------------------------------------------------------------


def test_a_program_name_too_long_to_send_skips_its_prompts_and_nothing_else(
    team: Kindly,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if team.runtime.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite stores a name longer than its column")
    start_program(team)
    with team.runtime.services.sessions.begin() as session:
        session.execute(update(TeamProgram).values(name="x" * 3000))
        save_reminder(
            session, Actor("T0001", "U0ALICE"), weekdays=EVERY_DAY, at=time(9), paused_until=None, now=SUNDAY
        )
    with caplog.at_level(logging.WARNING):
        report = team.dispatch(TEN_LOCAL["Europe/Berlin"])
    # Alice's reminder (09:00 UTC) goes; Berlin's prompts are skipped (Tokyo's, hours ago, are late).
    assert report.sent == 1 and report.skipped["invalid"] == len(ZONES["Europe/Berlin"])
    assert delivered_to(team) == ["U0ALICE"]
    assert "cannot be prepared" in caplog.text


def test_a_schedule_whose_zone_no_longer_exists_is_sent_in_utc_and_the_others_go(
    team: Kindly,
) -> None:
    start_program(team)
    gone = ZONES["Europe/Berlin"][0]
    with team.runtime.services.sessions.begin() as session:
        session.execute(update(Schedule).where(Schedule.user_id == gone).values(tz="Europe/Atlantis"))
    report = team.dispatch(TEN_LOCAL["Europe/Berlin"])
    assert report.sent == len(ZONES["Europe/Berlin"])
    assert delivered_to(team) == sorted(ZONES["Europe/Berlin"])


def test_reminders_claimed_after_a_long_retry_after_go_to_a_later_tick_without_holding_this_one(
    distributed: Kindly,
) -> None:
    kindly = distributed
    with_workspaces(kindly)
    with kindly.runtime.services.sessions.begin() as session:
        for n in range(PEOPLE, 6):  # SLOW has more than a claim's first turn
            actor = Actor(SLOW, f"U{SLOW[1:]}{n}")
            save_reminder(session, actor, weekdays=EVERY_DAY, at=time(9), paused_until=None, now=SUNDAY)
    kindly.runtime.dispatcher._batch_size = 3  # several claims in one tick, as with hundreds of workspaces
    kindly.fake.fail("chat.postMessage", "ratelimited", status=429, retry_after=30, times=-1, team=SLOW)
    slept_before = sum(kindly.time.sleeps)

    report = kindly.dispatch(MONDAY_NINE)

    assert sum(kindly.time.sleeps) - slept_before < 30  # the tick never waited out SLOW's Retry-After
    assert report.sent == len(fast_people())
    slow_calls = [
        c for c in kindly.fake.calls("chat.postMessage") if c.params["channel"].startswith("U0AAASLOW")
    ]
    assert 1 <= len(slow_calls) <= 2
    with kindly.runtime.services.sessions.begin() as session:
        waiting = session.scalars(select(Delivery).where(Delivery.team_id == SLOW)).all()
        assert len(waiting) == 6 and {d.status for d in waiting} <= {"refused", "pending"}
        assert all(d.not_before >= MONDAY_NINE + timedelta(seconds=30) for d in waiting)
