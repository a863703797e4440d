"""Fresh Slack-looking ids and strictly increasing message timestamps."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable


class IdFactory:
    """Thread-safe source of ids like `V0000000001` and message ts like `1712345678.000042`."""

    def __init__(self, *, wall_clock: Callable[[], float]) -> None:
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._serials: Counter[str] = Counter()
        self._last_ts_us = 0

    def new_id(self, prefix: str) -> str:
        with self._lock:
            self._serials[prefix] += 1
            return f"{prefix}{self._serials[prefix]:010X}"

    def new_ts(self) -> str:
        with self._lock:
            self._last_ts_us = max(self._last_ts_us + 1, int(self._wall_clock() * 1_000_000))
            seconds, micros = divmod(self._last_ts_us, 1_000_000)
            return f"{seconds}.{micros:06d}"

    def new_view_hash(self) -> str:
        with self._lock:
            self._serials["hash"] += 1
            return f"{int(self._wall_clock())}.{self._serials['hash']:08d}"
