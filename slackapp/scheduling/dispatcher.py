"""The dispatcher tick: plan due occurrences into the ledger, claim them, and send them gently.

Reminders live in our tables, not in APScheduler: a tick is safe to run in any number of processes at
once (row claims), and `kindly dispatch --now` runs exactly one as of a chosen instant.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from slackapp.practices.themes import theme_of_week
from slackapp.rendering.programs import team_prompt_message
from slackapp.rendering.reminders import reminder_message
from slackapp.scheduling.dnd import dnd_windows
from slackapp.scheduling.gentle import DueReminder, reason_to_skip, resume_after_dnd
from slackapp.scheduling.lanes import Lanes
from slackapp.scheduling.occurrences import zone_or_utc
from slackapp.scheduling.pacing import Pacer
from slackapp.scheduling.reminders import next_due
from slackapp.scheduling.sender import Posted, RateLimited, Unknown, Unreachable, post_once
from slackapp.scheduling.tick_report import TickReport, count_in_metrics, merge
from slackapp.services import Services
from slackapp.store.deliveries import Status, add_deliveries_once, claim_pending, finish, release
from slackapp.store.members import members_by_id
from slackapp.store.models import Delivery, Member, Schedule, TeamProgram
from slackapp.store.reflections import latest_reflections
from slackapp.store.schedules import lock_due_schedules

log = logging.getLogger(__name__)

RECORD_EVERY = 50  # deliveries whose outcome is written in one transaction
# Two messages of a workspace on the way at once, so one message's round trip overlaps the next one's;
# with one, a tick reached only 0.86 of the pace Slack allows (bench/scheduling.py).
SENDERS_PER_WORKSPACE = 2
# Claims take this many deliveries of each workspace in turn (one dnd.teamInfo call answers for 50).
LANE_CHUNK = 10
CLAIM_AHEAD_BATCHES = 20  # claimed deliveries waiting in the lanes, at most, in batches
# A 429 whose Retry-After is this short is waited out inside the tick; a longer one ends the
# workspace's lane for this tick and its reminders are claimed again on a later one.
WAIT_IN_TICK = timedelta(seconds=5)
MAX_WAITS_IN_TICK = 3
# A claim released unattempted (a failed lookup) waits this long, so that the same tick leaves it be.
RELEASED_FOR = timedelta(seconds=1)
UNREACHABLE_FOR = timedelta(minutes=1)


@dataclass(frozen=True)
class _Claimed:
    delivery_id: int
    schedule_id: int
    team_id: str
    user_id: str
    occurrence_at: datetime


class _TickClock:
    """'Now' during a tick: the instant it runs as of, plus the time the tick has taken so far."""

    def __init__(self, start: datetime, monotonic: Callable[[], float]) -> None:
        self._start, self._monotonic, self._began = start, monotonic, monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._monotonic() - self._began)


@dataclass(frozen=True)
class _Outcome:
    item: _Claimed
    at: datetime
    status: Status
    reason: str | None = None
    channel: str | None = None
    ts: str | None = None
    permanent: bool = False
    not_before: datetime | None = None  # for what goes back to the queue (refused, released)


@dataclass(frozen=True)
class _Ready:
    item: _Claimed
    message: dict[str, Any]
    # The person's workspace inside an org-wide install (None otherwise, or unknown): the org's token
    # must name it to dnd.teamInfo.
    workspace_id: str | None = None
    waits: int = 0  # 429s waited out in this tick


class _Tick:
    """One tick's shared state: its clock, its report, and outcomes waiting to be written."""

    def __init__(self, now: datetime, clock: _TickClock) -> None:
        self.now, self.clock = now, clock
        self.report = TickReport()
        self.lock = threading.Lock()
        self.outcomes: list[_Outcome] = []

    def add(self, outcome: _Outcome) -> list[_Outcome]:
        """Count an outcome; the outcomes to write now, when enough have gathered."""
        with self.lock:
            _count(self.report, outcome)
            self.outcomes.append(outcome)
            if len(self.outcomes) < RECORD_EVERY:
                return []
            due, self.outcomes = self.outcomes, []
            return due

    def merge(self, part: TickReport) -> None:
        with self.lock:
            merge(self.report, part)

    def problem(self, text: str) -> None:
        with self.lock:
            self.report.problems.append(text)


