"""Reminder messages and the replies that replace them."""

from __future__ import annotations

from datetime import date
from typing import Any

from slackapp.practices.reminders import ReminderState
from slackapp.rendering.environment import Renderer
from slackapp.rendering.help import pause_example_words


def reminder_message(renderer: Renderer, *, variant: int, easing: bool = False) -> dict[str, Any]:
    """The reminder DM; `variant` rotates the invitation so it does not read the same every day. The one
    that says, once, that Kindly now comes half as often is `easing`."""
    return renderer.message("messages/reminder.json.j2", variant=variant, easing=easing)


def not_today_reply(renderer: Renderer) -> dict[str, Any]:
    return renderer.message("messages/reminder_reply.json.j2", choice="not_today", resume_on=None)


def paused_reply(renderer: Renderer, *, resume_on: date, tz: str) -> dict[str, Any]:
    """The reminder after "Pause a week"; `tz` is the zone `resume_on` is a day in."""
    return renderer.message("messages/reminder_reply.json.j2", choice="paused", resume_on=resume_on, tz=tz)


def remind_view(renderer: Renderer, *, state: ReminderState) -> dict[str, Any]:
    return renderer.view("modals/remind.json.j2", state=state)


def remind_saved_view(renderer: Renderer, *, state: ReminderState) -> dict[str, Any]:
    return renderer.view("modals/remind_saved.json.j2", state=state)


def pause_reply(
    renderer: Renderer,
    *,
    outcome: str,
    resume_on: date | None = None,
    tz: str = "UTC",
    state: ReminderState | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """The answer to `/kindly pause` and `/kindly resume`: paused (until `resume_on`, a day in `tz`),
    resumed, no_reminders or unclear (whose example date follows `today`)."""
    return renderer.message(
        "messages/pause_reply.json.j2",
        outcome=outcome,
        resume_on=resume_on,
        tz=tz,
        pause_example=pause_example_words(today) if today else None,
        next_local=state.next_local if state else None,
    )
