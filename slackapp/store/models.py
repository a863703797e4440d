"""Typed SQLAlchemy models. Private text is only ever stored encrypted."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from slackapp.store.types import TeamId, Timestamp, UserId, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DataKey(Base):
    """A person's own data key, wrapped by the master keys. Destroying it shreds their ciphertext."""

    __tablename__ = "data_keys"

    team_id: Mapped[TeamId] = mapped_column(primary_key=True)
    user_id: Mapped[UserId] = mapped_column(primary_key=True)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[Timestamp]


class Reflection(Base):
    """One kind moment. `body` is the person's answers, encrypted with their data key."""

    __tablename__ = "reflections"
    __table_args__ = (Index("ix_reflections_author_created", "team_id", "user_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    team_id: Mapped[TeamId]
    user_id: Mapped[UserId]
    practice: Mapped[str] = mapped_column(String(40))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[Timestamp]
    # Kintsugi: a later reflection that mends this one, shown as a gold seam from then on.
    mended_by_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("reflections.id", ondelete="SET NULL"), default=None
    )
    mended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ProcessedEvent(Base):
    """Event ids already handled, so a Slack retry has no second effect."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[Timestamp]


class Member(Base):
    """What Kindly knows of a person: their Slack time zone and their own choices. No activity data."""

    __tablename__ = "members"

    team_id: Mapped[TeamId] = mapped_column(primary_key=True)
    user_id: Mapped[UserId] = mapped_column(primary_key=True)
    # The IANA zone Kindly uses; `tz_unknown` keeps a name Slack sent that zoneinfo does not know.
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    tz_unknown: Mapped[str | None] = mapped_column(String(64), default=None)
    # "Not today": nothing more is sent on this local date.
    quiet_on: Mapped[date | None] = mapped_column(Date, default=None)
    updated_at: Mapped[Timestamp]


class Schedule(Base):
    """A person's weekly reminder at a local wall-clock time. `next_due_at` is when it next fires (UTC)."""

    __tablename__ = "schedules"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "kind", name="uq_schedules_owner_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[TeamId]
    user_id: Mapped[UserId]
    kind: Mapped[str] = mapped_column(String(16), default="personal")
    weekdays: Mapped[int] = mapped_column(SmallInteger)  # bit n = weekday n, Monday = 0
    local_time: Mapped[time] = mapped_column(Time)
    tz: Mapped[str] = mapped_column(String(64))
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True, default=None)
    # Reminders resume on this local date; None: not paused.
    paused_until: Mapped[date | None] = mapped_column(Date, default=None)
    # Set when Slack said the person cannot be reached (account_inactive, …): paused until they act.
    stopped_reason: Mapped[str | None] = mapped_column(String(64), default=None)
    # The previous reminder (sent, or skipped): "skip if they took a kind moment since" counts from it.
    last_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[Timestamp]


class Delivery(Base):
    """One occurrence of a schedule, claimed before it is sent so that it is never sent twice."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("schedule_id", "occurrence_at", name="uq_deliveries_occurrence"),
        Index("ix_deliveries_status_not_before", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    team_id: Mapped[TeamId]
    user_id: Mapped[UserId]
    occurrence_at: Mapped[Timestamp]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    not_before: Mapped[Timestamp]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    reason: Mapped[str | None] = mapped_column(String(64), default=None)
    channel: Mapped[str | None] = mapped_column(String(32), default=None)
    message_ts: Mapped[str | None] = mapped_column(String(32), default=None)
