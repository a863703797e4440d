"""Holding a method's answers until a test releases them: to show that work happens after an ack, or
that one workspace's slow Slack holds back nobody else.

A gate holds calls of a method, of one workspace (by the token's install) or of any; before acting
(nothing happened yet) or after acting (the message is posted, only the answer is late: a client that
gives up waiting cannot know it was posted).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

ANY_TEAM = "*"


@dataclass
class _Gate:
    after_delivery: bool
    seconds: float | None = None  # each call waits at most this long: a slow Slack rather than a stuck one
    opened: threading.Event = field(default_factory=threading.Event)


class Gates:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._gates: dict[tuple[str, str], _Gate] = {}

    def hold(
        self,
        method: str,
        *,
        team: str | None = None,
        after_delivery: bool = False,
        seconds: float | None = None,
    ) -> None:
        with self._lock:
            self._gates[(method, team or ANY_TEAM)] = _Gate(after_delivery, seconds)

    def release(self, method: str, *, team: str | None = None) -> None:
        with self._lock:
            gate = self._gates.pop((method, team or ANY_TEAM), None)
        if gate is not None:
            gate.opened.set()

    def holds_after_delivery(self, method: str, team: str | None) -> bool:
        gate = self._gate(method, team)
        return gate is not None and gate.after_delivery

    def pass_through(
        self, method: str, *, team: str | None = None, after_delivery: bool = False, timeout: float = 30.0
    ) -> None:
        """Wait while `method` (of `team`) is held at this stage (never longer than `timeout`)."""
        gate = self._gate(method, team)
        if gate is not None and gate.after_delivery == after_delivery:
            gate.opened.wait(timeout if gate.seconds is None else min(timeout, gate.seconds))

    def _gate(self, method: str, team: str | None) -> _Gate | None:
        with self._lock:
            return self._gates.get((method, team or ANY_TEAM)) or self._gates.get((method, ANY_TEAM))
