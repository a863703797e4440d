"""Per-sender daily shout-out quota, kept in this process's memory and nowhere else.

Any counter the database holds can be read by whoever reads the database that day, and its writes sit
next to the shout-out's in transaction ids, page order and old row versions. So the quota is never
written down: counters live in memory, keyed by HMAC under a random key of the day that is never
derived from the master key, and the key and its counters are dropped when the day is over. The price:
a restart forgets the day's counts, and each replica counts on its own.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime


@dataclass
class _Day:
    day: date
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    sent: dict[bytes, int] = field(default_factory=dict)


class QuotaBook:
    """How many shout-outs each person sent today (a UTC day), without naming anyone."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._days: dict[date, _Day] = {}
        self._lock = threading.Lock()

    def _today(self) -> date:
        return self._clock().astimezone(UTC).date()

    def take_one(self, *, team_id: str, user_id: str, limit: int) -> bool:
        """Count one more shout-out for this sender today; False (and nothing counted) at the limit."""
        self.forget_ended_days()
        today = self._today()
        with self._lock:
            book = self._days.get(today)
            if book is None:
                book = self._days[today] = _Day(today)
            counter = hmac.new(book.key, f"{team_id}:{user_id}".encode(), hashlib.sha256).digest()
            if book.sent.get(counter, 0) >= limit:
                return False
            book.sent[counter] = book.sent.get(counter, 0) + 1
            return True

    def forget_ended_days(self) -> int:
        """Drop the key and counters of every day that has ended; returns how many."""
        today = self._today()
        with self._lock:
            ended = [day for day in self._days if day < today]
            for day in ended:
                del self._days[day]
            return len(ended)

    def days_held(self) -> list[date]:
        with self._lock:
            return sorted(self._days)
