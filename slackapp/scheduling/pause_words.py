"""Reading `/kindly pause 3d`, `1w` or `until 2026-12-24` into the local date reminders resume on."""

from __future__ import annotations

import re
from datetime import date, timedelta

DEFAULT_PAUSE = timedelta(weeks=1)
MAX_PAUSE = timedelta(days=366)
_SPAN = re.compile(r"(\d{1,3})\s*(d|day|days|w|wk|week|weeks)")


def resume_date(words: str, *, today: date) -> date | None:
    """The local date reminders come back on (`until X` means back on X), or None when the words do not
    say a pause of at least a day and at most a year."""
    text = words.strip().lower()
    if not text:
        return today + DEFAULT_PAUSE
    if text.startswith("until"):
        try:
            until = date.fromisoformat(text.removeprefix("until").strip())
        except ValueError:
            return None
        resume = until
    elif match := _SPAN.fullmatch(text):
        count, unit = int(match.group(1)), match.group(2)
        resume = today + (timedelta(weeks=count) if unit.startswith("w") else timedelta(days=count))
    else:
        return None
    if resume <= today or resume - today > MAX_PAUSE:
        return None
    return resume
