"""The delivery ledger: one row per occurrence, claimed before sending, never sent twice."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, case, func, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from slackapp.store.models import Delivery, Schedule


class Status(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"
    # Slack may have posted it (a 5xx, a reset or a timeout after the request left): never sent again.
    UNKNOWN = "unknown"
    # Slack said 429 and did not post it: claimed again on a later tick, after Retry-After.
    REFUSED = "refused"


WAITING = (Status.PENDING.value, Status.REFUSED.value)  # what a tick may claim once `not_before` passed


def add_deliveries_once(session: Session, due: Sequence[tuple[Schedule, datetime]]) -> int:
    """One delivery per (schedule, occurrence) in a single statement; returns how many were new."""
    if not due:
        return 0
    rows = [
        {
            "schedule_id": schedule.id,
            "team_id": schedule.team_id,
            "user_id": schedule.user_id,
            "occurrence_at": occurrence,
            "status": Status.PENDING.value,
            "not_before": occurrence,
            "attempts": 0,
        }
        for schedule, occurrence in due
    ]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # Parameters apart from the statement: it compiles once and is cached, where a 500-row VALUES
    # clause compiled afresh took most of a tick's planning (0.7 s of 0.85 s for 1,000 due).
    statement = insert(Delivery).on_conflict_do_nothing().returning(Delivery.id)
    return len(session.execute(statement, rows).all())


def _turn(rank: ColumnElement[int], chunk: int, first: int) -> ColumnElement[int]:
    """Which turn of its workspace a delivery's rank falls in: the first `first`, then `chunk` at a time."""
    if first >= chunk:
        return (rank - 1) // chunk
    return case((rank <= first, 0), else_=1 + (rank - 1 - first) // chunk)


def claim_pending(
    session: Session,
    *,
    now: datetime,
    limit: int,
    lane_chunk: int = 1,
    first_chunk: int | None = None,
    served: Collection[str] = (),
) -> Sequence[Delivery]:
    """Mark up to `limit` ready deliveries as claimed and return them.

    Once claimed, a delivery is never claimed again unless the dispatcher releases it unattempted: a
    crash between claim and send loses that one reminder rather than ever sending it twice.

    Claims take workspaces in turn, `lane_chunk` deliveries of each at a time (the first chunk of every
    workspace, then the second...), so that a workspace with thousands due never keeps another's first
    reminder out of a claim; within a chunk, by time. `first_chunk`, when smaller, is the size of each
    workspace's first chunk: one claim then reaches many more workspaces before any gets its second.
    PostgreSQL skips rows another dispatcher has locked; SQLite has one writer at a time, and the status
    check in the UPDATE settles any race.
    """
    rank = func.row_number().over(partition_by=Delivery.team_id, order_by=(Delivery.not_before, Delivery.id))
    waiting = (
        select(Delivery.id, Delivery.team_id, Delivery.not_before)
        .add_columns(_turn(rank, lane_chunk, first_chunk or lane_chunk).label("turn"))
        .where(Delivery.status.in_(WAITING), Delivery.not_before <= now)
        .subquery()
    )
    # Workspaces served already (earlier in the same tick) wait behind those not reached yet.
    reached = [case((waiting.c.team_id.in_(served), 1), else_=0)] if served else []
    in_turn = (
        select(waiting.c.id)
        .order_by(*reached, waiting.c.turn, waiting.c.not_before, waiting.c.team_id, waiting.c.id)
        .limit(limit)
    )
    candidates = list(session.scalars(in_turn))
    if not candidates:
        return []
    # Window functions cannot take row locks: lock the chosen rows in a second statement.
    free = (
        select(Delivery.id)
        .where(Delivery.id.in_(candidates), Delivery.status.in_(WAITING))
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(Delivery)
        .where(Delivery.id.in_(free.scalar_subquery()), Delivery.status.in_(WAITING))
        .values(status=Status.CLAIMED.value, claimed_at=now, attempts=Delivery.attempts + 1)
        .returning(Delivery)
    )
    claimed = session.scalars(statement).all()
    order = {delivery_id: position for position, delivery_id in enumerate(candidates)}
    return sorted(claimed, key=lambda delivery: order[delivery.id])


def finish(
    session: Session,
    delivery: Delivery,
    *,
    status: Status,
    now: datetime,
    reason: str | None = None,
    channel: str | None = None,
    message_ts: str | None = None,
) -> None:
    delivery.status = status.value
    delivery.finished_at = now
    delivery.reason = reason
    delivery.channel = channel
    delivery.message_ts = message_ts


def release(
    delivery: Delivery, *, not_before: datetime, reason: str | None, status: Status = Status.PENDING
) -> None:
    """Put an unsent delivery back in the queue (Do Not Disturb, a 429, a claim never attempted):
    nothing was posted, so this is safe."""
    delivery.status = status.value
    delivery.not_before = not_before
    delivery.reason = reason


def had_team_prompts(session: Session, people: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
    """Those of these (team_id, user_id) whom a team prompt has reached before, in one query.

    "Reached" is sent, or possibly posted (unknown). The ledger keeps finished rows for a month
    (jobs.DELIVERY_MEMORY), and a program's rows go with the person's place in it: someone whose
    prompts stopped longer ago than that, or who left their programs and joined again, counts as new.
    The query goes from the people's schedules (indexed by owner) to their deliveries (by schedule).
    """
    if not people:
        return set()
    statement = (
        select(Schedule.team_id, Schedule.user_id)
        .join(Delivery, Delivery.schedule_id == Schedule.id)
        .where(
            tuple_(Schedule.team_id, Schedule.user_id).in_(list(people)),
            Schedule.program_id.is_not(None),
            Delivery.status.in_((Status.SENT.value, Status.UNKNOWN.value)),
        )
        .distinct()
    )
    return {(team_id, user_id) for team_id, user_id in session.execute(statement)}
