"""Delivery when things go wrong: downtime, 429s, answers that break after Slack posted, lookups that fail.

A reminder missed is better than a reminder doubled, and a reminder lost for no reason is a bug too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from fakeslack import FakeSlack
from slackapp.config import Settings
from slackapp.store.db import make_engine, make_session_factory
from slackapp.store.migrate import upgrade_to_head
from tests.conftest import Kindly, running_kindly
from tests.support.cli import clean_env, run_kindly
from tests.support.journeys import save_reminder
from tests.support.shoutouts import BOB, CHANNEL, HANNA, choose_channel, send
from tests.support.slack_requests import Person
from tests.test_dispatch_processes import ALICE as ALICE_ACTOR
from tests.test_dispatch_processes import BOT_TOKEN, remind_every_day, summary_line
from tests.test_reminders_e2e import MONDAY_NINE_BERLIN, SUNDAY_NOON, deliveries, schedule_of

ALICE = Person("U0ALICE", "T0001", "alice")
WEDNESDAY_NINE_THIRTY_BERLIN = MONDAY_NINE_BERLIN + timedelta(days=2, minutes=30)
# Short, so that a test waits this long for the client to give up, not Slack's usual ten seconds.
SHORT_TIMEOUT = 0.5


@pytest.fixture
def impatient(settings: Settings, fake_slack: FakeSlack) -> Iterator[Kindly]:
    """Kindly whose Slack client gives up waiting for an answer after SHORT_TIMEOUT."""
    for kindly in running_kindly(settings, fake_slack, slack_timeout=SHORT_TIMEOUT):
        kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
        kindly.fake.set_user(BOB.user_id, tz="Europe/Berlin")
        kindly.clock.set(SUNDAY_NOON)
        yield kindly


@pytest.fixture
def berlin(kindly: Kindly) -> Kindly:
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    kindly.clock.set(SUNDAY_NOON)
    return kindly


def dms_delivered(kindly: Kindly, to: str = ALICE.user_id) -> int:
    """DMs that reached the person, whatever Slack answered about them."""
    return sum(
        1
        for call in kindly.fake.calls("chat.postMessage")
        if call.params.get("channel") == to and call.delivered
    )


def statuses(kindly: Kindly) -> list[tuple[datetime, str, str | None]]:
    return [(d.occurrence_at, d.status, d.reason) for d in deliveries(kindly)]


# -- 1. the occurrence due now is never lost -----------------------------------------------------------


def test_after_days_down_the_occurrence_inside_the_grace_window_is_sent_once_and_older_ones_skipped(
    berlin: Kindly,
) -> None:
    save_reminder(berlin)  # weekdays at 09:00 Berlin; the dispatcher is down from Sunday to Wednesday 09:30
    report = berlin.dispatch(WEDNESDAY_NINE_THIRTY_BERLIN)
    assert report.sent == 1 and report.skipped == {"late": 1}
    wednesday = MONDAY_NINE_BERLIN + timedelta(days=2)
    assert statuses(berlin) == [(MONDAY_NINE_BERLIN, "skipped", "late"), (wednesday, "sent", None)]
    assert berlin.dispatch(WEDNESDAY_NINE_THIRTY_BERLIN + timedelta(minutes=1)).sent == 0
    assert dms_delivered(berlin) == 1
    assert schedule_of(berlin).next_due_at == wednesday + timedelta(days=1)


# -- 2. a 429 is not a failure ---------------------------------------------------------------------------


def test_a_429_with_a_long_retry_after_is_refused_then_sent_on_a_tick_after_it(berlin: Kindly) -> None:
    save_reminder(berlin)
    berlin.fake.fail("chat.postMessage", "ratelimited", status=429, retry_after=30)
    report = berlin.dispatch(MONDAY_NINE_BERLIN)
    assert report.sent == 0 and report.refused == 1 and not report.failed
    assert statuses(berlin) == [(MONDAY_NINE_BERLIN, "refused", "rate_limited")]
    assert berlin.dispatch(MONDAY_NINE_BERLIN + timedelta(seconds=20)).sent == 0  # Retry-After honoured
    assert len(berlin.fake.calls("chat.postMessage")) == 1
    assert berlin.dispatch(MONDAY_NINE_BERLIN + timedelta(seconds=31)).sent == 1
    assert [call.answered_status for call in berlin.fake.calls("chat.postMessage")] == [429, 200]
    assert statuses(berlin) == [(MONDAY_NINE_BERLIN, "sent", None)]


def test_many_429s_in_a_row_never_end_as_failed_inside_the_grace_window(berlin: Kindly) -> None:
    save_reminder(berlin)
    berlin.fake.fail("chat.postMessage", "ratelimited", status=429, retry_after=1, times=-1)
    report = berlin.dispatch(MONDAY_NINE_BERLIN)
    assert report.refused == 1 and not report.failed
    assert statuses(berlin)[0][1] == "refused"
    berlin.fake.clear_failures()
    assert berlin.dispatch(MONDAY_NINE_BERLIN + timedelta(minutes=1)).sent == 1
    assert dms_delivered(berlin) == 1


# -- 3. ambiguous sends are never repeated ---------------------------------------------------------------


def test_a_500_after_slack_posted_gives_one_dm_status_unknown_and_an_honest_summary(berlin: Kindly) -> None:
    save_reminder(berlin)
    berlin.fake.fail("chat.postMessage", "internal_error", status=500, after_delivery=True)
    report = berlin.dispatch(MONDAY_NINE_BERLIN)
    assert report.sent == 0 and report.unknown == {"http_500": 1}
    assert "sent 0" in report.summary() and "unknown" in report.summary()
    berlin.dispatch(MONDAY_NINE_BERLIN + timedelta(minutes=5))
    assert dms_delivered(berlin) == 1
    assert statuses(berlin) == [(MONDAY_NINE_BERLIN, "unknown", "http_500")]


def test_a_connection_closed_after_slack_posted_gives_one_dm(berlin: Kindly) -> None:
    save_reminder(berlin)
    berlin.fake.fail("chat.postMessage", "connection_reset", status=0, after_delivery=True)
    assert berlin.dispatch(MONDAY_NINE_BERLIN).unknown == {"no_answer": 1}
    assert dms_delivered(berlin) == 1


def test_an_answer_held_past_the_client_timeout_gives_one_dm_and_status_unknown(impatient: Kindly) -> None:
    save_reminder(impatient)
    impatient.fake.hold("chat.postMessage", after_delivery=True)
    try:
        report = impatient.dispatch(MONDAY_NINE_BERLIN)
    finally:
        impatient.fake.release("chat.postMessage")
    assert report.sent == 0 and report.unknown == {"no_answer": 1}
    impatient.dispatch(MONDAY_NINE_BERLIN + timedelta(minutes=5))
    assert dms_delivered(impatient) == 1
    assert statuses(impatient) == [(MONDAY_NINE_BERLIN, "unknown", "no_answer")]


def test_a_shoutout_dm_answered_with_a_500_after_slack_posted_it_is_not_sent_twice(berlin: Kindly) -> None:
    berlin.fake.set_user(BOB.user_id, tz="Europe/Berlin")
    berlin.fake.fail("chat.postMessage", "internal_error", status=500, after_delivery=True)
    send(berlin)
    berlin.settle()
    assert dms_delivered(berlin, to=BOB.user_id) == 1


def test_a_lookup_answered_with_a_503_is_still_retried_for_a_listener(berlin: Kindly) -> None:
    berlin.fake.set_user(BOB.user_id, tz="Europe/Berlin")
    berlin.fake.fail("users.info", "service_unavailable", status=503, html=True)
    send(berlin)
    berlin.settle()
    assert [call.answered_status for call in berlin.fake.calls("users.info")][:2] == [503, 200]
    assert dms_delivered(berlin, to=BOB.user_id) == 1


def test_a_digest_whose_answers_never_come_is_not_posted_again_next_week(impatient: Kindly) -> None:
    impatient.fake.set_user(HANNA.user_id, tz="Europe/Berlin", is_admin=True)
    impatient.clock.set(datetime(2027, 1, 4, 10, tzinfo=UTC))  # a Monday
    choose_channel(impatient, mode="digest", day="4")  # Fridays at 15:00 Berlin
    for strength in ("kindness", "courage"):
        assert send(impatient, strength=strength)["response_action"] == "update"
    impatient.settle()
    # Slack posts the digest and its DMs, but every answer comes after the client gave up.
    impatient.fake.hold("chat.postMessage", after_delivery=True, seconds=SHORT_TIMEOUT * 4)
    try:
        assert impatient.dispatch(datetime(2027, 1, 8, 14, tzinfo=UTC)).problems == []
    finally:
        impatient.fake.release("chat.postMessage")
    impatient.dispatch(datetime(2027, 1, 15, 14, tzinfo=UTC))  # the next week's digest time
    delivered = [c for c in impatient.fake.calls("chat.postMessage") if c.delivered]
    digests = [c for c in delivered if c.params.get("channel") == CHANNEL and "This week" in str(c.params)]
    assert len(digests) == 1
    assert len([c for c in delivered if c.params.get("channel") == BOB.user_id]) == 2  # once each


# -- 4. nothing stays claimed forever ----------------------------------------------------------------


def test_a_dnd_lookup_that_times_out_releases_the_batch_for_the_next_tick(impatient: Kindly) -> None:
    save_reminder(impatient)
    impatient.fake.hold("dnd.teamInfo")
    try:
        report = impatient.dispatch(MONDAY_NINE_BERLIN)
    finally:
        impatient.fake.release("dnd.teamInfo")
    assert report.sent == 0 and report.released == 1 and report.problems
    assert impatient.fake.calls("chat.postMessage") == []
    assert [d.status for d in deliveries(impatient)] == ["pending"]
    assert impatient.dispatch(MONDAY_NINE_BERLIN + timedelta(minutes=1)).sent == 1
    assert dms_delivered(impatient) == 1


def test_kindly_dispatch_says_what_happened_and_exits_0_when_a_lookup_breaks(
    tmp_path: Path, database_url: str, fake_slack: FakeSlack
) -> None:
    env = clean_env(
        tmp_path,
        DATABASE_URL=database_url,
        KINDLY_ENCRYPTION_KEYS=Fernet.generate_key().decode("ascii"),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=fake_slack.api_url,
    )
    engine = make_engine(database_url)
    try:
        upgrade_to_head(engine)
        due = remind_every_day(make_session_factory(engine), at=time(8, 0), now=SUNDAY_NOON)
    finally:
        engine.dispose()
    fake_slack.fail("dnd.teamInfo", "connection_reset", status=0)
    first = run_kindly("dispatch", "--now", due.isoformat(), cwd=tmp_path, env=env)
    line = summary_line(first)  # exit 0, no traceback, one line
    assert "sent 0" in line and "released unattempted (retried on a later tick) 1" in line
    later = (due + timedelta(minutes=1)).astimezone(UTC).isoformat()
    assert "sent 1" in summary_line(run_kindly("dispatch", "--now", later, cwd=tmp_path, env=env))
    assert [call.params["channel"] for call in fake_slack.calls("chat.postMessage")] == [ALICE_ACTOR.user_id]
