"""Reminder wordings end to end: one person's reminders, day after day, never read the same twice in a row."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

from tests.conftest import Kindly
from tests.support.journeys import save_reminder
from tests.support.slack_requests import Person

ALICE = Person("U0ALICE", "T0001", "alice")
BOB = Person("U0BOB", "T0001", "bob")
SUNDAY_NOON = datetime(2027, 1, 3, 12, tzinfo=UTC)
MONDAY_NINE_UTC = datetime(2027, 1, 4, 9, tzinfo=UTC)
EVERY_DAY = ("0", "1", "2", "3", "4", "5", "6")


def reminders_read_by(kindly: Kindly, who: Person) -> list[str]:
    return [
        call.params["text"]
        for call in kindly.fake.calls("chat.postMessage")
        if call.params["channel"] == who.user_id and "reminder_not_today" in str(call.params.get("blocks"))
    ]


def answer_not_today(kindly: Kindly, who: Person) -> None:
    (latest, *_) = [
        call.params
        for call in reversed(kindly.fake.calls("chat.postMessage"))
        if call.params["channel"] == who.user_id
    ]
    blocks = latest["blocks"] if isinstance(latest["blocks"], list) else json.loads(latest["blocks"])
    assert (
        kindly.slack.message_action("reminder_not_today", message={"blocks": blocks}, who=who).status == 200
    )
    kindly.idle()


def test_a_persons_daily_reminders_rotate_through_every_wording_without_repeating_one_in_a_row(
    kindly: Kindly,
) -> None:
    kindly.clock.set(SUNDAY_NOON)
    for who in (ALICE, BOB):
        kindly.fake.set_user(who.user_id, tz="UTC")
        save_reminder(kindly, days=EVERY_DAY, who=who)
    for day in range(14):
        kindly.clock.set(MONDAY_NINE_UTC + timedelta(days=day))
        kindly.dispatch(MONDAY_NINE_UTC + timedelta(days=day))
        for who in (ALICE, BOB):  # each answers "Not today", so Kindly keeps their daily pace
            answer_not_today(kindly, who)
    for who in (ALICE, BOB):
        read = reminders_read_by(kindly, who)
        assert len(read) == 14
        assert all(one != other for one, other in itertools.pairwise(read))
        assert len(set(read)) >= 12  # two weeks of reminders: a dozen wordings and more
    assert reminders_read_by(kindly, ALICE) != reminders_read_by(kindly, BOB)  # each in their own turn


def test_weekly_reminders_differ_from_one_week_to_the_next(kindly: Kindly) -> None:
    kindly.clock.set(SUNDAY_NOON)
    kindly.fake.set_user(ALICE.user_id, tz="UTC")
    save_reminder(kindly, days=("0",), who=ALICE)
    for week in range(4):
        kindly.clock.set(MONDAY_NINE_UTC + timedelta(weeks=week))
        kindly.dispatch(MONDAY_NINE_UTC + timedelta(weeks=week))
    read = reminders_read_by(kindly, ALICE)
    assert len(read) == 4 and len(set(read)) == 4
