"""Token-bucket rate limits per method and workspace (by the calling token's install) or channel,
measured with an injectable clock."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

RateKey = Literal["team", "channel"]


@dataclass(frozen=True)
class _Limit:
    per_second: float
    burst: int
    key: RateKey


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allows `burst` calls at once, refilled at `per_second`; answers how long to wait when empty."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._limits: dict[str, _Limit] = {}
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._limited: Counter[str] = Counter()

    def limit(self, method: str, *, per_second: float, burst: int, key: RateKey) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("per_second must be > 0 and burst >= 1")
        with self._lock:
            self._limits[method] = _Limit(per_second, burst, key)
            self._buckets = {k: b for k, b in self._buckets.items() if k[0] != method}

    def check(self, method: str, params: Mapping[str, Any], *, team: str = "") -> int | None:
        """Take one token; return None when allowed, else the Retry-After seconds."""
        with self._lock:
            limit = self._limits.get(method)
            if limit is None:
                return None
            now = self._clock()
            scope = (
                str(params.get("channel") or params.get("channel_id") or "")
                if limit.key == "channel"
                else team
            )
            bucket = self._buckets.setdefault((method, scope), _Bucket(float(limit.burst), now))
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(float(limit.burst), bucket.tokens + elapsed * limit.per_second)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return None
            return max(1, math.ceil((1.0 - bucket.tokens) / limit.per_second))

    def count_429(self, method: str) -> None:
        with self._lock:
            self._limited[method] += 1

    def limited_count(self, method: str) -> int:
        with self._lock:
            return self._limited[method]

    def clear(self) -> None:
        with self._lock:
            self._limits.clear()
            self._buckets.clear()
            self._limited.clear()
