"""The dispatcher tick: plan due occurrences into the ledger, claim them, and send them gently.

Reminders live in our tables, not in APScheduler: a tick is safe to run in any number of processes at
once (row claims), and `kindly dispatch --now` runs exactly one as of a chosen instant. This module runs
the tick; planning.py plans and claims, preparing.py applies the gentle rules, sending.py sends from the
workspaces' lanes, outcomes.py and tick.py write down what became of each delivery.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial

from slack_sdk import WebClient

from slackapp.scheduling.lanes import Lanes
from slackapp.scheduling.outcomes import Outcome
from slackapp.scheduling.pacing import Pacer
from slackapp.scheduling.planning import Claimed, claim_batch, plan_batch
from slackapp.scheduling.preparing import Messages, Ready, apply_gentle_rules, defer_during_dnd
from slackapp.scheduling.sending import ReminderSender
from slackapp.scheduling.tick import Tick, TickClock
from slackapp.scheduling.tick_report import TickReport, count_in_metrics
from slackapp.services import Services
from slackapp.store.deliveries import Status

log = logging.getLogger(__name__)

# Two messages of a workspace on the way at once, so one message's round trip overlaps the next one's;
# with one, a tick reached only 0.86 of the pace Slack allows (bench/scheduling.py).
SENDERS_PER_WORKSPACE = 2
CLAIM_AHEAD_BATCHES = 20  # claimed deliveries waiting in the lanes, at most, in batches


class Dispatcher:
    def __init__(
        self,
        services: Services,
        *,
        clients_for: Callable[[Collection[str]], Mapping[str, WebClient]],
        pacer: Pacer,
        post_digests: Callable[[datetime], int],
        grace: timedelta = timedelta(hours=2),
        sleep: Callable[[float], None] = time.sleep,
        batch_size: int = 500,
        workers: int = 16,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._services = services
        self._clients_for = clients_for
        self._pacer = pacer
        self._post_digests = post_digests
        self._grace = grace
        self._sleep = sleep
        self._batch_size = batch_size
        self._workers = workers
        self._monotonic = monotonic

    def tick(self, now: datetime) -> TickReport:
        """One pass as of `now`: plan every due occurrence, then claim and send until none is ready.

        Claimed deliveries are prepared (gentle rules, Do Not Disturb) per workspace and queued in the
        workspace's lane; a bounded pool of senders serves the lanes in turn, each at its own pace, while
        the feeder claims more. A claim never attempted (a lookup failed, the tick stopped) is released.
        """
        now = now.astimezone(UTC)
        tick = Tick(now, TickClock(now, self._monotonic), self._services.sessions)
        sender = ReminderSender(self._pacer, self._grace, self._sleep)
        lanes: Lanes[Ready, WebClient] = Lanes(
            self._pacer,
            send=lambda team_id, client, ready: sender.send(tick, lanes, team_id, client, ready),
            per_lane=SENDERS_PER_WORKSPACE,
            sleep=self._sleep,
        )
        threads = [
            threading.Thread(target=lanes.serve, name=f"kindly-send-{n}", daemon=True)
            for n in range(self._workers)
        ]
        for thread in threads:
            thread.start()
        try:
            self._feed(tick, lanes)
        except Exception as error:  # the database went away mid-tick: release what waits, say so
            log.warning("the dispatcher tick stopped claiming: %s", type(error).__name__)
            tick.problem(f"claiming stopped ({type(error).__name__})")
            tick.release([ready.item for ready in lanes.abandon()])
        finally:
            lanes.close()
            for thread in threads:
                thread.join()
            # None unless a job failed: a claim is never left claimed.
            tick.release([ready.item for ready in lanes.abandon()])
            tick.flush()
        try:
            tick.report.digests = self._post_digests(now)
        except Exception as error:  # a lookup for one digest must not undo the reminders' tick
            log.warning("posting due digests failed: %s", type(error).__name__)
            tick.problem(f"digests ({type(error).__name__})")
        # An idle tick every 30 s says nothing at INFO; the scheduler's job logs a tick that did something.
        log.debug("dispatcher tick at %s: %s", now.isoformat(), tick.report.summary())
        count_in_metrics(tick.report)
        return tick.report

    def _feed(self, tick: Tick, lanes: Lanes[Ready, WebClient]) -> None:
        """Plan and claim batches and hand each workspace's part to a sender to prepare, staying a
        bounded number of claims ahead of what has been sent. The first batch goes out while the next
        is planned."""
        planning, ahead = True, self._batch_size * CLAIM_AHEAD_BATCHES
        served: set[str] = set()  # workspaces with a claim in this tick
        messages = Messages(self._services.renderer)
        while True:
            if planning:
                added, planning = self._plan_safely(tick)
                with tick.lock:
                    tick.report.planned += added
                if lanes.full(ahead):
                    continue  # plan on while the lanes are full: claims then take every workspace in turn
            else:
                lanes.wait_for_room(ahead)
            claimed = self.claim(tick.now, served=served)
            if not claimed:
                if planning:
                    continue
                return
            served.update(item.team_id for item in claimed)
            by_team: dict[str, list[Ready]] = defaultdict(list)
            for ready in self._check(tick, claimed, messages):
                by_team[ready.item.team_id].append(ready)
            clients = self._clients(tick, by_team)
            for team_id, client in clients.items():
                readies = by_team[team_id]
                lanes.add_task(
                    partial(self._prepare, tick, lanes, team_id, client, readies), size=len(readies)
                )

    def _plan_batch(self, now: datetime) -> tuple[int, bool]:
        return plan_batch(self._services.sessions, now=now, limit=self._batch_size, grace=self._grace)

    def plan(self, now: datetime) -> int:
        """Add one delivery per due occurrence (unique per occurrence) and advance each schedule."""
        planned = 0
        while True:
            added, more = self._plan_batch(now)
            planned += added
            if not more:
                return planned

    def _plan_safely(self, tick: Tick) -> tuple[int, bool]:
        """Plan one batch; also say whether more may be due."""
        try:
            return self._plan_batch(tick.now)
        except Exception as error:  # what was planned already is sent; the rest waits for the next tick
            log.warning("planning due reminders stopped: %s", type(error).__name__)
            tick.problem(f"planning stopped ({type(error).__name__})")
            return 0, False

    def claim(self, now: datetime, *, served: Collection[str] = ()) -> list[Claimed]:
        return claim_batch(self._services.sessions, now=now, limit=self._batch_size, served=served)

    def _check(self, tick: Tick, claimed: list[Claimed], messages: Messages) -> list[Ready]:
        """The gentle rules over a whole claim in one transaction; if the database fails, the claim is
        released, unattempted, for the next tick."""
        checks = TickReport()
        try:
            ready = apply_gentle_rules(
                self._services, claimed, tick.clock.now(), checks, grace=self._grace, messages=messages
            )
        except Exception as error:
            log.warning(
                "checking %d claimed reminders failed (%s); released for the next tick",
                len(claimed),
                type(error).__name__,
            )
            tick.problem(f"reminders could not be checked ({type(error).__name__})")
            tick.release(claimed)
            return []
        tick.merge(checks)
        return ready

    def _clients(self, tick: Tick, by_team: Mapping[str, list[Ready]]) -> Mapping[str, WebClient]:
        """Each workspace's client (its token); if they cannot be read, the claim is released."""
        try:
            return self._clients_for(by_team.keys())
        except Exception as error:
            log.warning(
                "reading the workspaces' tokens failed (%s); released for the next tick", type(error).__name__
            )
            tick.problem(f"tokens could not be read ({type(error).__name__})")
            tick.release([ready.item for readies in by_team.values() for ready in readies])
            return {}

    def _prepare(
        self, tick: Tick, lanes: Lanes[Ready, WebClient], team_id: str, client: WebClient, items: list[Ready]
    ) -> None:
        """Hold back who is in Do Not Disturb, and queue the rest in the workspace's lane; on a failed
        lookup release them, unattempted, for the next tick."""
        with tick.lock:
            told_to_wait = team_id in tick.told_to_wait
        if told_to_wait:
            # Slack asked this workspace, in this tick, to wait longer than a tick waits: what a later
            # claim brought joins the reminders its 429 left to a later tick, rather than keep this open.
            now = tick.clock.now()
            later = now + timedelta(seconds=self._pacer.held_for(team_id))
            for waiting in items:
                tick.write(
                    Outcome(waiting.item, now, Status.PENDING, reason="rate_limited", not_before=later)
                )
            lanes.discount(len(items))
            return
        checks = TickReport()
        try:
            ready = defer_during_dnd(
                self._services, client, items, tick.clock.now(), checks, grace=self._grace
            )
        except Exception as error:
            log.warning(
                "preparing %d reminders of a workspace failed (%s); released for the next tick",
                len(items),
                type(error).__name__,
            )
            tick.problem(f"a workspace's reminders could not be prepared ({type(error).__name__})")
            lanes.discount(len(items))
            tick.release([waiting.item for waiting in items])
            return
        tick.merge(checks)
        lanes.add(team_id, client, ready, prepared=len(items))
