"""The dispatcher tick: plan due occurrences into the ledger, claim them, and send them gently.

Reminders live in our tables, not in APScheduler: a tick is safe to run in any number of processes at
once (row claims), and `kindly dispatch --now` runs exactly one as of a chosen instant.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from slackapp import metrics
from slackapp.practices.themes import theme_of_week
from slackapp.rendering.programs import team_prompt_message
from slackapp.rendering.reminders import reminder_message
from slackapp.scheduling.digests import post_due_digests
from slackapp.scheduling.dnd import dnd_windows
from slackapp.scheduling.gentle import DueReminder, reason_to_skip, reason_told, resume_after_dnd
from slackapp.scheduling.occurrences import zone_or_utc
from slackapp.scheduling.pacing import Pacer
from slackapp.scheduling.reminders import next_due
from slackapp.scheduling.sender import Posted, TooLate, post_paced
from slackapp.services import Services
from slackapp.store.deliveries import Status, add_deliveries_once, claim_pending, finish, release
from slackapp.store.members import members_by_id
from slackapp.store.models import Delivery, Member, Schedule, TeamProgram
from slackapp.store.reflections import latest_reflections
from slackapp.store.schedules import lock_due_schedules

log = logging.getLogger(__name__)

RECORD_EVERY = 50  # deliveries whose outcome is written in one transaction
# Two senders per workspace share its pacer, so one message's round trip overlaps the next one's;
# with one, a tick reached only 0.86 of the pace Slack allows (bench/scheduling.py).
SENDERS_PER_WORKSPACE = 2


@dataclass
class TickReport:
    planned: int = 0
    sent: int = 0
    digests: int = 0
    deferred: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)

    def skipped_told(self) -> Counter[str]:
        """The skips as logs and metrics may tell them: what a person did or chose is only "private"."""
        told: Counter[str] = Counter()
        for reason, count in self.skipped.items():
            told[reason_told(reason)] += count
        return told

    def summary(self) -> str:
        told = sorted(self.skipped_told().items())
        skipped = ", ".join(f"{reason} {count}" for reason, count in told) or "none"
        failed = ", ".join(f"{reason} {count}" for reason, count in sorted(self.failed.items())) or "none"
        return (
            f"planned {self.planned}, sent {self.sent}, deferred {self.deferred}, "
            f"skipped: {skipped}, failed: {failed}, digests {self.digests}"
        )


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


@dataclass(frozen=True)
class _Ready:
    item: _Claimed
    message: dict[str, Any]
    # The person's workspace inside an org-wide install (None otherwise, or unknown): the org's token
    # must name it to dnd.teamInfo.
    workspace_id: str | None = None


@dataclass(frozen=True)
class _TeamBatch:
    """One workspace's part of a batch: what passed the gentle rules and DND, and the client to send it."""

    client: WebClient
    ready: list[_Ready]


