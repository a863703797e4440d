"""One tick's shared state: its clock, its report, and the outcomes waiting to be written.

The senders of a tick run in threads; they count and hand over outcomes here, under one lock, and
every RECORD_EVERY outcomes are written to the ledger in one transaction.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from slackapp.scheduling.outcomes import Outcome, count_outcome, record_outcomes
from slackapp.scheduling.planning import Claimed
from slackapp.scheduling.tick_report import TickReport, merge
from slackapp.store.db import SessionFactory
from slackapp.store.deliveries import Status

log = logging.getLogger(__name__)

RECORD_EVERY = 50  # deliveries whose outcome is written in one transaction
# A claim released unattempted (a failed lookup) waits this long, so that the same tick leaves it be.
RELEASED_FOR = timedelta(seconds=1)


class TickClock:
    """'Now' during a tick: the instant it runs as of, plus the time the tick has taken so far."""

    def __init__(self, start: datetime, monotonic: Callable[[], float]) -> None:
        self._start, self._monotonic, self._began = start, monotonic, monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._monotonic() - self._began)


class Tick:
    def __init__(self, now: datetime, clock: TickClock, sessions: SessionFactory) -> None:
        self.now, self.clock = now, clock
        self.report = TickReport()
        self.lock = threading.Lock()
        self._sessions = sessions
        self._outcomes: list[Outcome] = []
        # Workspaces Slack asked, in this tick, to wait longer than a tick waits (a long Retry-After).
        self.told_to_wait: set[str] = set()

    def write(self, outcome: Outcome) -> None:
        """Count an outcome; write the waiting ones when enough have gathered."""
        with self.lock:
            count_outcome(self.report, outcome)
            self._outcomes.append(outcome)
            if len(self._outcomes) < RECORD_EVERY:
                return
            due, self._outcomes = self._outcomes, []
        record_outcomes(self._sessions, due)

    def flush(self) -> None:
        """Write every outcome still waiting."""
        with self.lock:
            due, self._outcomes = self._outcomes, []
        record_outcomes(self._sessions, due)

    def release(self, items: Sequence[Claimed]) -> None:
        """Claims never attempted go back to the queue for a later tick."""
        if not items:
            return
        later = self.now + RELEASED_FOR
        outcomes = [
            Outcome(item, self.clock.now(), Status.PENDING, reason="released", not_before=later)
            for item in items
        ]
        with self.lock:
            self.report.released += len(outcomes)
        try:
            record_outcomes(self._sessions, outcomes)
        except Exception as error:
            log.warning("releasing %d claims failed (%s)", len(outcomes), type(error).__name__)

    def merge(self, part: TickReport) -> None:
        with self.lock:
            merge(self.report, part)

    def problem(self, text: str) -> None:
        with self.lock:
            self.report.problems.append(text)
