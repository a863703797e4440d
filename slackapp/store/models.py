"""Typed SQLAlchemy models. Private text is only ever stored encrypted."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
    false,
    text,
    true,
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
    """One kind moment, sealed with its author's data key: `body` holds the answers, `sealed_meta` the
    practice and the older entry a kintsugi reflection mends (store/reflection_meta.py), padded."""

    __tablename__ = "reflections"
    __table_args__ = (Index("ix_reflections_author_created", "team_id", "user_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    team_id: Mapped[TeamId]
    user_id: Mapped[UserId]
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[Timestamp]
    sealed_meta: Mapped[bytes] = mapped_column(LargeBinary)


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
    # Their Slack locale as Slack wrote it ("de-DE", "pt-BR"), None until Slack has said.
    locale: Mapped[str | None] = mapped_column(String(16), default=None)  # store.members.LOCALE_LENGTH
    # Public holidays: the person's own country and subdivision (None: the workspace's, else their time
    # zone's), and whether reminders skip them.
    holiday_country: Mapped[str | None] = mapped_column(String(2), default=None)
    holiday_subdivision: Mapped[str | None] = mapped_column(String(8), default=None)
    skip_holidays: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Until when their Slack status says they are away (out of office, holiday, sick): only this, never
    # the status itself. None: not away, or not known.
    away_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # "Not today": nothing more is sent on this local date.
    quiet_on: Mapped[date | None] = mapped_column(Date, default=None)
    receives_shoutouts: Mapped[bool] = mapped_column(Boolean, default=True)
    team_prompts: Mapped[bool] = mapped_column(Boolean, default=True)  # "Not for me" turns it off
    # Whether "What is self-compassion?" was shown, so the first kind moment's introduction comes once.
    introduced: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Their workspace inside an org-wide install (`team_id` scopes the org): the org's token must name it
    # to dnd.teamInfo. None for a workspace's own install, or until a request of theirs says it.
    workspace_id: Mapped[str | None] = mapped_column(String(32), default=None)
    updated_at: Mapped[Timestamp]


class Schedule(Base):
    """A person's weekly reminder at a local wall-clock time. `next_due_at` is when it next fires (UTC)."""

    __tablename__ = "schedules"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "kind", name="uq_schedules_owner_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[TeamId]
    user_id: Mapped[UserId]
    kind: Mapped[str] = mapped_column(String(16), default="personal")  # or "program:<id>"
    program_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_programs.id", ondelete="CASCADE"), default=None, index=True
    )
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
    # Gentle back-off (personal reminders): reminders sent in a row with no answer; past three, Kindly
    # comes half as often (`eased`, every other one skipped) until any kind moment or answer, unless the
    # person asked to keep their schedule. Seen by the person alone, never by HR or in insights.
    unanswered: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=text("0"))
    eased: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    skipped_last: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    keep_pace: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


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


class Workspace(Base):
    """A workspace's own settings, chosen by its HR leads."""

    __tablename__ = "workspaces"

    team_id: Mapped[TeamId] = mapped_column(primary_key=True)
    shoutout_channel: Mapped[str | None] = mapped_column(String(32), default=None)
    shoutout_mode: Mapped[str] = mapped_column(String(16), default="immediate")  # or "digest"
    digest_weekday: Mapped[int] = mapped_column(SmallInteger, default=4)  # Friday
    digest_time: Mapped[time] = mapped_column(Time, default=time(15, 0))
    digest_tz: Mapped[str] = mapped_column(String(64), default="UTC")
    next_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None, index=True)
    blocked_words: Mapped[str] = mapped_column(Text, default="")  # one per line
    extra_strengths: Mapped[str] = mapped_column(Text, default="")  # one per line
    support_text: Mapped[str] = mapped_column(Text, default="")
    support_url: Mapped[str] = mapped_column(String(500), default="")
    retention_days: Mapped[int | None] = mapped_column(Integer, default=None)  # None: keep until deleted
    anonymity_k: Mapped[int] = mapped_column(SmallInteger, default=5)
    holiday_country: Mapped[str | None] = mapped_column(String(2), default=None)  # members' default
    updated_at: Mapped[Timestamp]


class Shoutout(Base):
    """A character shout-out. There is no sender column: an anonymous sender is not stored anywhere.

    Kindly keeps only the day it was received, in the recipient's time zone, not the time. A shout-out
    posted to a channel or a DM keeps Slack's message `ts` (so it can be removed or deleted later), which
    is the time of that post as everyone in the channel saw it; a digest posts many at once, in random
    order. On SQLite the table has no rowid, whose increasing numbers would tell the order notes came in:
    rows are kept in the order of their random ids.
    """

    __tablename__ = "shoutouts"
    __table_args__ = (Index("ix_shoutouts_team_status", "team_id", "status"), {"sqlite_with_rowid": False})

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    team_id: Mapped[TeamId]
    recipient_id: Mapped[UserId]
    strength: Mapped[str] = mapped_column(String(80))
    note: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)  # sealed with the recipient's key
    signed_by: Mapped[str | None] = mapped_column(
        String(32), default=None
    )  # only when the sender chose to sign
    status: Mapped[str] = mapped_column(String(16))  # waiting (for the digest), posted, private
    created_on: Mapped[date] = mapped_column(Date)
    sort_key: Mapped[int] = mapped_column(Integer)  # a random order within a digest
    channel: Mapped[str | None] = mapped_column(String(32), default=None)
    ts: Mapped[str | None] = mapped_column(String(32), default=None)
    dm_channel: Mapped[str | None] = mapped_column(String(32), default=None)
    dm_ts: Mapped[str | None] = mapped_column(String(32), default=None)


