"""The gentle rules: when a due reminder should not be sent after all. No Slack, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class DueReminder:
    occurrence_at: datetime
    local_day: date
    paused_until: date | None
    stopped: bool
    quiet_on: date | None
    reflected_since_last: bool
    program_active: bool = True  # team prompts: the HR lead has not paused the program
    opted_out: bool = False  # team prompts: the person said "Not for me"
    holiday: bool = False  # a public holiday where the person lives (and they skip holidays)
    away_until: datetime | None = None  # their Slack status says they are away until then


# Reasons that say what a person did or chose. The delivery ledger forgets them after the grace window;
# logs and /metrics, which are kept far longer and date each tick to the minute of someone's reminder,
# only ever say "private".
PERSONAL_REASONS = frozenset(
    {"opted_out", "paused", "not_today", "already_reflected", "holiday", "away", "switched_off", "half_pace"}
)
PRIVATE = "private"


def reason_told(reason: str) -> str:
    """A skip reason as logs and metrics may say it."""
    return PRIVATE if reason in PERSONAL_REASONS else reason


def reason_to_skip(reminder: DueReminder, *, now: datetime, grace: timedelta) -> str | None:
    """Why this reminder should not go out, or None to send it."""
    if reminder.stopped:
        return "stopped"
    if not reminder.program_active:
        return "program_paused"
    if reminder.opted_out:
        return "opted_out"
    if reminder.paused_until is not None and reminder.local_day < reminder.paused_until:
        return "paused"
    if now - reminder.occurrence_at > grace:
        return "late"  # a reminder missed is better than a reminder hours late
    if reminder.quiet_on == reminder.local_day:
        return "not_today"
    if reminder.holiday:
        return "holiday"
    if reminder.reflected_since_last:
        return "already_reflected"
    return None


def resume_after_away(
    away_until: datetime | None, *, occurrence_at: datetime, now: datetime, grace: timedelta
) -> datetime | None:
    """When a reminder held by an "away" status may go: at once (`now`) when the person is not away,
    when the status ends if that is inside the grace window, else None (skip it)."""
    if away_until is None or away_until <= now:
        return now
    return away_until if away_until - occurrence_at <= grace else None


@dataclass(frozen=True)
class DndWindow:
    enabled: bool
    starts_at: datetime
    ends_at: datetime

    def covers(self, moment: datetime) -> bool:
        return self.enabled and self.starts_at <= moment < self.ends_at


def resume_after_dnd(
    window: DndWindow, *, occurrence_at: datetime, now: datetime, grace: timedelta
) -> datetime | None:
    """When to try again after Do Not Disturb, or None when that would be past the grace window."""
    if window.ends_at - occurrence_at > grace:
        return None
    return max(window.ends_at, now)


EASE_AFTER = 3  # personal reminders in a row with no answer before Kindly comes half as often


@dataclass(frozen=True)
class Pace:
    """How often a person's own reminders come: as chosen, or eased to every other one."""

    unanswered: int = 0  # sent in a row with no kind moment and no button pressed
    eased: bool = False
    skipped_last: bool = False  # eased: the previous due reminder was the one let go
    keep_pace: bool = False  # the person asked to keep their schedule: never eased


@dataclass(frozen=True)
class PaceStep:
    send: bool
    tell: bool  # this is the reminder that says, once, that Kindly now comes half as often
    pace: Pace  # the pace after this due reminder


def pace_step(pace: Pace) -> PaceStep:
    """For a personal reminder the other rules let go out: whether it does, and the pace after it.

    Never stops reminders on its own: eased, every other one still comes."""
    if pace.keep_pace:
        return PaceStep(send=True, tell=False, pace=pace)
    if pace.eased:
        return PaceStep(
            send=pace.skipped_last, tell=False, pace=replace(pace, skipped_last=not pace.skipped_last)
        )
    if pace.unanswered >= EASE_AFTER:
        return PaceStep(send=True, tell=True, pace=replace(pace, eased=True, skipped_last=False))
    return PaceStep(send=True, tell=False, pace=pace)


def answered(pace: Pace) -> Pace:
    """Any kind moment or answer brings back the schedule the person chose."""
    return Pace(keep_pace=pace.keep_pace)
