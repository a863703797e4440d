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
from datetime import date, datetime, timedelta


@dataclass
class _Day:
    day: date
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    sent: dict[bytes, int] = field(default_factory=dict)


def earliest_local_day(now: datetime) -> date:
    """The earliest date any time zone is still living at `now` (UTC-12 is a day behind UTC)."""
    return (now - timedelta(hours=12)).date()


class QuotaBook:
    """How many shout-outs each person sent on their local day, without naming anyone."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._days: dict[date, _Day] = {}
        self._lock = threading.Lock()

    def take_one(self, *, team_id: str, user_id: str, day: date, limit: int) -> bool:
        """Count one more shout-out for this sender on `day`; False (and nothing counted) at the limit."""
        self.forget_ended_days()
        with self._lock:
            book = self._days.get(day)
            if book is None:
                book = self._days[day] = _Day(day)
            counter = hmac.new(book.key, f"{team_id}:{user_id}".encode(), hashlib.sha256).digest()
            if book.sent.get(counter, 0) >= limit:
                return False
            book.sent[counter] = book.sent.get(counter, 0) + 1
            return True

    def forget_ended_days(self) -> int:
        """Drop the key and counters of every day that has ended in all time zones; returns how many."""
        earliest = earliest_local_day(self._clock())
        with self._lock:
            old = [past for past in self._days if past < earliest]
            for past in old:
                del self._days[past]
            return len(old)

    def days_held(self) -> list[date]:
        with self._lock:
            return sorted(self._days)
