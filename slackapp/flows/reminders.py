"""Reminder settings: the remind modal, pause and resume, the buttons on a reminder."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from slackapp.actor import Actor
from slackapp.flows.responses import ViewResponse
from slackapp.numbers import small_int
from slackapp.rendering.reminders import (
    not_today_reply,
    pause_reply,
    paused_reply,
    remind_saved_view,
    remind_view,
)
from slackapp.rendering.shoutouts import notice
from slackapp.scheduling.pause_words import MAX_PAUSE, resume_date
from slackapp.scheduling.public_holidays import parse_place
from slackapp.scheduling.reminders import (
    keep_my_pace,
    local_today,
    pause,
    reminder_answered,
    reminder_state,
    resume,
    save_reminder,
    set_holidays,
    turn_off,
)
from slackapp.services import Services
from slackapp.store.members import ensure_member_of, set_quiet_on

log = logging.getLogger(__name__)

PAUSE_A_WEEK = timedelta(weeks=1)


def remind_page(services: Services, actor: Actor) -> dict[str, Any]:
    with services.sessions.begin() as session:
        state = reminder_state(session, actor, now=services.clock())
    return remind_view(services.renderer, state=state)


def _field_error(services: Services, problem: str) -> str:
    return services.renderer.text("text/remind_error.txt.j2", problem=problem)


@dataclass(frozen=True)
class HolidayChoice:
    """The remind modal's holiday fields as submitted: skip them or not, and where (blank: the default)."""

    skip: bool
    place: str


def save_remind_settings(
    services: Services,
    actor: Actor,
    *,
    days: list[str],
    at: str | None,
    pause_until: str | None,
    holidays: HolidayChoice | None = None,
) -> ViewResponse:
    now = services.clock()
    weekdays = frozenset(day for day in (small_int(text, 7) for text in days) if day < 7)
    errors: dict[str, str] = {}
    if not weekdays:
        errors["days"] = _field_error(services, "no_days")
    try:
        chosen_time = time.fromisoformat(at or "")
    except ValueError:
        errors["time"] = _field_error(services, "no_time")
    resume_on: date | None = None
    if pause_until:
        with services.sessions.begin() as session:
            member = ensure_member_of(session, actor, now=now)
            today = local_today(member.tz, now)
        try:
            resume_on = date.fromisoformat(pause_until)
        except ValueError:
            errors["pause_until"] = _field_error(services, "bad_date")
        else:
            if resume_on <= today:
                errors["pause_until"] = _field_error(services, "past_date")
            elif resume_on - today > MAX_PAUSE:
                errors["pause_until"] = _field_error(services, "far_date")
    place = parse_place(holidays.place) if holidays and holidays.place.strip() else None
    if holidays and holidays.place.strip() and place is None:
        errors["holiday_place"] = _field_error(services, "unknown_place")
    if errors:
        return ViewResponse("errors", errors=errors)
    with services.sessions.begin() as session:
        save_reminder(session, actor, weekdays=weekdays, at=chosen_time, paused_until=resume_on, now=now)
        reminder_answered(session, actor)
        if holidays is not None:
            member = ensure_member_of(session, actor, now=now)
            set_holidays(member, skip=holidays.skip, place=place, now=now)
        state = reminder_state(session, actor, now=now)
    return ViewResponse("update", view=remind_saved_view(services.renderer, state=state))


def reminders_off(services: Services, actor: Actor) -> dict[str, Any]:
    with services.sessions.begin() as session:
        turn_off(session, actor)
    return remind_page(services, actor)


def pause_with_words(services: Services, actor: Actor, words: str) -> dict[str, Any]:
    now = services.clock()
    with services.sessions.begin() as session:
        member = ensure_member_of(session, actor, now=now)
        today = local_today(member.tz, now)
        resume_on = resume_date(words, today=today)
        if resume_on is None:
            return pause_reply(services.renderer, outcome="unclear", today=today)
        if pause(session, actor, resume_on=resume_on, now=now) is None:
            return pause_reply(services.renderer, outcome="no_reminders")
        tz = member.tz
    return pause_reply(services.renderer, outcome="paused", resume_on=resume_on, tz=tz)


def resume_reminders(services: Services, actor: Actor) -> dict[str, Any]:
    now = services.clock()
    with services.sessions.begin() as session:
        if resume(session, actor, now=now) is None:
            return pause_reply(services.renderer, outcome="no_reminders")
        state = reminder_state(session, actor, now=now)
    return pause_reply(services.renderer, outcome="resumed", state=state)


def not_today(services: Services, actor: Actor) -> dict[str, Any]:
    """Nothing more from Kindly on the person's local today."""
    now = services.clock()
    with services.sessions.begin() as session:
        member = ensure_member_of(session, actor, now=now)
        set_quiet_on(member, day=local_today(member.tz, now), now=now)
        reminder_answered(session, actor)
    return not_today_reply(services.renderer)


def pause_a_week(services: Services, actor: Actor) -> dict[str, Any]:
    now = services.clock()
    with services.sessions.begin() as session:
        member = ensure_member_of(session, actor, now=now)
        resume_on = local_today(member.tz, now) + PAUSE_A_WEEK
        pause(session, actor, resume_on=resume_on, now=now)
        reminder_answered(session, actor)
        tz = member.tz
    return paused_reply(services.renderer, resume_on=resume_on, tz=tz)


def answered_reminder(services: Services, actor: Actor) -> None:
    """A reminder's "Take a kind moment" was pressed: an answer, whatever comes of it."""
    with services.sessions.begin() as session:
        reminder_answered(session, actor)


def keep_schedule(services: Services, actor: Actor) -> dict[str, Any]:
    """ "Keep my usual schedule": reminders come as the person chose, and are never eased again."""
    with services.sessions.begin() as session:
        keep_my_pace(session, actor)
    return notice(services.renderer, "schedule_kept")
