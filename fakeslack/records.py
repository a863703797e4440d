"""The log of every request the fake received, with waiting on a condition."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RecordedCall:
    """One request to the fake: a Web API method, or `"response_url"` / `"upload"`."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    answered_status: int = 200
    answered_error: str | None = None
    answer: dict[str, Any] | None = None  # the JSON object the fake answered, when it answered JSON
    acted: bool | None = None  # True: the fake did what was asked whatever it answered (None: as answered)

    @property
    def ok(self) -> bool:
        """Whether the fake answered with success."""
        return self.answered_status < 400 and self.answered_error is None

    @property
    def delivered(self) -> bool:
        """Whether the call took effect (a message posted), even if its answer said otherwise or was late."""
        return self.ok if self.acted is None else self.acted


class CallLog:
    """Thread-safe, append-only list of calls; `wait_for` blocks until enough calls arrived."""

    def __init__(self) -> None:
        self._calls: list[RecordedCall] = []
        self._changed = threading.Condition()

    def append(self, call: RecordedCall) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        with self._changed:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for_more(self, seen: int, *, timeout: float) -> int:
        """Block until more than `seen` calls were recorded or `timeout` passed; return how many there are."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._calls) <= seen:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
            return len(self._calls)

    def clear(self) -> None:
        with self._changed:
            self._calls.clear()
            self._changed.notify_all()

    def wait_for(self, method: str, *, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        """Return the calls of `method` once there are at least `count`; raise AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                matching = [c for c in self._calls if c.method == method]
                if len(matching) >= count:
                    return matching
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = dict(Counter(c.method for c in self._calls))
                    raise AssertionError(
                        f"expected {count} call(s) of {method!r} within {timeout}s, "
                        f"got {len(matching)}; methods seen: {seen}"
                    )
                self._changed.wait(remaining)
