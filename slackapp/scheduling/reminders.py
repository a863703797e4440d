"""A person's reminder schedule: choose days and time, pause, resume, follow their time zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from slackapp.actor import Actor
from slackapp.practices.reminders import ReminderState
from slackapp.scheduling.gentle import Pace, answered
from slackapp.scheduling.occurrences import (
    MONDAY_TO_FRIDAY,
    mask_to_weekdays,
    next_monthly_occurrence,
    next_occurrence,
    weekdays_to_mask,
    zone_or_utc,
)
from slackapp.scheduling.public_holidays import HolidayPlace, country_of_zone, is_public_holiday, place_of
from slackapp.store.members import ensure_member_of, get_member, set_time_zone
from slackapp.store.models import Member, Schedule
from slackapp.store.schedules import CHECK_IN, PERSONAL, get_personal_schedule, schedules_of
from slackapp.store.workspaces import get_workspace

DEFAULT_TIME = time(9, 0)
MAX_PAUSE = timedelta(days=366)


def next_due(schedule: Schedule, *, after: datetime) -> datetime | None:
    if schedule.stopped_reason:
        return None
    zone, _ = zone_or_utc(schedule.tz)
    if schedule.kind == CHECK_IN:
        return next_monthly_occurrence(
            after=after,
            weekday=min(mask_to_weekdays(schedule.weekdays) or {0}),
            at=schedule.local_time,
            zone=zone,
            not_before_day=schedule.paused_until,
        )
    return next_occurrence(
        after=after,
        weekdays=mask_to_weekdays(schedule.weekdays),
        at=schedule.local_time,
        zone=zone,
        not_before_day=schedule.paused_until,
    )


def local_today(tz: str, now: datetime) -> date:
    zone, _ = zone_or_utc(tz)
    return now.astimezone(zone).date()


def record_time_zone(session: Session, actor: Actor, *, slack_tz: str | None, now: datetime) -> None:
    """Keep the zone Slack reports (UTC when unknown) and move every schedule of the person to it."""
    member = ensure_member_of(session, actor, now=now)
    zone, known = zone_or_utc(slack_tz)
    if not set_time_zone(member, tz=zone.key, unknown=None if known else slack_tz, now=now):
        return
    for schedule in schedules_of(session, team_id=actor.team_id, user_id=actor.user_id):
        schedule.tz = zone.key
        schedule.next_due_at = next_due(schedule, after=now)


def save_reminder(
    session: Session,
    actor: Actor,
    *,
    weekdays: frozenset[int],
    at: time,
    paused_until: date | None,
    now: datetime,
) -> Schedule:
    member = ensure_member_of(session, actor, now=now)
    schedule = get_personal_schedule(session, team_id=actor.team_id, user_id=actor.user_id)
    if schedule is None:
        schedule = Schedule(team_id=actor.team_id, user_id=actor.user_id, kind=PERSONAL, created_at=now)
        session.add(schedule)
    schedule.weekdays = weekdays_to_mask(weekdays)
    schedule.local_time = at.replace(second=0, microsecond=0)
    schedule.tz = member.tz
    schedule.paused_until = paused_until
    schedule.stopped_reason = None
    schedule.next_due_at = next_due(schedule, after=now)
    session.flush()
    return schedule


def turn_off(session: Session, actor: Actor) -> None:
    schedule = get_personal_schedule(session, team_id=actor.team_id, user_id=actor.user_id)
    if schedule is not None:
        session.delete(schedule)


def pause(session: Session, actor: Actor, *, resume_on: date, now: datetime) -> Schedule | None:
    """Pause every reminder until the local date `resume_on`; None when there is nothing to pause."""
    schedule = get_personal_schedule(session, team_id=actor.team_id, user_id=actor.user_id)
    if schedule is None:
        return None
    schedule.paused_until = resume_on
    schedule.next_due_at = next_due(schedule, after=now)
    return schedule


def resume(session: Session, actor: Actor, *, now: datetime) -> Schedule | None:
    schedule = get_personal_schedule(session, team_id=actor.team_id, user_id=actor.user_id)
    if schedule is None:
        return None
    schedule.paused_until = None
    schedule.stopped_reason = None
    schedule.next_due_at = next_due(schedule, after=now)
    return schedule


MAX_HOLIDAYS_IN_A_ROW = 31  # a longer run of holidays than this is no one's calendar


def next_reminder(schedule: Schedule, place: HolidayPlace | None) -> datetime | None:
    """When the next reminder will really come: the next occurrence not on a public holiday."""
    due = schedule.next_due_at
    zone, _ = zone_or_utc(schedule.tz)
    for _ in range(MAX_HOLIDAYS_IN_A_ROW):
        if due is None or not is_public_holiday(due.astimezone(zone).date(), place):
            return due
        due = next_due(schedule, after=due)
    return due


def reminder_state(session: Session, actor: Actor, *, now: datetime) -> ReminderState:
    member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
    tz = member.tz if member else "UTC"
    tz_unknown = member.tz_unknown if member else None
    workspace = get_workspace(session, team_id=actor.team_id)
    workspace_country = workspace.holiday_country if workspace else None
    skip_holidays = member.skip_holidays if member else True
    own_holiday_place, holidays_of = own_place_text(member), workspace_country or country_of_zone(tz)
    schedule = get_personal_schedule(session, team_id=actor.team_id, user_id=actor.user_id)
    if schedule is None:
        return ReminderState(
            *(False, MONDAY_TO_FRIDAY, DEFAULT_TIME, tz, tz_unknown, None, None, None),
            skip_holidays=skip_holidays,
            own_holiday_place=own_holiday_place,
            holidays_of=holidays_of,
        )
    zone, _ = zone_or_utc(schedule.tz)
    today = local_today(schedule.tz, now)
    paused = schedule.paused_until if schedule.paused_until and schedule.paused_until > today else None
    upcoming = next_reminder(schedule, place_of(member, workspace_country=workspace_country, tz=schedule.tz))
    return ReminderState(
        enabled=True,
        weekdays=mask_to_weekdays(schedule.weekdays),
        at=schedule.local_time,
        tz=schedule.tz,
        tz_unknown=tz_unknown,
        next_local=upcoming.astimezone(zone) if upcoming else None,
        paused_until=paused,
        stopped_reason=schedule.stopped_reason,
        skip_holidays=skip_holidays,
        own_holiday_place=own_holiday_place,
        holidays_of=holidays_of,
    )


def own_place_text(member: Member | None) -> str | None:
    """The person's own holiday place as they typed it: "DE", or "DE-BY" with a subdivision."""
    if member is None or not member.holiday_country:
        return None
    return "-".join(part for part in (member.holiday_country, member.holiday_subdivision) if part)


