"""Acknowledging a view submission within Slack's 3 seconds, whatever the work behind it takes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from slackapp.flows.responses import ViewResponse

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
        self._timer = threading.Timer(seconds, self._time_is_up)
        self._timer.daemon = True
        self._timer.start()

    def answer(self, response: ViewResponse) -> bool:
        """Acknowledge with `response` unless the stand-in was sent already; whether it was sent."""
        self._timer.cancel()
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
