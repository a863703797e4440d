"""The playground's clock: real time, moved by an offset when the page sets the time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slackapp.services import utc_now


class PlaygroundClock:
    """The app's notion of "now" (UTC). Setting it moves time; it then keeps flowing from there."""

    def __init__(self, real: Callable[[], datetime] = utc_now) -> None:
        self._real = real
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._real() + self._offset

    def set(self, moment: datetime) -> None:
        """From now on, `self()` reads `moment` plus the real time elapsed since this call."""
        if moment.tzinfo is None:
            raise ValueError("the playground clock needs an aware datetime")
        with self._lock:
            self._offset = moment.astimezone(UTC) - self._real()

    def timestamp(self) -> float:
        """Epoch seconds, for the fake Slack's message ts and DND windows."""
        return self().timestamp()
