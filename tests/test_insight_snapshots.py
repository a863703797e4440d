"""Program insights at the store and flow level: a week is counted once it has closed everywhere, over the
program's people at that moment, frozen with only what k-anonymity lets show, and never recounted."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from slackapp.actor import Actor
from slackapp.flows.insights import (
    INSIGHT_WEEKS,
    freeze_all_closed_weeks,
    insights_page,
    last_closed_week,
    week_of,
)
from slackapp.practices.insights import (
    MIN_K,
    PublishedWeek,
    WeekCounts,
    effective_k,
    figure,
    people_figure,
    publishable,
    sparkline,
)
from slackapp.store.feedback import HELPED, TOOK_MOMENT, record_reaction
from slackapp.store.insights import count_week, freeze_week, last_frozen_week, program_people, snapshots
from slackapp.store.models import InsightSnapshot, PromptFeedback, Schedule, TeamProgram, Workspace
from slackapp.store.shoutouts import POSTED, PRIVATE, WAITING, add_shoutout
from tests.support.dates import day_token
from tests.support.store import NOW, Store, migrated_database, store

__all__ = ["migrated_database", "store"]  # fixtures

TEAM, OTHER_TEAM = "T0001", "T0002"
HR = Actor(TEAM, "U0HR")
SECRET = b"q" * 32  # the store fixture's quota secret, which keys the reactions
WEEK = date(2027, 3, 1)  # the last week closed at NOW (Wednesday 10 March)


def program(store: Store, *, team_id: str = TEAM, start: date = date(2027, 1, 4), name: str = "Calm") -> int:
    with store.sessions.begin() as session:
        row = TeamProgram(
            team_id=team_id,
            name=name,
            audience_kind="channel",
            audience_id="C0TEAM",
            weekday=0,
            local_time=time(9),
            start_date=start,
            themes="rest",
            created_at=datetime(2027, 1, 1, tzinfo=UTC),
        )
        session.add(row)
        session.flush()
        return row.id


def join(store: Store, program_id: int, people: list[str], *, team_id: str = TEAM) -> None:
    with store.sessions.begin() as session:
        for user_id in people:
            session.add(
                Schedule(
                    team_id=team_id,
                    user_id=user_id,
                    kind=f"program:{program_id}",
                    program_id=program_id,
                    weekdays=1,
                    local_time=time(9),
                    tz="UTC",
                    created_at=datetime(2027, 1, 1, tzinfo=UTC),
                )
            )


def react(store: Store, program_id: int, people: list[str], *, kind: str, week: date = WEEK) -> None:
    with store.sessions.begin() as session:
        for user_id in people:
            record_reaction(session, SECRET, kind=kind, program_id=program_id, user_id=user_id, week=week)


def shout(store: Store, to: str, *, on: date, status: str = POSTED, team_id: str = TEAM) -> None:
    with store.sessions.begin() as session:
        add_shoutout(
            session,
            store.vault,
            team_id=team_id,
            recipient_id=to,
            strength="kindness",
            note="",
            signed_by=None,
            status=status,
            received_on=on,
        )


def set_k(store: Store, k: int) -> None:
    with store.sessions.begin() as session:
        session.add(Workspace(team_id=TEAM, anonymity_k=k, updated_at=NOW))


def frozen(store: Store, program_id: int) -> list[InsightSnapshot]:
    with store.sessions.begin() as session:
        return list(snapshots(session, program_id=program_id, since=date.min))


def fields(view: dict[str, Any]) -> list[list[str]]:
    return [[f["text"] for f in block["fields"]] for block in view["blocks"] if "fields" in block]


PEOPLE = [f"U{n:02d}" for n in range(12)]


# When a week closes


def test_a_week_runs_monday_to_sunday() -> None:
    assert week_of(date(2027, 3, 1)) == week_of(date(2027, 3, 7)) == date(2027, 3, 1)
    assert week_of(date(2027, 3, 8)) == date(2027, 3, 8)


def test_a_week_closes_once_it_has_ended_in_every_time_zone() -> None:
    assert last_closed_week(datetime(2027, 3, 8, 23, 59, tzinfo=UTC)) == date(2027, 2, 22)
    assert last_closed_week(datetime(2027, 3, 9, 0, 0, tzinfo=UTC)) == date(2027, 3, 1)
    assert last_closed_week(NOW) == WEEK


# Counting and freezing a week


def test_a_week_is_counted_over_the_programs_people_only(store: Store) -> None:
    calm = program(store)
    other = program(store, name="Other")
    join(store, calm, PEOPLE[:8])
    join(store, other, PEOPLE[8:])
    react(store, calm, PEOPLE[:6], kind=TOOK_MOMENT)
    react(store, calm, PEOPLE[:4], kind=HELPED)
    react(store, calm, ["U0STRANGER"], kind=HELPED)  # not among the people counted
    react(store, calm, PEOPLE[:3], kind=HELPED, week=WEEK + timedelta(weeks=1))
    react(store, other, PEOPLE[8:], kind=HELPED)
    for day, to in ((0, "U00"), (1, "U00"), (6, "U01"), (2, "U02")):
        shout(store, to, on=WEEK + timedelta(days=day))
    shout(store, "U03", on=WEEK - timedelta(days=1))  # the week before
    shout(store, "U03", on=WEEK + timedelta(days=7))  # the week after
    shout(store, "U04", on=WEEK, status=PRIVATE)  # nobody in the channel could count it
    shout(store, "U05", on=WEEK, status=WAITING)
    shout(store, "U08", on=WEEK)  # someone in the other program
    shout(store, "U06", on=WEEK, team_id=OTHER_TEAM)
    with store.sessions.begin() as session:
        people = program_people(session, program_id=calm)
        assert people == set(PEOPLE[:8])
        counts = count_week(session, SECRET, team_id=TEAM, program_id=calm, week=WEEK, people=people)
    assert counts == WeekCounts(people=8, took_moment=6, helped=4, shoutouts=4, shoutout_recipients=3)


def test_a_frozen_week_keeps_what_may_be_shown_and_forgets_the_reactions_counted(store: Store) -> None:
    calm = program(store)
    react(store, calm, PEOPLE[:5], kind=HELPED, week=WEEK - timedelta(weeks=1))
    react(store, calm, PEOPLE[:5], kind=HELPED)
    react(store, calm, PEOPLE[:5], kind=HELPED, week=WEEK + timedelta(weeks=1))
    figures = PublishedWeek(people=12, took_moment=None, helped=5, shoutouts=6)
    with store.sessions.begin() as session:
        freeze_week(session, program_id=calm, week=WEEK, k=5, figures=figures, now=NOW)
        # a second snapshot of the same week (another process) changes nothing
        other = PublishedWeek(people=1, took_moment=1, helped=1, shoutouts=1)
        freeze_week(session, program_id=calm, week=WEEK, k=3, figures=other, now=NOW + timedelta(hours=1))
    (row,) = frozen(store, calm)
    assert (row.week, row.k, row.people, row.took_moment, row.helped, row.shoutouts) == (
        WEEK,
        5,
        12,
        None,
        5,
        6,
    )
    assert row.taken_at.replace(tzinfo=UTC) == NOW
    with store.sessions.begin() as session:
        left = session.scalars(select(PromptFeedback.week)).all()
        assert left == [WEEK + timedelta(weeks=1)] * 5
        assert last_frozen_week(session, program_id=calm) == WEEK
        assert last_frozen_week(session, program_id=calm + 1) is None


def test_snapshots_come_oldest_first_from_a_given_week(store: Store) -> None:
    calm, other = program(store), program(store, name="Other")
    empty = PublishedWeek(None, None, None, None)
    with store.sessions.begin() as session:
        for weeks_ago in (0, 2, 1, 3):
            freeze_week(
                session, program_id=calm, week=WEEK - timedelta(weeks=weeks_ago), k=5, figures=empty, now=NOW
            )
        freeze_week(session, program_id=other, week=WEEK, k=5, figures=empty, now=NOW)
        since = snapshots(session, program_id=calm, since=WEEK - timedelta(weeks=1))
    assert [row.week for row in since] == [WEEK - timedelta(weeks=1), WEEK]


# The HR lead's page


def test_the_first_look_freezes_every_closed_week_of_the_program_and_shows_them(store: Store) -> None:
    calm = program(store, start=date(2027, 2, 17), name="Calm *team*")  # a Wednesday
    join(store, calm, PEOPLE)
    react(store, calm, PEOPLE[:6], kind=TOOK_MOMENT)
    react(store, calm, PEOPLE[:2], kind=HELPED)  # too few to show
    for to in PEOPLE[:5]:
        shout(store, to, on=WEEK)
    view = insights_page(store.services, HR, program_value=str(calm))
    assert view is not None and view["callback_id"] == "program_insights"
    assert view["blocks"][0]["text"]["text"] == "Calm *team*"
    assert [row.week for row in frozen(store, calm)] == [date(2027, 2, 15), date(2027, 2, 22), WEEK]
    last = fields(view)[-1]
    assert last == [
        f"*Week of {day_token(WEEK)}{{date_short}}|2027-03-01>*",
        "People in the program: 12",
        "Took a kind moment from the prompt: 6",
        '"This helped": not shown, to keep everyone anonymous',
        "Shout-outs posted in the shout-out channel: 5",
    ]
    assert "fewer than 5 people" in str(view)


def test_a_week_is_frozen_once_and_later_changes_do_not_move_it(store: Store) -> None:
    calm = program(store, start=WEEK)
    join(store, calm, PEOPLE)
    react(store, calm, PEOPLE[:6], kind=TOOK_MOMENT)
    react(store, calm, PEOPLE[:7], kind=HELPED)
    before = insights_page(store.services, HR, program_value=str(calm))
    assert before is not None
    assert fields(before)[0][2:4] == ["Took a kind moment from the prompt: 6", '"This helped": 7']
    assert "Took a kind moment from the prompt:* 6 people a week." in str(before)  # words first
    assert "not shown): `▄`" in str(before)  # six of twelve
    react(store, calm, PEOPLE[6:], kind=TOOK_MOMENT)  # late reactions, after the week was frozen
    join(store, calm, ["U0LATE"])
    after = insights_page(store.services, HR, program_value=str(calm))
    assert before == after
    (row,) = frozen(store, calm)
    assert (row.week, row.people, row.took_moment) == (WEEK, 12, 6)


def test_a_small_program_shows_fewer_than_k_and_nothing_else(store: Store) -> None:
    set_k(store, 7)
    calm = program(store, start=WEEK)
    join(store, calm, PEOPLE[:6])
    react(store, calm, PEOPLE[:6], kind=TOOK_MOMENT)
    view = insights_page(store.services, HR, program_value=str(calm))
    assert view is not None
    assert fields(view) == [
        [
            f"*Week of {day_token(WEEK)}{{date_short}}|2027-03-01>*",
            "People in the program: fewer than 7 people: not shown, to keep everyone anonymous",
            "Took a kind moment from the prompt: not shown, to keep everyone anonymous",
            '"This helped": not shown, to keep everyone anonymous',
            "Shout-outs posted in the shout-out channel: not shown, to keep everyone anonymous",
        ]
    ]
    assert "fewer than 7 people" in str(view)
    (row,) = frozen(store, calm)
    assert (row.k, row.people, row.took_moment) == (7, None, None)


def test_only_the_last_eight_weeks_are_frozen_and_shown(store: Store) -> None:
    calm = program(store, start=date(2026, 6, 1))
    view = insights_page(store.services, HR, program_value=str(calm))
    weeks = [row.week for row in frozen(store, calm)]
    assert len(weeks) == INSIGHT_WEEKS and weeks[-1] == WEEK
    assert weeks[0] == WEEK - timedelta(weeks=INSIGHT_WEEKS - 1)
    assert view is not None and len(fields(view)) == INSIGHT_WEEKS
    assert all(row.k == 5 for row in frozen(store, calm))  # the default k without workspace settings


def test_older_snapshots_stay_stored_but_the_page_shows_the_last_eight_weeks(store: Store) -> None:
    calm = program(store, start=date(2026, 6, 1))
    insights_page(store.services, HR, program_value=str(calm))
    store.services = replace(store.services, clock=lambda: NOW + timedelta(weeks=2))
    view = insights_page(store.services, HR, program_value=str(calm))
    assert len(frozen(store, calm)) == INSIGHT_WEEKS + 2
    assert view is not None and len(fields(view)) == INSIGHT_WEEKS
    assert fields(view)[-1][0].startswith(f"*Week of {day_token(date(2027, 3, 15))}")


def test_a_program_that_has_not_finished_a_week_shows_none(store: Store) -> None:
    calm = program(store, start=NOW.date())
    view = insights_page(store.services, HR, program_value=str(calm))
    assert view is not None and "No week of this team program has ended yet." in str(view)
    assert frozen(store, calm) == []


def test_no_page_for_another_workspaces_program_or_a_made_up_one(store: Store) -> None:
    ours = program(store)
    assert insights_page(store.services, HR, program_value=str(ours)) is not None
    for malformed in ("", "one", "-1", "1.0", "١"):  # never some program chosen by default
        assert insights_page(store.services, HR, program_value=malformed) is None
    theirs = program(store, team_id=OTHER_TEAM)
    assert insights_page(store.services, HR, program_value=str(theirs)) is None
    assert insights_page(store.services, HR, program_value="999") is None
    assert insights_page(store.services, HR, program_value="1; DROP") is None
    assert frozen(store, theirs) == []


def test_housekeeping_freezes_every_programs_new_closed_weeks(store: Store) -> None:
    first, second = (
        program(store, start=WEEK - timedelta(weeks=1)),
        program(store, team_id=OTHER_TEAM, start=WEEK),
    )
    join(store, first, PEOPLE)
    react(store, first, PEOPLE[:6], kind=TOOK_MOMENT)
    assert freeze_all_closed_weeks(store.services, now=NOW) == 2
    assert [row.took_moment for row in frozen(store, first)] == [None, 6]
    assert [row.week for row in frozen(store, first)] == [WEEK - timedelta(weeks=1), WEEK]
    assert [row.week for row in frozen(store, second)] == [WEEK]
    later = NOW + timedelta(weeks=1)
    assert freeze_all_closed_weeks(store.services, now=later) == 2
    assert [row.week for row in frozen(store, first)][-1] == WEEK + timedelta(weeks=1)
    with store.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(InsightSnapshot)) == 5


def test_the_sparkline_shows_the_weeks_share_as_bars() -> None:
    assert sparkline([0, 10, 20, 5], [20, 20, 20, 20]) == "▁▄█▂"
    assert sparkline([None, 3], [20, 0]) == "··"
    assert sparkline([], []) == ""
    assert sparkline([3, 1], [3, 3]) == "▇▃"  # everyone of three, one of three
    with pytest.raises(ValueError):
        sparkline([1], [])


def test_figures_say_not_shown_or_fewer_than_k() -> None:
    assert figure(None).value is None and figure(7).value == 7 and figure(None).hidden_below is None
    assert people_figure(None, k=1).hidden_below == MIN_K
    assert people_figure(None, k=6).hidden_below == 6 and people_figure(9, k=6).hidden_below is None
    assert people_figure(9, k=6).value == 9 and people_figure(None, k=6).value is None
    assert effective_k(MIN_K) == MIN_K


def test_a_figure_and_its_complement_each_need_k_people() -> None:
    shown = publishable(
        WeekCounts(people=10, took_moment=5, helped=6, shoutouts=9, shoutout_recipients=5), k=5
    )
    assert shown == PublishedWeek(people=10, took_moment=5, helped=None, shoutouts=9)
    exactly_k = publishable(
        WeekCounts(people=5, took_moment=0, helped=5, shoutouts=0, shoutout_recipients=0), k=5
    )
    assert exactly_k == PublishedWeek(people=5, took_moment=None, helped=None, shoutouts=None)
    helped = publishable(
        WeekCounts(people=12, took_moment=0, helped=6, shoutouts=0, shoutout_recipients=0), k=5
    )
    assert helped.helped == 6
    assert publishable(WeekCounts(2, 0, 0, 0, 0), k=1).people is None  # k is raised to MIN_K
    assert publishable(WeekCounts(3, 0, 0, 0, 0), k=1).people == 3