def set_holidays(member: Member, *, skip: bool, place: HolidayPlace | None, now: datetime) -> None:
    member.skip_holidays = skip
    member.holiday_country = place.country if place else None
    member.holiday_subdivision = place.subdivision if place else None
    member.updated_at = now


MAX_UNANSWERED = 99  # the count only needs to pass gentle.EASE_AFTER; a small number keeps it small


def pace_of(schedule: Schedule) -> Pace:
    return Pace(schedule.unanswered, schedule.eased, schedule.skipped_last, schedule.keep_pace)


def set_pace(schedule: Schedule, pace: Pace) -> None:
    """Keep a person's reminder pace (the gentle back-off) on their schedule row."""
    schedule.unanswered = min(pace.unanswered, MAX_UNANSWERED)
    schedule.eased, schedule.skipped_last, schedule.keep_pace = pace.eased, pace.skipped_last, pace.keep_pace


def reminder_answered(session: Session, actor: Actor) -> None:
    """The person answered a reminder (a button, a kind moment): their chosen pace comes back."""
    schedule = get_personal_schedule(session, team_id=actor.team_id, user_id=actor.user_id)
    if schedule is not None:
        set_pace(schedule, answered(pace_of(schedule)))


def keep_my_pace(session: Session, actor: Actor) -> None:
    """ "Keep my schedule": reminders come as chosen, and are never eased again."""
    schedule = get_personal_schedule(session, team_id=actor.team_id, user_id=actor.user_id)
    if schedule is not None:
        set_pace(schedule, Pace(keep_pace=True))
