"""Where a person's reminders stand, as they see it: the picture scheduling computes and rendering shows.

It lives with the domain, below both, so that rendering needs nothing from scheduling to draw it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True)
class ReminderState:
    """What the person sees of their reminders."""

    enabled: bool
    weekdays: frozenset[int]
    at: time
    tz: str
    tz_unknown: str | None
    next_local: datetime | None
    paused_until: date | None
    stopped_reason: str | None
    skip_holidays: bool = True
    own_holiday_place: str | None = None  # the person's own choice, "DE" or "DE-BY"
    holidays_of: str | None = None  # the country whose holidays are skipped when they chose none