class Dispatcher:
    def __init__(
        self,
        services: Services,
        *,
        client_for: Callable[[str], WebClient],
        pacer: Pacer,
        grace: timedelta = timedelta(hours=2),
        sleep: Callable[[float], None] = time.sleep,
        batch_size: int = 500,
        workers: int = 8,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._services = services
        self._client_for = client_for
        self._pacer = pacer
        self._grace = grace
        self._sleep = sleep
        self._batch_size = batch_size
        self._workers = workers
        self._monotonic = monotonic
        self._report_lock = threading.Lock()

    def tick(self, now: datetime) -> TickReport:
        """One pass as of `now`: plan every due occurrence, then claim and send until none is ready.

        The next batch is planned, claimed and checked (gentle rules, Do Not Disturb) on a second thread
        while the current one is sent, so the workspace's pace never waits for the database or dnd.teamInfo.
        """
        now = now.astimezone(UTC)
        report = TickReport()
        clock = _TickClock(now, self._monotonic)
        batches = self._batches(now, clock, report)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kindly-prepare") as preparer:
            upcoming = preparer.submit(next, batches, None)
            while (batch := upcoming.result()) is not None:
                upcoming = preparer.submit(next, batches, None)
                self._deliver(batch, clock, report)
        report.digests = post_due_digests(self._services, self._client_for, now)
        log.info("dispatcher tick at %s: %s", now.isoformat(), report.summary())
        metrics.record_tick(report)
        return report

    def plan(self, now: datetime) -> int:
        """Add one delivery per due occurrence (unique per occurrence) and advance each schedule."""
        planned = 0
        while True:
            added, more = self._plan_batch(now)
            planned += added
            if not more:
                return planned

    def _plan_batch(self, now: datetime) -> tuple[int, bool]:
        """Plan up to one batch of due schedules; also say whether more may be due."""
        with self._services.sessions.begin() as session:
            due = lock_due_schedules(session, now=now, limit=self._batch_size)
            occurrences = [(schedule, schedule.next_due_at) for schedule in due if schedule.next_due_at]
            added = add_deliveries_once(session, occurrences)
            for schedule, occurrence in occurrences:
                schedule.next_due_at = next_due(schedule, after=max(occurrence, now))
        return added, len(due) == self._batch_size

    def claim(self, now: datetime) -> list[_Claimed]:
        with self._services.sessions.begin() as session:
            return [
                _Claimed(d.id, d.schedule_id, d.team_id, d.user_id, d.occurrence_at)
                for d in claim_pending(session, now=now, limit=self._batch_size)
            ]

    def _batches(
        self, now: datetime, clock: _TickClock, report: TickReport
    ) -> Iterator[dict[str, _TeamBatch]]:
        """Batches ready to send, by workspace: planned, claimed and checked, until nothing is left."""
        planning = True
        while planning or (claimed := self.claim(now)):
            if planning:
                added, planning = self._plan_batch(now)
                with self._report_lock:
                    report.planned += added
                claimed = self.claim(now)
            by_team: dict[str, list[_Claimed]] = defaultdict(list)
            for item in claimed:
                by_team[item.team_id].append(item)
            checks = TickReport()
            batch = {}
            for team, items in by_team.items():
                if not (ready := self._apply_gentle_rules(items, clock.now(), checks)):
                    continue
                client = self._client_for(team)  # once per workspace and batch: a token lookup under OAuth
                if ready := self._defer_during_dnd(client, ready, clock.now(), checks):
                    batch[team] = _TeamBatch(client, ready)
            with self._report_lock:
                _merge(report, checks)
            if batch:
                yield batch

    def _deliver(self, batch: dict[str, _TeamBatch], clock: _TickClock, report: TickReport) -> None:
        # One worker per workspace: a workspace waiting out a 429 never holds up another.
        with ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="kindly-dispatch") as pool:
            for future in [
                pool.submit(self._deliver_team, team_batch, clock) for team_batch in batch.values()
            ]:
                team_report = future.result()
                with self._report_lock:
                    _merge(report, team_report)

    def _deliver_team(self, batch: _TeamBatch, clock: _TickClock) -> TickReport:
        report = TickReport()
        client, ready = batch.client, batch.ready
        outcomes: list[_Outcome] = []
        # Senders share the workspace's pacer; the pacer (and a 429's hold) bounds the workspace's rate.
        with ThreadPoolExecutor(
            max_workers=SENDERS_PER_WORKSPACE, thread_name_prefix="kindly-send"
        ) as senders:
            for outcome in senders.map(lambda waiting: self._send(client, waiting, clock), ready):
                _count(report, outcome)
                outcomes.append(outcome)
                if len(outcomes) >= RECORD_EVERY:
                    self._record(outcomes)
                    outcomes = []
        self._record(outcomes)
        return report

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
                due = _due_reminder(schedule, program, member, latest.get(item.user_id), item)
                reason = reason_to_skip(due, now=now, grace=self._grace)
                if reason is None:
                    message = self._message(schedule, program, item)
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

    def _send(self, client: WebClient, waiting: _Ready, clock: _TickClock) -> _Outcome:
        item, message = waiting.item, waiting.message
        # A long tick (a large fan-out at a low rate, or a long 429) must not send what became late.
        outcome = post_paced(
            client,
            self._pacer,
            team_id=item.team_id,
            channel=item.user_id,
            message=message,
            sleep=self._sleep,
            too_late=lambda: clock.now() - item.occurrence_at > self._grace,
        )
        now = clock.now()
        if isinstance(outcome, TooLate):
            return _Outcome(item, now, Status.SKIPPED, reason="late")
        if isinstance(outcome, Posted):
            return _Outcome(item, now, Status.SENT, channel=outcome.channel, ts=outcome.ts)
        return _Outcome(item, now, Status.FAILED, reason=outcome.error, permanent=outcome.permanent)

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
                if delivery is not None:
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
                if outcome.status is Status.SENT:
                    schedule.last_reminder_at = outcome.at
                elif outcome.permanent:
                    schedule.stopped_reason = outcome.reason
                    schedule.next_due_at = None


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
    else:
        report.failed[outcome.reason or "failed"] += 1


def _merge(into: TickReport, part: TickReport) -> None:
    into.sent += part.sent
    into.deferred += part.deferred
    into.skipped.update(part.skipped)
    into.failed.update(part.failed)
