"""Gentle reminders end to end: set in the modal, sent by the dispatcher at the person's own time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from slackapp.store.models import Delivery, Schedule
from tests.conftest import TRANSPORTS, Kindly
from tests.support.dates import day_token, moment_token
from tests.support.journeys import open_remind, save_reminder, take_kind_moment, view_after
from tests.support.slack_requests import Person
from tests.support.views import all_text, button, fill

ALICE = Person("U0ALICE", "T0001", "alice")
SUNDAY_NOON = datetime(2027, 1, 3, 12, tzinfo=UTC)
MONDAY_NINE_BERLIN = datetime(2027, 1, 4, 8, tzinfo=UTC)


@pytest.fixture
def berlin(kindly: Kindly) -> Kindly:
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    kindly.clock.set(SUNDAY_NOON)
    return kindly


def schedule_of(kindly: Kindly, who: Person = ALICE) -> Schedule:
    with kindly.runtime.services.sessions.begin() as session:
        schedule = session.scalars(select(Schedule).where(Schedule.user_id == who.user_id)).one()
        session.expunge(schedule)
        return schedule


def deliveries(kindly: Kindly) -> list[Delivery]:
    with kindly.runtime.services.sessions.begin() as session:
        rows = list(session.scalars(select(Delivery).order_by(Delivery.id)))
        session.expunge_all()
        return rows


def reminders_sent(kindly: Kindly) -> list[str]:
    return [
        call.params["channel"]
        for call in kindly.fake.calls("chat.postMessage")
        if call.answered_error is None
    ]


def test_saving_a_reminder_shows_the_next_one_as_a_date_each_reader_sees_their_way(berlin: Kindly) -> None:
    reply = save_reminder(berlin)
    assert reply["response_action"] == "update"
    # 09:00 in Berlin is 08:00 UTC; Slack shows the token in the reader's own format and zone.
    next_one = f"Next reminder: *{moment_token(MONDAY_NINE_BERLIN)}{{date_long_pretty}} at {{time}}|"
    assert next_one + "2027-01-04 08:00 UTC>*" in all_text(reply["view"])
    assert schedule_of(berlin).next_due_at == MONDAY_NINE_BERLIN
    berlin.settle()
    home = berlin.fake.calls("views.publish")[-1].params["view"]
    assert next_one in all_text(home)


def test_nine_in_berlin_is_sent_at_eight_utc_in_january_and_seven_in_july(berlin: Kindly) -> None:
    save_reminder(berlin)
    assert berlin.dispatch(MONDAY_NINE_BERLIN - timedelta(minutes=1)).sent == 0
    assert berlin.dispatch(MONDAY_NINE_BERLIN).sent == 1
    assert reminders_sent(berlin) == [ALICE.user_id]
    berlin.clock.set(datetime(2027, 7, 4, 12, tzinfo=UTC))
    save_reminder(berlin)
    assert schedule_of(berlin).next_due_at == datetime(2027, 7, 5, 7, tzinfo=UTC)
    assert berlin.dispatch(datetime(2027, 7, 5, 7, tzinfo=UTC)).sent == 1


def test_spring_forward_and_fall_back(berlin: Kindly) -> None:
    every_day = ("0", "1", "2", "3", "4", "5", "6")
    berlin.clock.set(datetime(2027, 3, 27, 12, tzinfo=UTC))
    save_reminder(berlin, days=every_day, at="02:30")
    assert schedule_of(berlin).next_due_at == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)  # 03:00 local
    assert berlin.dispatch(datetime(2027, 3, 28, 1, 0, tzinfo=UTC)).sent == 1

    berlin.clock.set(datetime(2027, 10, 30, 12, tzinfo=UTC))
    save_reminder(berlin, days=every_day, at="02:30")
    sent_before = len(reminders_sent(berlin))
    assert berlin.dispatch(datetime(2027, 10, 31, 0, 30, tzinfo=UTC)).sent == 1  # the first 02:30
    assert berlin.dispatch(datetime(2027, 10, 31, 1, 30, tzinfo=UTC)).sent == 0  # the repeated 02:30
    assert len(reminders_sent(berlin)) == sent_before + 1


def test_a_time_zone_change_in_slack_moves_the_next_reminder(berlin: Kindly) -> None:
    save_reminder(berlin)
    assert berlin.slack.user_changed(tz="America/New_York", who=ALICE).status == 200
    berlin.settle()
    assert schedule_of(berlin).next_due_at == datetime(2027, 1, 4, 14, tzinfo=UTC)  # 09:00 in New York


def test_an_unknown_time_zone_falls_back_to_utc_and_the_home_tab_says_so(kindly: Kindly) -> None:
    kindly.fake.set_user(ALICE.user_id, tz="Mars/Olympus_Mons", tz_label="Mars", tz_offset=0)
    kindly.clock.set(SUNDAY_NOON)
    save_reminder(kindly)
    assert schedule_of(kindly).next_due_at == datetime(2027, 1, 4, 9, tzinfo=UTC)
    home = view_after(kindly, "views.publish", lambda: kindly.slack.home_opened(who=ALICE))
    assert "Mars/Olympus_Mons" in all_text(home) and "follow UTC" in all_text(home)


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize(
    ("answers", "field", "says"),
    [
        ({"days": [], "time": "09:00"}, "days", "at least one day"),
        ({"days": ["0"], "time": "25:00"}, "time", "time of day"),
        ({"days": ["0"], "time": "09:00", "pause_until": "2027-01-02"}, "pause_until", "after today"),
        ({"days": ["0"], "time": "09:00", "pause_until": "2029-01-01"}, "pause_until", "up to a year"),
        ({"days": ["0"], "time": "09:00", "pause_until": "someday"}, "pause_until", "calendar"),
    ],
)
def test_every_remind_modal_mistake_gets_a_field_error(
    berlin: Kindly, answers: dict[str, object], field: str, says: str
) -> None:
    view = open_remind(berlin)
    reply = berlin.slack.view_submission(fill(view, answers)).json()
    assert reply["response_action"] == "errors"
    assert says in reply["errors"][field]
    with berlin.runtime.services.sessions.begin() as session:
        assert session.scalars(select(Schedule)).first() is None


def test_dispatching_twice_at_the_same_instant_sends_once(berlin: Kindly) -> None:
    save_reminder(berlin)
    berlin.dispatch(MONDAY_NINE_BERLIN)
    berlin.dispatch(MONDAY_NINE_BERLIN)
    assert reminders_sent(berlin) == [ALICE.user_id]


def test_a_crash_between_claim_and_send_never_resends(berlin: Kindly) -> None:
    save_reminder(berlin)
    dispatcher = berlin.runtime.dispatcher
    assert dispatcher.plan(MONDAY_NINE_BERLIN) == 1
    assert len(dispatcher.claim(MONDAY_NINE_BERLIN)) == 1
    # ... the process dies here, before sending. The next ticks must not send it again.
    berlin.dispatch(MONDAY_NINE_BERLIN)
    berlin.dispatch(MONDAY_NINE_BERLIN + timedelta(minutes=5))
    assert reminders_sent(berlin) == []
    assert [d.status for d in deliveries(berlin)] == ["claimed"]


def test_a_429_is_retried_after_its_retry_after(berlin: Kindly) -> None:
    save_reminder(berlin)
    berlin.fake.fail("chat.postMessage", "ratelimited", status=429, retry_after=2)
    report = berlin.dispatch(MONDAY_NINE_BERLIN)
    attempts = berlin.fake.calls("chat.postMessage")
    assert [call.answered_status for call in attempts] == [429, 200]
    assert report.sent == 1
    assert sum(berlin.time.sleeps) >= 2


def test_a_permanent_error_ends_the_delivery_and_pauses_the_schedule_with_its_reason(berlin: Kindly) -> None:
    save_reminder(berlin)
    berlin.fake.fail("chat.postMessage", "account_inactive")
    report = berlin.dispatch(MONDAY_NINE_BERLIN)
    assert report.failed == {"account_inactive": 1}
    schedule = schedule_of(berlin)
    assert schedule.stopped_reason == "account_inactive" and schedule.next_due_at is None
    assert len(berlin.fake.calls("chat.postMessage")) == 1
    home = view_after(berlin, "views.publish", lambda: berlin.slack.home_opened(who=ALICE))
    assert "Slack could not deliver them: this Slack account is deactivated." in all_text(home)
    assert "account_inactive" not in all_text(home)  # Slack's code is for logs, not for people


def test_no_reminder_after_a_kind_moment_since_the_last_one(berlin: Kindly) -> None:
    save_reminder(berlin)
    berlin.clock.set(MONDAY_NINE_BERLIN - timedelta(hours=1))
    take_kind_moment(berlin, who=ALICE)
    report = berlin.dispatch(MONDAY_NINE_BERLIN)
    assert report.skipped == {"already_reflected": 1}
    assert reminders_sent(berlin) == []
    # The next day there was no kind moment since, so the reminder comes.
    assert berlin.dispatch(MONDAY_NINE_BERLIN + timedelta(days=1)).sent == 1


def test_do_not_disturb_defers_within_the_grace_window(berlin: Kindly) -> None:
    save_reminder(berlin)
    dnd_end = MONDAY_NINE_BERLIN + timedelta(minutes=45)
    berlin.fake.set_dnd(
        ALICE.user_id,
        False,
        next_dnd_start_ts=int((MONDAY_NINE_BERLIN - timedelta(hours=8)).timestamp()),
        next_dnd_end_ts=int(dnd_end.timestamp()),
    )
    assert berlin.dispatch(MONDAY_NINE_BERLIN).deferred == 1
    assert berlin.dispatch(dnd_end - timedelta(minutes=1)).sent == 0
    assert berlin.dispatch(dnd_end).sent == 1
    assert reminders_sent(berlin) == [ALICE.user_id]


def test_do_not_disturb_past_the_grace_window_skips_that_reminder(berlin: Kindly) -> None:
    save_reminder(berlin)
    berlin.fake.set_dnd(
        ALICE.user_id,
        False,
        next_dnd_start_ts=int((MONDAY_NINE_BERLIN - timedelta(hours=1)).timestamp()),
        next_dnd_end_ts=int((MONDAY_NINE_BERLIN + timedelta(hours=3)).timestamp()),
    )
    assert berlin.dispatch(MONDAY_NINE_BERLIN).skipped == {"dnd": 1}
    assert reminders_sent(berlin) == []


def test_a_reminder_older_than_the_grace_window_is_skipped_not_sent_late(berlin: Kindly) -> None:
    save_reminder(berlin)
    report = berlin.dispatch(MONDAY_NINE_BERLIN + timedelta(hours=2, minutes=1))
    assert report.skipped == {"late": 1}
    assert reminders_sent(berlin) == []
    assert schedule_of(berlin).next_due_at == MONDAY_NINE_BERLIN + timedelta(days=1)


def test_pause_and_resume(berlin: Kindly) -> None:
    save_reminder(berlin)
    paused = berlin.slack.command("pause 1w", who=ALICE).json()
    assert f"come back on *{day_token(date(2027, 1, 10), 'Europe/Berlin')}" in all_text(paused)
    assert berlin.dispatch(MONDAY_NINE_BERLIN).sent == 0
    assert schedule_of(berlin).next_due_at == datetime(2027, 1, 11, 8, tzinfo=UTC)  # Sunday is not chosen
    berlin.clock.set(MONDAY_NINE_BERLIN + timedelta(hours=1))
    resumed = berlin.slack.command("resume", who=ALICE).json()
    assert "Reminders are back" in all_text(resumed)
    assert schedule_of(berlin).next_due_at == datetime(2027, 1, 5, 8, tzinfo=UTC)
    unclear = berlin.slack.command("pause forever", who=ALICE).json()
    assert "/kindly pause 3d" in all_text(unclear)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_the_reminder_buttons_do_what_they_say(berlin: Kindly) -> None:
    save_reminder(berlin)
    berlin.dispatch(MONDAY_NINE_BERLIN)
    (sent,) = berlin.fake.calls("chat.postMessage")
    message = {"type": "message", "ts": "1.1", "blocks": sent.params["blocks"]}
    berlin.clock.set(MONDAY_NINE_BERLIN + timedelta(minutes=5))

    opened = view_after(
        berlin,
        "views.open",
        lambda: berlin.slack.message_action("kind_moment_open", message=message, who=ALICE),
    )
    assert opened["callback_id"] == "kind_moment_arrival"

    berlin.slack.message_action("reminder_not_today", message=message, who=ALICE)
    (replaced,) = berlin.fake.wait_for("response_url")
    assert replaced.params["replace_original"] is True
    assert "Nothing more from Kindly today" in all_text(replaced.params)

    berlin.slack.message_action("reminder_pause_week", message=message, who=ALICE)
    paused = berlin.fake.wait_for("response_url", count=2)[1]
    assert f"come back on {day_token(date(2027, 1, 11), 'Europe/Berlin')}" in all_text(paused.params)
    assert schedule_of(berlin).paused_until is not None

    change = view_after(
        berlin, "views.open", lambda: berlin.slack.message_action("remind_open", message=message, who=ALICE)
    )
    assert change["callback_id"] == "remind_settings"
    assert button(change, "remind_off")


def test_not_today_means_nothing_else_that_local_day(berlin: Kindly) -> None:
    save_reminder(berlin)
    berlin.clock.set(MONDAY_NINE_BERLIN - timedelta(hours=2))  # 07:00 in Berlin
    message = {"type": "message", "ts": "1.1", "blocks": []}
    berlin.slack.message_action("reminder_not_today", message=message, who=ALICE)
    berlin.fake.wait_for("response_url")
    assert berlin.dispatch(MONDAY_NINE_BERLIN).skipped == {"not_today": 1}
    assert berlin.dispatch(MONDAY_NINE_BERLIN + timedelta(days=1)).sent == 1


def test_turning_reminders_off_from_the_modal(berlin: Kindly) -> None:
    save_reminder(berlin)
    view = open_remind(berlin)
    updated = view_after(berlin, "views.update", lambda: berlin.slack.block_action("remind_off", view=view))
    assert "Reminders are off" in all_text(updated)
    assert berlin.dispatch(MONDAY_NINE_BERLIN).planned == 0


def test_the_home_tab_shows_reminders_and_its_buttons_pause_and_resume(berlin: Kindly) -> None:
    save_reminder(berlin)
    home = view_after(berlin, "views.publish", lambda: berlin.slack.home_opened(who=ALICE))
    assert f"Next reminder: *{moment_token(MONDAY_NINE_BERLIN)}" in all_text(home)
    paused_home = view_after(
        berlin, "views.publish", lambda: berlin.slack.block_action("reminder_pause_week", who=ALICE)
    )
    assert f"come back on {day_token(date(2027, 1, 10), 'Europe/Berlin')}" in all_text(paused_home)
    assert schedule_of(berlin).paused_until is not None
    resumed_home = view_after(
        berlin, "views.publish", lambda: berlin.slack.block_action("reminders_resume", who=ALICE)
    )
    assert "Next reminder" in all_text(resumed_home)
    assert schedule_of(berlin).paused_until is None


def test_a_long_tick_does_not_send_what_became_late_while_it_ran(berlin: Kindly) -> None:
    save_reminder(berlin, who=ALICE)
    # Slack holds the message back for two minutes; by then it is past the two-hour grace window.
    berlin.fake.fail("chat.postMessage", "ratelimited", status=429, retry_after=120)
    report = berlin.dispatch(MONDAY_NINE_BERLIN + timedelta(minutes=119))
    assert report.sent == 0 and report.refused == 1
    report = berlin.dispatch(MONDAY_NINE_BERLIN + timedelta(minutes=121))
    assert report.sent == 0 and report.skipped == {"late": 1}
    assert [call.answered_status for call in berlin.fake.calls("chat.postMessage")] == [429]
    assert reminders_sent(berlin) == []
