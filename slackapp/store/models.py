"""Typed SQLAlchemy models. Private text is only ever stored encrypted."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, MetaData, String, Uuid
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
