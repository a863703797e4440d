"""Holding a method's answers until a test releases them: to show that work happens after an ack, or
what the app does while a call is unanswered."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict


class Gates:
    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._open: defaultdict[str, threading.Event] = defaultdict(threading.Event)
        self._held: set[str] = set()
        self._passes: dict[str, int] = {}  # calls still let through before a hold takes effect
        self._waiting: Counter[str] = Counter()

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

    def wait_until_held(self, method: str, *, timeout: float = 30.0) -> None:
        """Block until a call of `method` is waiting at its gate; AssertionError after `timeout`."""
        with self._lock:
            if not self._lock.wait_for(lambda: self._waiting[method] > 0, timeout):
                raise AssertionError(f"no call of {method} came to be held within {timeout} s")

    def pass_through(self, method: str, *, timeout: float = 30.0) -> None:
        """Wait while `method` is held (never longer than `timeout`)."""
        with self._lock:
            if method not in self._held:
                return
            if self._passes.get(method, 0) > 0:
                self._passes[method] -= 1
                return
            gate = self._open[method]
            self._waiting[method] += 1
            self._lock.notify_all()
        try:
            gate.wait(timeout)
        finally:
            with self._lock:
                self._waiting[method] -= 1
