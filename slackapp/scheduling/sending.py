"""Sending one prepared reminder from its workspace's lane, and what its answer means for the lane.

A reminder that became late while it waited is skipped, not sent. A 429 slows the workspace down: a
short Retry-After is waited out inside the tick, a longer one leaves the workspace's reminders to a
later tick. Every other answer becomes the delivery's outcome (see sender.py for what each means).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from slack_sdk import WebClient

from slackapp.scheduling.lanes import Lanes
from slackapp.scheduling.outcomes import Outcome
from slackapp.scheduling.pacing import Pacer
from slackapp.scheduling.preparing import Ready
from slackapp.scheduling.sender import Posted, RateLimited, Unknown, Unreachable, post_once
from slackapp.scheduling.tick import Tick
from slackapp.store.deliveries import Status

log = logging.getLogger(__name__)

# A 429 whose Retry-After is this short is waited out inside the tick; a longer one ends the
# workspace's lane for this tick and its reminders are claimed again on a later one.
WAIT_IN_TICK = timedelta(seconds=5)
MAX_WAITS_IN_TICK = 3
UNREACHABLE_FOR = timedelta(minutes=1)


@dataclass(frozen=True)
class ReminderSender:
    pacer: Pacer
    grace: timedelta
    sleep: Callable[[float], None]

    def send(
        self, tick: Tick, lanes: Lanes[Ready, WebClient], team_id: str, client: WebClient, ready: Ready
    ) -> None:
        item = ready.item
        now = tick.clock.now()
        # A long tick (a large fan-out at a low rate, or a 429) must not send what became late.
        if now - item.occurrence_at > self.grace:
            tick.write(Outcome(item, now, Status.SKIPPED, reason="late"))
            return
        try:
            result = post_once(client, channel=item.user_id, message=ready.message, sleep=self.sleep)
        except Exception as error:  # never a traceback out of a sender; Slack may have seen it
            log.warning("posting a reminder failed unexpectedly (%s)", type(error).__name__)
            result = Unknown(reason="error")
        now = tick.clock.now()
        if isinstance(result, RateLimited):
            self._rate_limited(tick, lanes, team_id, ready, result.retry_after, now)
            return
        if isinstance(result, Posted):
            self.pacer.recover(team_id)
            outcome = Outcome(item, now, Status.SENT, channel=result.channel, ts=result.ts)
        elif isinstance(result, Unknown):
            outcome = Outcome(item, now, Status.UNKNOWN, reason=result.reason)
        elif isinstance(result, Unreachable):
            later = now + UNREACHABLE_FOR
            outcome = Outcome(item, now, Status.REFUSED, reason="slack_unreachable", not_before=later)
        else:
            outcome = Outcome(item, now, Status.FAILED, reason=result.error, permanent=result.permanent)
        tick.write(outcome)

    def _rate_limited(
        self,
        tick: Tick,
        lanes: Lanes[Ready, WebClient],
        team_id: str,
        ready: Ready,
        retry_after: float,
        now: datetime,
    ) -> None:
        """Slack did not post it: slow the workspace down; wait a short Retry-After out in this tick,
        else leave this workspace's reminders to a later tick."""
        self.pacer.slow_down(team_id, retry_after)
        wait = timedelta(seconds=retry_after)
        if wait <= WAIT_IN_TICK and ready.waits < MAX_WAITS_IN_TICK:
            lanes.put_back(team_id, replace(ready, waits=ready.waits + 1))
            return
        later = now + wait
        with tick.lock:
            tick.told_to_wait.add(team_id)
        tick.write(Outcome(ready.item, now, Status.REFUSED, reason="rate_limited", not_before=later))
        waiting = lanes.take_all(team_id)
        if waiting:
            log.info(
                "a workspace asked to wait %.0f s: %d reminders left to a later tick",
                retry_after,
                len(waiting),
            )
        for other in waiting:
            tick.write(Outcome(other.item, now, Status.PENDING, reason="rate_limited", not_before=later))