class AuditEntry(Base):
    """Admin and moderation actions: who did what, when. Never any content."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_team_at", "team_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[TeamId]
    actor_id: Mapped[UserId]
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(64), default=None)  # an id, never text
    at: Mapped[Timestamp]


class HrLead(Base):
    """Someone an HR lead named as HR lead too (admins and owners are HR leads without a row)."""

    __tablename__ = "hr_leads"

    team_id: Mapped[TeamId] = mapped_column(primary_key=True)
    user_id: Mapped[UserId] = mapped_column(primary_key=True)
    added_at: Mapped[Timestamp]


class TeamProgram(Base):
    """A weekly team-wide prompt: sent privately to each member of an audience at their own local time."""

    __tablename__ = "team_programs"
    __table_args__ = (Index("ix_team_programs_audience", "team_id", "audience_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[TeamId]
    name: Mapped[str] = mapped_column(String(80))
    audience_kind: Mapped[str] = mapped_column(String(16))  # "channel" or "usergroup"
    audience_id: Mapped[str] = mapped_column(String(32))
    # The workspace of the channel or user group inside an org-wide install (None otherwise): the org's
    # token must name it to usergroups.* and users.list.
    workspace_id: Mapped[str | None] = mapped_column(String(32), default=None)
    weekday: Mapped[int] = mapped_column(SmallInteger)
    local_time: Mapped[time] = mapped_column(Time)
    start_date: Mapped[date] = mapped_column(Date)
    themes: Mapped[str] = mapped_column(String(500))  # theme keys, comma-separated, in rotation order
    status: Mapped[str] = mapped_column(String(16), default="active")  # or "paused"
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[Timestamp]


class PromptFeedback(Base):
    """One "this helped" tap per person, program and week, keyed by a keyed hash: counts, never people."""

    __tablename__ = "prompt_feedback"
    __table_args__ = (Index("ix_prompt_feedback_program_week", "program_id", "week"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("team_programs.id", ondelete="CASCADE"))
    week: Mapped[date] = mapped_column(Date)
    # "helped", or "took_moment" (a kind moment opened from the program's own prompt). Kept only until
    # the week's snapshot is taken.
    kind: Mapped[str] = mapped_column(String(16), default="helped", server_default="helped")


class PendingWipe(Base):
    """A workspace (or an org, for an org-wide install) that uninstalled Kindly within its grace period.

    Its data is kept until `wipe_after`, then deleted by housekeeping, unless it reinstalls first.
    """

    __tablename__ = "pending_wipes"

    team_id: Mapped[TeamId] = mapped_column(primary_key=True)
    wipe_after: Mapped[Timestamp]


class ExportFile(Base):
    """A file of someone's export that Kindly uploaded to Slack, kept until it is deleted there.

    Only Slack's file id, which says nothing of the content. `user_id` is cleared once deletion is asked
    for (by the person, or by their forget-me): a row without one is a file housekeeping still has to
    delete, and no longer says whose it was.
    """

    __tablename__ = "export_files"
    __table_args__ = (Index("ix_export_files_owner", "team_id", "user_id"),)

    file_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[TeamId]
    user_id: Mapped[str | None] = mapped_column(String(32), default=None)
    export_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)  # the files of one export


class MasterKey(Base):
    """A master key Kindly has used, by a one-way id (never the key): how old it is, and when a rotation
    left it wrapping nothing (from then on only backups older than that need it)."""

    __tablename__ = "master_keys"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    first_seen_at: Mapped[Timestamp]
    rotated_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class InsightSnapshot(Base):
    """A program week's figures, frozen when the week closed and never recomputed.

    Only what may be shown is stored: a figure that fell under the anonymity threshold (or whose
    complement did) is NULL, so the database never holds a small count either.
    """

    __tablename__ = "insight_snapshots"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("team_programs.id", ondelete="CASCADE"), primary_key=True
    )
    week: Mapped[date] = mapped_column(Date, primary_key=True)  # the Monday it started
    k: Mapped[int] = mapped_column(SmallInteger)
    people: Mapped[int | None] = mapped_column(Integer, default=None)
    took_moment: Mapped[int | None] = mapped_column(Integer, default=None)
    helped: Mapped[int | None] = mapped_column(Integer, default=None)
    shoutouts: Mapped[int | None] = mapped_column(Integer, default=None)
    taken_at: Mapped[Timestamp]


class SelfCheck(Base):
    """One private self-check (the SSCS-S). `sealed` holds the six answers and when it was taken (alone,
    before or after a kind moment), padded to one length and sealed with the person's own data key:
    the database never holds an answer, a score or the phase in clear."""

    __tablename__ = "self_checks"
    __table_args__ = (Index("ix_self_checks_person_taken", "team_id", "user_id", "taken_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    team_id: Mapped[TeamId]
    user_id: Mapped[UserId]
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    taken_at: Mapped[Timestamp]


class SelfCheckSettings(Base):
    """A person's own self-check choice: whether a kind moment starts and ends with the check."""

    __tablename__ = "self_check_settings"

    team_id: Mapped[TeamId] = mapped_column(primary_key=True)
    user_id: Mapped[UserId] = mapped_column(primary_key=True)
    before_and_after: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[Timestamp]