class Dispatcher:
    def __init__(
        self,
        services: Services,
        *,
        client_for: Callable[[str], WebClient],
        pacer: Pacer,
        post_digests: Callable[[datetime], int],
        grace: timedelta = timedelta(hours=2),
        sleep: Callable[[float], None] = time.sleep,
        batch_size: int = 500,
        workers: int = 16,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._services = services
        self._client_for = client_for
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
        tick = _Tick(now, _TickClock(now, self._monotonic))
        lanes: Lanes[_Ready, WebClient] = Lanes(
            self._pacer,
            send=lambda team_id, client, ready: self._send(tick, lanes, team_id, client, ready),
            per_lane=SENDERS_PER_WORKSPACE,
            sleep=self._sleep,
        )
        senders = [
            threading.Thread(target=lanes.serve, name=f"kindly-send-{n}", daemon=True)
            for n in range(self._workers)
        ]
        for sender in senders:
            sender.start()
        try:
            self._feed(tick, lanes)
        except Exception as error:  # the database went away mid-tick: release what waits, say so
            log.warning("the dispatcher tick stopped claiming: %s", type(error).__name__)
            tick.problem(f"claiming stopped ({type(error).__name__})")
            self._release(tick, lanes.abandon())
        finally:
            lanes.close()
            for sender in senders:
                sender.join()
            self._release(tick, lanes.abandon())  # none unless a job failed: never left claimed
            self._flush(tick)
        try:
            tick.report.digests = self._post_digests(now)
        except Exception as error:  # a lookup for one digest must not undo the reminders' tick
            log.warning("posting due digests failed: %s", type(error).__name__)
            tick.problem(f"digests ({type(error).__name__})")
        # An idle tick every 30 s says nothing at INFO; the scheduler's job logs a tick that did something.
        log.debug("dispatcher tick at %s: %s", now.isoformat(), tick.report.summary())
        count_in_metrics(tick.report)
        return tick.report

    def _feed(self, tick: _Tick, lanes: Lanes[_Ready, WebClient]) -> None:
        """Plan and claim batches and hand each workspace's part to a sender to prepare, staying a
        bounded number of claims ahead of what has been sent. The first batch goes out while the next
        is planned."""
        planning, ahead = True, self._batch_size * CLAIM_AHEAD_BATCHES
        served: set[str] = set()  # workspaces with a claim in this tick
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
            by_team: dict[str, list[_Claimed]] = defaultdict(list)
            for item in claimed:
                by_team[item.team_id].append(item)
            served.update(by_team)
            for team_id, items in by_team.items():
                lanes.add_task(partial(self._prepare, tick, lanes, team_id, items), size=len(items))

    def plan(self, now: datetime) -> int:
        """Add one delivery per due occurrence (unique per occurrence) and advance each schedule."""
        planned = 0
        while True:
            added, more = self._plan_batch(now)
            planned += added
            if not more:
                return planned

    def _plan_safely(self, tick: _Tick) -> tuple[int, bool]:
        """Plan one batch; also say whether more may be due."""
        try:
            return self._plan_batch(tick.now)
        except Exception as error:  # what was planned already is sent; the rest waits for the next tick
            log.warning("planning due reminders stopped: %s", type(error).__name__)
            tick.problem(f"planning stopped ({type(error).__name__})")
            return 0, False

    def _plan_batch(self, now: datetime) -> tuple[int, bool]:
        """Plan up to one batch of due schedules; also say whether more may be due."""
        with self._services.sessions.begin() as session:
            due = lock_due_schedules(session, now=now, limit=self._batch_size)
            occurrences: list[tuple[Schedule, datetime]] = []
            for schedule in due:
                if schedule.next_due_at is None:
                    continue
                try:
                    missed = _occurrences_to_plan(schedule, schedule.next_due_at, now, self._grace)
                    following = next_due(schedule, after=max(missed[-1], now))
                except (ValueError, OverflowError, AssertionError) as error:
                    log.warning("schedule %d cannot be planned (%s); stopped", schedule.id, error)
                    schedule.stopped_reason, schedule.next_due_at = "invalid_schedule", None
                    continue
                occurrences.extend((schedule, occurrence) for occurrence in missed)
                schedule.next_due_at = following
            added = add_deliveries_once(session, occurrences)
        return added, len(due) == self._batch_size

    def claim(self, now: datetime, *, served: Collection[str] = ()) -> list[_Claimed]:
        with self._services.sessions.begin() as session:
            claimed = claim_pending(
                session, now=now, limit=self._batch_size, lane_chunk=LANE_CHUNK, served=served
            )
            return [_Claimed(d.id, d.schedule_id, d.team_id, d.user_id, d.occurrence_at) for d in claimed]

    def _prepare(
        self, tick: _Tick, lanes: Lanes[_Ready, WebClient], team_id: str, items: list[_Claimed]
    ) -> None:
        """Check a workspace's claimed deliveries and queue what goes in its lane; on a failed lookup
        release them, unattempted, for the next tick."""
        checks = TickReport()
        try:
            ready = self._apply_gentle_rules(items, tick.clock.now(), checks)
            client = self._client_for(team_id) if ready else None
            if client is not None:
                ready = self._defer_during_dnd(client, ready, tick.clock.now(), checks)
        except Exception as error:
            log.warning(
                "preparing %d reminders of a workspace failed (%s); released for the next tick",
                len(items),
                type(error).__name__,
            )
            tick.problem(f"a workspace's reminders could not be prepared ({type(error).__name__})")
            lanes.discount(len(items))
            self._release(tick, [_Ready(item, {}) for item in items])
            return
        tick.merge(checks)
        if client is None:
            lanes.discount(len(items))
        else:
            lanes.add(team_id, client, ready, prepared=len(items))

    def _apply_gentle_rules(
        self, items: Sequence[_Claimed], now: datetime, report: TickReport
    ) -> list[_Ready]:
        """Decide, for a workspace's claimed deliveries at once, which go and which are skipped."""
        if not items:
            return []
        team_id = items[0].team_id
        users = {item.user_id for item in items}
        ready = []
        with self._services.sessions.begin() as session:
            deliveries = _by_id(session, Delivery, [item.delivery_id for item in items])
            schedules = _by_id(session, Schedule, [item.schedule_id for item in items])
            programs = _by_id(
                session, TeamProgram, [s.program_id for s in schedules.values() if s.program_id]
            )
            members = members_by_id(session, team_id=team_id, user_ids=users)
            latest = latest_reflections(session, team_id=team_id, user_ids=users)
            for item in items:
                delivery, schedule = deliveries.get(item.delivery_id), schedules.get(item.schedule_id)
                if delivery is None or schedule is None:
                    report.skipped["removed"] += 1
                    continue
                program = programs.get(schedule.program_id) if schedule.program_id else None
                member = members.get(item.user_id)
                try:
                    due = _due_reminder(schedule, program, member, latest.get(item.user_id), item)
                    reason = reason_to_skip(due, now=now, grace=self._grace)
                    message = self._message(schedule, program, item) if reason is None else {}
                except Exception as error:  # one bad row is skipped, never the batch
                    log.warning("delivery %d cannot be prepared (%s); skipped", item.delivery_id, error)
                    reason, message = "invalid", {}
                if reason is None:
                    ready.append(_Ready(item, message, _workspace_of(member, program)))
                    continue
                finish(session, delivery, status=Status.SKIPPED, now=now, reason=reason)
                schedule.last_reminder_at = max(
                    schedule.last_reminder_at or item.occurrence_at, item.occurrence_at
                )
                report.skipped[reason] += 1
        return ready

    def _message(self, schedule: Schedule, program: TeamProgram | None, item: _Claimed) -> dict[str, Any]:
        renderer = self._services.renderer
        if program is None:
            return reminder_message(renderer, variant=item.occurrence_at.toordinal())
        zone, _ = zone_or_utc(schedule.tz)
        day = item.occurrence_at.astimezone(zone).date()
        theme = theme_of_week(program.themes.split(","), start=program.start_date, day=day)
        return team_prompt_message(renderer, theme=theme, program_name=program.name, program_id=program.id)

    def _defer_during_dnd(
        self, client: WebClient, items: Sequence[_Ready], now: datetime, report: TickReport
    ) -> list[_Ready]:
        windows = dnd_windows(client, [(ready.workspace_id, ready.item.user_id) for ready in items])
        ready = []
        for waiting in items:
            item = waiting.item
            window = windows.get(item.user_id)
            if window is None or not window.covers(now):
                ready.append(waiting)
                continue
            resume_at = resume_after_dnd(window, occurrence_at=item.occurrence_at, now=now, grace=self._grace)
            with self._services.sessions.begin() as session:
                delivery = session.get(Delivery, item.delivery_id)
                if delivery is None:
                    continue
                if resume_at is None:
                    finish(session, delivery, status=Status.SKIPPED, now=now, reason="dnd")
                    report.skipped["dnd"] += 1
                else:
                    release(delivery, not_before=resume_at, reason="dnd")
                    report.deferred += 1
        return ready

    def _send(
        self, tick: _Tick, lanes: Lanes[_Ready, WebClient], team_id: str, client: WebClient, ready: _Ready
    ) -> None:
        item = ready.item
        now = tick.clock.now()
        # A long tick (a large fan-out at a low rate, or a 429) must not send what became late.
        if now - item.occurrence_at > self._grace:
            self._write(tick, _Outcome(item, now, Status.SKIPPED, reason="late"))
            return
        try:
            result = post_once(client, channel=item.user_id, message=ready.message, sleep=self._sleep)
        except Exception as error:  # never a traceback out of a sender; Slack may have seen it
            log.warning("posting a reminder failed unexpectedly (%s)", type(error).__name__)
            result = Unknown(reason="error")
        now = tick.clock.now()
        if isinstance(result, RateLimited):
            self._rate_limited(tick, lanes, team_id, ready, result.retry_after, now)
            return
        if isinstance(result, Posted):
            self._pacer.recover(team_id)
            outcome = _Outcome(item, now, Status.SENT, channel=result.channel, ts=result.ts)
        elif isinstance(result, Unknown):
            outcome = _Outcome(item, now, Status.UNKNOWN, reason=result.reason)
        elif isinstance(result, Unreachable):
            later = now + UNREACHABLE_FOR
            outcome = _Outcome(item, now, Status.REFUSED, reason="slack_unreachable", not_before=later)
        else:
            outcome = _Outcome(item, now, Status.FAILED, reason=result.error, permanent=result.permanent)
        self._write(tick, outcome)

    def _rate_limited(
        self,
        tick: _Tick,
        lanes: Lanes[_Ready, WebClient],
        team_id: str,
        ready: _Ready,
        retry_after: float,
        now: datetime,
    ) -> None:
        """Slack did not post it: slow the workspace down; wait a short Retry-After out in this tick,
        else leave this workspace's reminders to a later tick."""
        self._pacer.slow_down(team_id, retry_after)
        wait = timedelta(seconds=retry_after)
        if wait <= WAIT_IN_TICK and ready.waits < MAX_WAITS_IN_TICK:
            lanes.put_back(team_id, replace(ready, waits=ready.waits + 1))
            return
        later = now + wait
        self._write(tick, _Outcome(ready.item, now, Status.REFUSED, reason="rate_limited", not_before=later))
        waiting = lanes.take_all(team_id)
        if waiting:
            log.info(
                "a workspace asked to wait %.0f s: %d reminders left to a later tick",
                retry_after,
                len(waiting),
            )
        for other in waiting:
            self._write(
                tick, _Outcome(other.item, now, Status.PENDING, reason="rate_limited", not_before=later)
            )

    def _release(self, tick: _Tick, items: Sequence[_Ready]) -> None:
        """Claims never attempted go back to the queue for a later tick."""
        if not items:
            return
        later = tick.now + RELEASED_FOR
        outcomes = [
            _Outcome(ready.item, tick.clock.now(), Status.PENDING, reason="released", not_before=later)
            for ready in items
        ]
        with tick.lock:
            tick.report.released += len(outcomes)
        try:
            self._record(outcomes)
        except Exception as error:
            log.warning("releasing %d claims failed (%s)", len(outcomes), type(error).__name__)

    def _write(self, tick: _Tick, outcome: _Outcome) -> None:
        if due := tick.add(outcome):
            self._record(due)

    def _flush(self, tick: _Tick) -> None:
        with tick.lock:
            due, tick.outcomes = tick.outcomes, []
        self._record(due)

    def _record(self, outcomes: Sequence[_Outcome]) -> None:
        """Write what happened to a run of deliveries in one transaction (they are claimed already, so a
        crash before this line can lose a status, never cause a second send)."""
        if not outcomes:
            return
        with self._services.sessions.begin() as session:
            deliveries = _by_id(session, Delivery, [o.item.delivery_id for o in outcomes])
            schedules = _by_id(session, Schedule, [o.item.schedule_id for o in outcomes])
            for outcome in outcomes:
                delivery = deliveries.get(outcome.item.delivery_id)
                schedule = schedules.get(outcome.item.schedule_id)
                if delivery is not None and outcome.not_before is not None:
                    # Only a claim still held goes back: never one another path finished meanwhile.
                    if delivery.status == Status.CLAIMED.value:
                        release(
                            delivery,
                            not_before=outcome.not_before,
                            reason=outcome.reason,
                            status=outcome.status,
                        )
                elif delivery is not None:
                    finish(
                        session,
                        delivery,
                        status=outcome.status,
                        now=outcome.at,
                        reason=outcome.reason,
                        channel=outcome.channel,
                        message_ts=outcome.ts,
                    )
                if schedule is None:
                    continue
                if outcome.status in (Status.SENT, Status.UNKNOWN):
                    schedule.last_reminder_at = outcome.at
                elif outcome.permanent:
                    schedule.stopped_reason = outcome.reason
                    schedule.next_due_at = None


def _occurrences_to_plan(
    schedule: Schedule, due_at: datetime, now: datetime, grace: timedelta
) -> list[datetime]:
    """The occurrence the schedule was due at, and, after downtime made that one late, the latest one
    still inside the grace window: that one is sent, the stale one is recorded as skipped."""
    if now - due_at <= grace:
        return [due_at]
    latest = None
    candidate = next_due(schedule, after=now - grace)
    while candidate is not None and candidate <= now:
        latest = candidate
        candidate = next_due(schedule, after=candidate)
    return [due_at] if latest is None else [due_at, latest]


def _by_id(session: Session, model: Any, ids: Sequence[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(set(ids))))}


