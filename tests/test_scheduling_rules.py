"""The rules around a reminder: pause words, pacing per workspace, and when not to send."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from slackapp.scheduling.gentle import DndWindow, DueReminder, reason_to_skip, resume_after_dnd
from slackapp.scheduling.pacing import Pacer
from slackapp.scheduling.pause_words import resume_date
from tests.support.clock import VirtualTime

MONDAY = date(2027, 1, 4)


@pytest.mark.parametrize(
    ("words", "back_on"),
    [
        ("", date(2027, 1, 11)),
        ("3d", date(2027, 1, 7)),
        ("1w", date(2027, 1, 11)),
        ("2 weeks", date(2027, 1, 18)),
        ("until 2027-02-01", date(2027, 2, 1)),
        ("UNTIL 2027-02-01", date(2027, 2, 1)),
    ],
)
def test_pause_words_say_when_reminders_come_back(words: str, back_on: date) -> None:
    assert resume_date(words, today=MONDAY) == back_on


@pytest.mark.parametrize(
    "words", ["forever", "0d", "until yesterday", "until 2027-01-04", "until 2029-01-01", "-3d"]
)
def test_unclear_or_impossible_pauses_are_refused(words: str) -> None:
    assert resume_date(words, today=MONDAY) is None


def test_the_pacer_keeps_a_workspace_under_its_rate() -> None:
    clock = VirtualTime()
    pacer = Pacer(per_second=5, burst=5, clock=clock.monotonic, sleep=clock.sleep)
    start = clock.monotonic()
    for _ in range(55):
        pacer.acquire("T1")
    # 5 at once from the burst, then 50 more at 5 per second.
    assert clock.monotonic() - start == pytest.approx(10, abs=0.01)


def test_a_429_holds_only_its_own_workspace() -> None:
    clock = VirtualTime()
    pacer = Pacer(per_second=1, burst=1, clock=clock.monotonic, sleep=clock.sleep)
    pacer.hold("T1", 30)
    pacer.acquire("T2")
    assert clock.sleeps == []  # another workspace goes straight on
    pacer.acquire("T1")
    assert sum(clock.sleeps) == pytest.approx(30)


NOW = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
GRACE = timedelta(hours=2)


def reminder(**changes: object) -> DueReminder:
    fields: dict[str, object] = {
        "occurrence_at": NOW,
        "local_day": MONDAY,
        "paused_until": None,
        "stopped": False,
        "quiet_on": None,
        "reflected_since_last": False,
    }
    fields.update(changes)
    return DueReminder(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "now", "reason"),
    [
        ({}, NOW, None),
        ({}, NOW + GRACE, None),
        ({}, NOW + GRACE + timedelta(seconds=1), "late"),
        ({"paused_until": MONDAY + timedelta(days=1)}, NOW, "paused"),
        ({"paused_until": MONDAY}, NOW, None),
        ({"stopped": True}, NOW, "stopped"),
        ({"quiet_on": MONDAY}, NOW, "not_today"),
        ({"quiet_on": MONDAY - timedelta(days=1)}, NOW, None),
        ({"reflected_since_last": True}, NOW, "already_reflected"),
    ],
)
def test_gentle_rules(changes: dict[str, object], now: datetime, reason: str | None) -> None:
    assert reason_to_skip(reminder(**changes), now=now, grace=GRACE) == reason


def test_do_not_disturb_defers_within_the_grace_window_and_skips_beyond_it() -> None:
    short = DndWindow(enabled=True, starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(minutes=30))
    assert short.covers(NOW)
    assert resume_after_dnd(short, occurrence_at=NOW, now=NOW, grace=GRACE) == NOW + timedelta(minutes=30)
    long = DndWindow(enabled=True, starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=3))
    assert resume_after_dnd(long, occurrence_at=NOW, now=NOW, grace=GRACE) is None
    off = DndWindow(enabled=False, starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=1))
    assert not off.covers(NOW)
