"""Holding a method's answers until a test releases them: to show that work happens after an ack, what
the app does while a call is unanswered, or that one workspace's slow Slack holds back nobody else.

A gate holds calls of a method, of one workspace (by the token's install) or of any; before acting
(nothing happened yet) or after acting (the message is posted, only the answer is late: a client that
gives up waiting cannot know it was posted). The first `after` calls may pass before the hold begins.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

ANY_TEAM = "*"


@dataclass
class _Gate:
    after_delivery: bool
    seconds: float | None = None  # each call waits at most this long: a slow Slack rather than a stuck one
    passes: int = 0  # calls still let through before the hold takes effect
    opened: threading.Event = field(default_factory=threading.Event)


class Gates:
    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._gates: dict[tuple[str, str], _Gate] = {}
        self._waiting: Counter[str] = Counter()

    def hold(
        self,
        method: str,
        *,
        team: str | None = None,
        after_delivery: bool = False,
        seconds: float | None = None,
        after: int = 0,
    ) -> None:
        with self._lock:
            self._gates[(method, team or ANY_TEAM)] = _Gate(after_delivery, seconds, passes=after)

    def release(self, method: str, *, team: str | None = None) -> None:
        with self._lock:
            gate = self._gates.pop((method, team or ANY_TEAM), None)
        if gate is not None:
            gate.opened.set()

    def holds_after_delivery(self, method: str, team: str | None) -> bool:
        gate = self._gate(method, team)
        return gate is not None and gate.after_delivery

    def wait_until_held(self, method: str, *, timeout: float = 30.0) -> None:
        """Block until a call of `method` is waiting at its gate; AssertionError after `timeout`."""
        with self._lock:
            if not self._lock.wait_for(lambda: self._waiting[method] > 0, timeout):
                raise AssertionError(f"no call of {method} came to be held within {timeout} s")

    def pass_through(
        self, method: str, *, team: str | None = None, after_delivery: bool = False, timeout: float = 30.0
    ) -> None:
        """Wait while `method` (of `team`) is held at this stage (never longer than `timeout`)."""
        with self._lock:
            gate = self._gates.get((method, team or ANY_TEAM)) or self._gates.get((method, ANY_TEAM))
            if gate is None or gate.after_delivery != after_delivery:
                return
            if gate.passes > 0:
                gate.passes -= 1
                return
            self._waiting[method] += 1
            self._lock.notify_all()
        try:
            gate.opened.wait(timeout if gate.seconds is None else min(timeout, gate.seconds))
        finally:
            with self._lock:
                self._waiting[method] -= 1

    def _gate(self, method: str, team: str | None) -> _Gate | None:
        with self._lock:
            return self._gates.get((method, team or ANY_TEAM)) or self._gates.get((method, ANY_TEAM))
