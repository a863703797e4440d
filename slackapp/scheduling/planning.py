"""Planning and claiming: due schedules become deliveries in the ledger, and pending ones are claimed.

Planning adds one delivery per occurrence (unique per occurrence) and advances the schedule in the same
transaction, so a tick in any number of processes plans each occurrence once; claiming takes pending
deliveries (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so each is sent by one tick at most.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from slackapp.scheduling.reminders import next_due
from slackapp.store.db import SessionFactory
from slackapp.store.deliveries import add_deliveries_once, claim_pending
from slackapp.store.models import Schedule
from slackapp.store.schedules import lock_due_schedules

log = logging.getLogger(__name__)

# Claims take this many deliveries of each workspace in turn (one dnd.teamInfo call answers for 50)...
LANE_CHUNK = 10
# ...but only this many in a workspace's first turn, so that the first claim of a tick reaches up to
# 250 workspaces, not 50, and each gets its first reminders before any gets its eleventh (bench/).
FIRST_CHUNK = 2
# Planning takes each batch among this many batches' worth of the longest-due schedules, workspaces in
# turn, so that the first claims find every workspace's first reminders planned (bench/).
PLAN_SPREAD = 8


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    schedule_id: int
    team_id: str
    user_id: str
    occurrence_at: datetime


def plan_batch(sessions: SessionFactory, *, now: datetime, limit: int, grace: timedelta) -> tuple[int, bool]:
    """Plan up to one batch of due schedules; also say whether more may be due."""
    with sessions.begin() as session:
        due = lock_due_schedules(session, now=now, limit=limit, spread=PLAN_SPREAD)
        occurrences: list[tuple[Schedule, datetime]] = []
        for schedule in due:
            if schedule.next_due_at is None:
                continue
            try:
                missed = _occurrences_to_plan(schedule, schedule.next_due_at, now, grace)
                following = next_due(schedule, after=max(missed[-1], now))
            except (ValueError, OverflowError, AssertionError) as error:
                log.warning("schedule %d cannot be planned (%s); stopped", schedule.id, error)
                schedule.stopped_reason, schedule.next_due_at = "invalid_schedule", None
                continue
            occurrences.extend((schedule, occurrence) for occurrence in missed)
            schedule.next_due_at = following
        added = add_deliveries_once(session, occurrences)
    # A short batch may only mean rows another dispatcher holds: look again until one comes back empty.
    return added, bool(due)


def claim_batch(
    sessions: SessionFactory, *, now: datetime, limit: int, served: Collection[str] = ()
) -> list[Claimed]:
    """Claim up to one batch of pending deliveries, workspaces in turn, those not yet `served` first."""
    with sessions.begin() as session:
        claimed = claim_pending(
            session, now=now, limit=limit, lane_chunk=LANE_CHUNK, first_chunk=FIRST_CHUNK, served=served
        )
        return [Claimed(d.id, d.schedule_id, d.team_id, d.user_id, d.occurrence_at) for d in claimed]


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
