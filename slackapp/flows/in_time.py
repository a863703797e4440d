"""Acknowledging a view submission within Slack's 3 seconds, whatever the work behind it takes."""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from slackapp.flows.responses import ViewResponse

log = logging.getLogger(__name__)

# Bolt answers Slack when ack() is called, and gives up 3 s after the listener started; Slack's own
# 3 s include the network both ways. A stand-in at 2 s leaves a margin for both.
ACK_WITHIN_SECONDS = 2.0


class AckInTime:
    """Acknowledges with the real answer if it is ready in time, else with `stand_in()` when time is up
    (made only then: most answers are in time).

    Exactly one of the two is sent. `answer()` says which: False means the stand-in went first, so
    the caller must bring the real answer to the person another way (views.update).
    """

    def __init__(
        self,
        ack: Callable[..., Any],
        stand_in: Callable[[], ViewResponse],
        *,
        seconds: float = ACK_WITHIN_SECONDS,
    ) -> None:
        self._ack = ack
        self._stand_in = stand_in
        self._lock = threading.Lock()
        self._acked = False
        _WATCHDOG.watch(time.monotonic() + seconds, self._time_is_up)

    def answer(self, response: ViewResponse) -> bool:
        """Acknowledge with `response` unless the stand-in was sent already; whether it was sent."""
        if not self._claim():
            return False
        self._ack(**response.ack_kwargs())
        return True

    def _time_is_up(self) -> None:
        if self._claim():
            self._ack(**self._stand_in().ack_kwargs())

    def _claim(self) -> bool:
        with self._lock:
            first, self._acked = not self._acked, True
            return first


class _Watchdog:
    """One thread that calls each callback at its time (a thread per request would make every save
    wait, under load, for a new thread to be scheduled before it could start)."""

    def __init__(self) -> None:
        self._due = threading.Condition()
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._owner_pid = 0  # the process whose thread serves the heap (a fork has none)

    def watch(self, at: float, callback: Callable[[], None]) -> None:
        with self._due:
            heapq.heappush(self._heap, (at, next(self._order), callback))
            if self._owner_pid != os.getpid():
                self._owner_pid = os.getpid()
                threading.Thread(target=self._run, name="kindly-ack-watchdog", daemon=True).start()
            elif self._heap[0][2] is callback:
                self._due.notify()

    def _run(self) -> None:
        while True:
            with self._due:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    self._due.wait(self._heap[0][0] - time.monotonic() if self._heap else None)
                _, _, callback = heapq.heappop(self._heap)
            try:
                callback()
            except Exception:  # the watchdog must outlive one failed stand-in
                log.exception("a stand-in acknowledgement failed")


_WATCHDOG = _Watchdog()
