"""Reminder messages, the remind modal and the reminder status render as valid Block Kit."""

from __future__ import annotations

import copy
import math
from datetime import UTC, date, datetime, time

import pytest

from slackapp.practices.reminders import ReminderState
from slackapp.practices.rotation import REMINDER_WORDINGS
from slackapp.rendering import Renderer
from slackapp.rendering.limits import validate_message, validate_view
from slackapp.rendering.reminders import (
    not_today_reply,
    pause_reply,
    paused_reply,
    remind_saved_view,
    remind_view,
    reminder_message,
)
from slackapp.scheduling.occurrences import MONDAY_TO_FRIDAY
from tests.support.blockkit import assert_no_mentions
from tests.support.dates import day_token, moment_token
from tests.support.views import all_text, buttons

REMINDER_TEMPLATES = {
    "messages/reminder.json.j2",
    "messages/reminder_reply.json.j2",
    "messages/pause_reply.json.j2",
    "modals/remind.json.j2",
    "modals/remind_saved.json.j2",
}
NEXT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
REMINDERS_OFF = ReminderState(False, MONDAY_TO_FRIDAY, time(9), "UTC", None, None, None, None)
STATES = {
    "off": REMINDERS_OFF,
    "on": ReminderState(True, frozenset({0, 2, 4}), time(8, 30), "Europe/Berlin", None, NEXT, None, None),
    "paused": ReminderState(True, MONDAY_TO_FRIDAY, time(9), "UTC", None, NEXT, date(2026, 12, 1), None),
    "stopped": ReminderState(True, MONDAY_TO_FRIDAY, time(9), "UTC", None, None, None, "account_inactive"),
    "unknown_tz": ReminderState(True, MONDAY_TO_FRIDAY, time(9), "UTC", "Mars/<!channel>", NEXT, None, None),
}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.mark.parametrize("variant", range(REMINDER_WORDINGS))
def test_every_reminder_variant_offers_the_four_gentle_choices(renderer: Renderer, variant: int) -> None:
    message = reminder_message(renderer, variant=variant)
    validate_message(copy.deepcopy(message))
    assert [b["action_id"] for b in buttons(message)] == [
        "kind_moment_open",
        "reminder_not_today",
        "reminder_pause_week",
        "remind_open",
    ]
    assert "missed" not in all_text(message).lower()


def test_there_are_as_many_reminder_wordings_as_the_rotation_counts_on_and_none_guilts(
    renderer: Renderer,
) -> None:
    wordings = {reminder_message(renderer, variant=n)["text"] for n in range(3 * REMINDER_WORDINGS)}
    assert len(wordings) == REMINDER_WORDINGS >= 12
    assert math.gcd(REMINDER_WORDINGS, 7) == 1  # so a weekly rhythm never lands on the same wording
    for wording in wordings:
        for word in ("deserve", "should", "missed", "forgot", "behind", "productiv", "streak"):
            assert word not in wording.lower(), wording


@pytest.mark.parametrize("name", sorted(STATES))
def test_remind_modal_and_confirmation_render_for_every_state(renderer: Renderer, name: str) -> None:
    state = STATES[name]
    for view in (remind_view(renderer, state=state), remind_saved_view(renderer, state=state)):
        validate_view(copy.deepcopy(view))
        assert_no_mentions(view)
    text = all_text(remind_view(renderer, state=state))
    if state.next_local and not state.paused_until:
        token = f"{moment_token(NEXT)}{{date_long_pretty}} at {{time}}|2026-12-01 09:00 UTC>"
        assert f"Next reminder: *{token}*" in text
    if state.paused_until:
        assert f"come back on {day_token(state.paused_until, state.tz)}" in text
    if state.stopped_reason:
        assert "could not deliver them: this Slack account is deactivated." in text
        assert state.stopped_reason not in text
    if state.tz_unknown:
        assert "which Kindly does not know" in text
    assert (
        "remind_off" in [b["action_id"] for b in buttons(remind_view(renderer, state=state))]
    ) is state.enabled


def test_remind_modal_preselects_the_current_days_and_time(renderer: Renderer) -> None:
    view = remind_view(renderer, state=STATES["on"])
    days = next(b for b in view["blocks"] if b.get("block_id") == "days")
    assert [o["value"] for o in days["element"]["initial_options"]] == ["0", "2", "4"]
    clock = next(b for b in view["blocks"] if b.get("block_id") == "time")
    assert clock["element"]["initial_time"] == "08:30"
    assert "Europe/Berlin" in clock["label"]["text"]


@pytest.mark.parametrize("outcome", ["paused", "resumed", "no_reminders", "unclear"])
def test_pause_replies_render(renderer: Renderer, outcome: str) -> None:
    message = pause_reply(
        renderer, outcome=outcome, resume_on=date(2026, 12, 8), state=STATES["on"], today=date(2026, 12, 3)
    )
    validate_message(copy.deepcopy(message))


def test_replies_that_replace_a_reminder_render(renderer: Renderer) -> None:
    validate_message(not_today_reply(renderer))
    paused = paused_reply(renderer, resume_on=date(2026, 12, 8), tz="Pacific/Auckland")
    validate_message(paused)
    assert f"come back on {day_token(date(2026, 12, 8), 'Pacific/Auckland')}" in paused["text"]
