"""What became of claimed deliveries: counted in the tick's report and written back to the ledger.

Outcomes are written in runs, in one transaction each. The deliveries are claimed already, so a crash
before a run is written can lose a status, never cause a second send.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slackapp.scheduling.planning import Claimed
from slackapp.scheduling.reminders import MAX_UNANSWERED
from slackapp.scheduling.tick_report import TickReport
from slackapp.store.db import SessionFactory
from slackapp.store.deliveries import Status, finish, release
from slackapp.store.models import Delivery, Schedule
from slackapp.store.rows import rows_by_id
from slackapp.store.schedules import PERSONAL


@dataclass(frozen=True)
class Outcome:
    item: Claimed
    at: datetime
    status: Status
    reason: str | None = None
    channel: str | None = None
    ts: str | None = None
    permanent: bool = False
    not_before: datetime | None = None  # for what goes back to the queue (refused, released)


def count_outcome(report: TickReport, outcome: Outcome) -> None:
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


def record_outcomes(sessions: SessionFactory, outcomes: Sequence[Outcome]) -> None:
    """Write what happened to a run of deliveries in one transaction."""
    if not outcomes:
        return
    with sessions.begin() as session:
        deliveries = rows_by_id(session, Delivery, [o.item.delivery_id for o in outcomes])
        schedules = rows_by_id(session, Schedule, [o.item.schedule_id for o in outcomes])
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
                if schedule.kind == PERSONAL:  # one more with no answer yet (gentle back-off)
                    schedule.unanswered = min(schedule.unanswered + 1, MAX_UNANSWERED)
            elif outcome.permanent:
                schedule.stopped_reason = outcome.reason
                schedule.next_due_at = None
