"""An adaptive token bucket per workspace, kept under Slack's chat.postMessage limits.

A 429 from Slack empties that workspace's bucket until its Retry-After has passed and halves its rate
(Slack's real limits vary by workspace); each message posted afterwards wins back a little of the
configured rate. Other workspaces are not affected.

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
SLOWEST = 0.1  # the lowest rate a 429 can bring a workspace to, as a fraction of the configured one
RECOVERY = 0.05  # the fraction of the configured rate each posted message wins back


@dataclass
class _Bucket:
    tokens: float
    updated: float
    rate: float
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

    def slow_down(self, team_id: str, seconds: float) -> None:
        """Slack said 429: hold the workspace for `seconds`, then go on at half its recent rate."""
        self.hold(team_id, seconds)
        with self._lock:
            bucket = self._bucket(team_id, self._clock())
            bucket.rate = max(self.per_second * SLOWEST, bucket.rate / 2)

    def recover(self, team_id: str) -> None:
        """A message went through: win back a little of the configured rate."""
        with self._lock:
            bucket = self._bucket(team_id, self._clock())
            bucket.rate = min(self.per_second, bucket.rate + self.per_second * RECOVERY)

    def rate(self, team_id: str) -> float:
        with self._lock:
            return self._bucket(team_id, self._clock()).rate

    def held_for(self, team_id: str) -> float:
        """How long this workspace must still wait after a 429 (0.0 when it need not)."""
        with self._lock:
            bucket = self._buckets.get(team_id)
            return max(0.0, bucket.blocked_until - self._clock()) if bucket else 0.0

    def now(self) -> float:
        """The pacer's clock."""
        return self._clock()

    def try_take(self, team_id: str) -> float:
        """Take a token if one is there (0.0); else how long until one will be, taking nothing."""
        return self._try_take(team_id)

    def _bucket(self, team_id: str, now: float) -> _Bucket:
        bucket = self._buckets.get(team_id)
        if bucket is None:
            bucket = self._buckets[team_id] = _Bucket(
                tokens=float(self.burst), updated=now, rate=self.per_second
            )
        return bucket

    def _try_take(self, team_id: str) -> float:
        with self._lock:
            now = self._clock()
            bucket = self._bucket(team_id, now)
            if now < bucket.blocked_until:
                return bucket.blocked_until - now
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * bucket.rate)
            bucket.updated = now
            if bucket.tokens >= 1 - _EPSILON:  # tolerate float rounding, or a tiny wait could never end
                bucket.tokens = max(0.0, bucket.tokens - 1)
                return 0.0
            return (1 - bucket.tokens) / bucket.rate