def _workspace_of(member: Member | None, program: TeamProgram | None) -> str | None:
    """The person's own workspace when a request of theirs said it, else their program's."""
    if member is not None and member.workspace_id:
        return member.workspace_id
    return program.workspace_id if program is not None else None


def _due_reminder(
    schedule: Schedule,
    program: TeamProgram | None,
    member: Member | None,
    latest_reflection: datetime | None,
    item: _Claimed,
) -> DueReminder:
    zone, _ = zone_or_utc(schedule.tz)
    since = schedule.last_reminder_at or schedule.created_at
    personal = schedule.program_id is None
    return DueReminder(
        occurrence_at=item.occurrence_at,
        local_day=item.occurrence_at.astimezone(zone).date(),
        paused_until=schedule.paused_until,
        stopped=schedule.stopped_reason is not None,
        quiet_on=member.quiet_on if member else None,
        reflected_since_last=personal and latest_reflection is not None and latest_reflection > since,
        program_active=personal or (program is not None and program.status == "active"),
        opted_out=not personal and member is not None and not member.team_prompts,
    )


def _count(report: TickReport, outcome: _Outcome) -> None:
    if outcome.status is Status.SENT:
        report.sent += 1
    elif outcome.status is Status.SKIPPED:
        report.skipped[outcome.reason or "skipped"] += 1
    elif outcome.status is Status.UNKNOWN:
        report.unknown[outcome.reason or "unknown"] += 1
    elif outcome.status is Status.REFUSED:
        report.refused += 1
    elif outcome.status is Status.PENDING:
        report.released += 1
    else:
        report.failed[outcome.reason or "failed"] += 1
