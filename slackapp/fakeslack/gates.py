"""Holding a method's answers until a test releases them: to show that work happens after an ack."""

from __future__ import annotations

import threading
from collections import defaultdict


class Gates:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: defaultdict[str, threading.Event] = defaultdict(threading.Event)
        self._held: set[str] = set()
        self._passes: dict[str, int] = {}  # calls still let through before a hold takes effect

    def hold(self, method: str, *, after: int = 0) -> None:
        with self._lock:
            self._held.add(method)
            self._passes[method] = after
            self._open[method].clear()

    def release(self, method: str) -> None:
        with self._lock:
            self._held.discard(method)
            self._passes.pop(method, None)
            self._open[method].set()

    def pass_through(self, method: str, *, timeout: float = 30.0) -> None:
        """Wait while `method` is held (never longer than `timeout`)."""
        with self._lock:
            if method not in self._held:
                return
            if self._passes.get(method, 0) > 0:
                self._passes[method] -= 1
                return
            gate = self._open[method]
        gate.wait(timeout)
