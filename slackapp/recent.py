"""A small in-process memory of recent answers, each kept for a few seconds (per process: another worker
may answer from its own memory until that runs out)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """Remembers `load(key)` for `seconds`; `forget(key)` when this process changed what it reads."""

    def __init__(
        self, seconds: float, *, monotonic: Callable[[], float] = time.monotonic, size: int = 10_000
    ):
        self._seconds = seconds
        self._monotonic = monotonic
        self._size = size
        self._lock = threading.Lock()
        self._kept: dict[K, tuple[float, V]] = {}

    def get(self, key: K, load: Callable[[K], V]) -> V:
        now = self._monotonic()
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        value = load(key)
        with self._lock:
            if len(self._kept) >= self._size:
                self._kept.clear()  # a crude bound: a cleared memory only costs a reload
            self._kept[key] = (now + self._seconds, value)
        return value

    def forget(self, key: K) -> None:
        with self._lock:
            self._kept.pop(key, None)
