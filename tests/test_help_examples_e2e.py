"""The examples in Kindly's help never expire: each one works on the day it is shown."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from tests.conftest import Kindly
from tests.support.journeys import save_reminder
from tests.support.slack_requests import Person
from tests.support.views import all_text

ALICE = Person("U0ALICE", "T0001", "alice")
EXAMPLE = re.compile(r"/kindly pause (?:\[3d \| 1w \| )?until (\d{4}-\d{2}-\d{2})")
A_YEAR_APART = [datetime(2026, 12, 3, 12, tzinfo=UTC), datetime(2027, 12, 3, 12, tzinfo=UTC)]


def pause_example(reply: dict[str, object]) -> date:
    found = EXAMPLE.search(all_text(reply))
    assert found, "the reply shows no `/kindly pause until …` example"
    return date.fromisoformat(found.group(1))


@pytest.mark.parametrize("now", A_YEAR_APART, ids=["2026", "2027"])
def test_the_help_and_the_unclear_pause_reply_show_a_pause_date_that_works_today(
    kindly: Kindly, now: datetime
) -> None:
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    kindly.clock.set(now)
    save_reminder(kindly, who=ALICE)

    in_help = pause_example(kindly.slack.command("help", who=ALICE).json())
    in_unclear_reply = pause_example(kindly.slack.command("pause forever", who=ALICE).json())

    for example in (in_help, in_unclear_reply):
        assert now.date() < example <= now.date().replace(year=now.year + 1)
        typed = kindly.slack.command(f"pause until {example.isoformat()}", who=ALICE).json()
        assert "Reminders paused" in all_text(typed), all_text(typed)
        kindly.slack.command("resume", who=ALICE)
