"""Time the tests control: the wall clock the app reads, and a monotonic clock that sleeping advances."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class TestClock:
    """The app's notion of 'now' (UTC). Real time unless a test sets it."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self._fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self._fixed or datetime.now(UTC)

    def set(self, moment: datetime) -> None:
        self._fixed = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self.set(self() + delta)


class VirtualTime:
    """A monotonic clock that only moves when the code under test sleeps: waits take no real time."""

    def __init__(self) -> None:
        self._now = 1000.0
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(0.0, seconds)
