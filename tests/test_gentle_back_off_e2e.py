"""Gentle back-off: after three reminders in a row with no answer, Kindly comes half as often and says so
once, kindly, with "Keep my usual schedule"; any kind moment or answer restores the schedule the person
chose; Kindly never stops reminders on its own. Through `kindly dispatch --now` ticks and signed
requests; what the person sees is what reached the fake Slack."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from slackapp.scheduling.gentle import EASE_AFTER, Pace, answered, pace_step
from slackapp.store.models import Schedule
from tests.conftest import TRANSPORTS, Kindly
from tests.support.journeys import save_reminder, take_kind_moment
from tests.support.slack_requests import Person
from tests.support.views import all_text, button

ALICE = Person("U0ALICE", "T0001", "alice")
EVERY_DAY = ("0", "1", "2", "3", "4", "5", "6")
FIRST_NINE_UTC = datetime(2027, 1, 4, 9, tzinfo=UTC)  # a Monday; UTC: no holidays, no summer time
EASED_WORDS = "half as often"


@pytest.fixture
def daily(kindly: Kindly) -> Kindly:
    kindly.fake.set_user(ALICE.user_id, tz="UTC")
    kindly.clock.set(FIRST_NINE_UTC - timedelta(days=1))
    save_reminder(kindly, days=EVERY_DAY, at="09:00")
    return kindly


def reminders(kindly: Kindly) -> list[dict[str, Any]]:
    return [
        call.params
        for call in kindly.fake.calls("chat.postMessage")
        if call.params.get("channel") == ALICE.user_id and call.answered_error is None
    ]


def day(n: int) -> datetime:
    return FIRST_NINE_UTC + timedelta(days=n)


def run_days(kindly: Kindly, days: range) -> list[int]:
    """One tick at each day's nine o'clock; the days a reminder reached Alice."""
    reached = []
    for n in days:
        before = len(reminders(kindly))
        kindly.clock.set(day(n))
        kindly.dispatch(day(n))
        if len(reminders(kindly)) > before:
            reached.append(n)
    return reached


def message_blocks(params: dict[str, Any]) -> dict[str, Any]:
    blocks = params["blocks"]
    return {"blocks": blocks if isinstance(blocks, list) else json.loads(blocks)}


def test_three_unanswered_reminders_halve_the_pace_and_say_so_once(daily: Kindly) -> None:
    reached = run_days(daily, range(10))

    # Days 0-2 unanswered; day 3 says Kindly eases off; then every other day, never none.
    assert reached == [0, 1, 2, 3, 5, 7, 9]
    texts = [all_text(message_blocks(params)) for params in reminders(daily)]
    assert [EASED_WORDS in text for text in texts] == [False, False, False, True, False, False, False]
    assert "Keep my usual schedule" in texts[3]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_kind_moment_brings_back_the_chosen_schedule(daily: Kindly) -> None:
    assert run_days(daily, range(6)) == [0, 1, 2, 3, 5]
    daily.clock.set(day(5) + timedelta(hours=2))
    take_kind_moment(daily, who=ALICE)

    # Day 6 is skipped as already reflected (as always after a kind moment); then daily again.
    assert run_days(daily, range(6, 10)) == [7, 8, 9]


@pytest.mark.parametrize("answer", ["reminder_not_today", "reminder_pause_week", "kind_moment_open"])
def test_any_answer_to_a_reminder_counts_and_restores_the_pace(daily: Kindly, answer: str) -> None:
    assert run_days(daily, range(2)) == [0, 1]
    latest = message_blocks(reminders(daily)[-1])
    assert daily.slack.message_action(answer, message=latest, who=ALICE).status == 200
    daily.idle()
    if answer == "reminder_pause_week":
        assert run_days(daily, range(2, 16))[0] >= 7  # paused a week, then as chosen
        return

    # The count started again: three more unanswered (days 2-4) before the easing (day 5).
    assert run_days(daily, range(2, 7)) == [2, 3, 4, 5]
    texts = [all_text(message_blocks(params)) for params in reminders(daily)]
    assert [EASED_WORDS in text for text in texts] == [False, False, False, False, False, True]


def test_keep_my_usual_schedule_ends_the_easing_for_good(daily: Kindly) -> None:
    assert run_days(daily, range(4)) == [0, 1, 2, 3]
    easing = message_blocks(reminders(daily)[-1])
    assert button(easing, "reminder_keep_pace")
    reply = daily.slack.message_action("reminder_keep_pace", message=easing, who=ALICE)
    assert reply.status == 200
    daily.idle()

    assert run_days(daily, range(4, 12)) == list(range(4, 12))


def test_the_count_is_alices_alone(daily: Kindly) -> None:
    """Kept on her own schedule row only: no HR view or insight reads it (docs/threat-model.md)."""
    run_days(daily, range(3))
    with daily.runtime.services.sessions.begin() as session:
        schedule = session.scalars(select(Schedule).where(Schedule.user_id == ALICE.user_id)).one()
        assert (schedule.unanswered, schedule.eased) == (3, False)


def test_the_pace_rule_never_stops_reminders() -> None:
    pace, sent = Pace(), 0
    for _ in range(100):  # a hundred due reminders, none answered
        step = pace_step(Pace(pace.unanswered + (1 if sent else 0), pace.eased, pace.skipped_last))
        pace, sent = step.pace, int(step.send)
        assert pace.eased or pace.unanswered <= EASE_AFTER
    steps = [pace_step(Pace(unanswered=9, eased=True, skipped_last=flag)).send for flag in (False, True)]
    assert steps == [False, True]
    assert answered(Pace(unanswered=7, eased=True, keep_pace=True)) == Pace(keep_pace=True)
