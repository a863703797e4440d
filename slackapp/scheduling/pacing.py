"""A token bucket per workspace, kept under Slack's chat.postMessage limits.

A 429 from Slack empties that workspace's bucket until its Retry-After has passed; other workspaces
are not affected.

Keep `burst` well below Slack's own: Slack counts a message when it handles it, we when we send it, so
after any stall on the way (ours, the network's or Slack's) a burst as large as Slack's arrives on a
bucket Slack has not refilled, and each 429 costs a whole second of Retry-After (measured in bench/).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

_EPSILON = 1e-9


@dataclass
class _Bucket:
    tokens: float
    updated: float
    blocked_until: float = 0.0


class Pacer:
    def __init__(
        self,
        *,
        per_second: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("a pacer needs a positive rate and a burst of at least 1")
        self.per_second = per_second
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, team_id: str) -> None:
        """Wait until this workspace may send one more message, then take the token."""
        while True:
            wait = self._try_take(team_id)
            if wait <= 0:
                return
            self._sleep(wait)

    def hold(self, team_id: str, seconds: float) -> None:
        """Slack said 429: nothing more for this workspace until `seconds` have passed."""
        with self._lock:
            bucket = self._bucket(team_id, self._clock())
            bucket.blocked_until = max(bucket.blocked_until, self._clock() + seconds)
            # One request may go the moment Retry-After has passed; the rate applies again after it.
            bucket.tokens = 1.0
            bucket.updated = bucket.blocked_until

    def _bucket(self, team_id: str, now: float) -> _Bucket:
        bucket = self._buckets.get(team_id)
        if bucket is None:
            bucket = self._buckets[team_id] = _Bucket(tokens=float(self.burst), updated=now)
        return bucket

    def _try_take(self, team_id: str) -> float:
        with self._lock:
            now = self._clock()
            bucket = self._bucket(team_id, now)
            if now < bucket.blocked_until:
                return bucket.blocked_until - now
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_second)
            bucket.updated = now
            if bucket.tokens >= 1 - _EPSILON:  # tolerate float rounding, or a tiny wait could never end
                bucket.tokens = max(0.0, bucket.tokens - 1)
                return 0.0
            return (1 - bucket.tokens) / self.per_second
