"""Members: a person's Slack time zone and their own choices."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from slackapp.actor import Actor
from slackapp.store.models import Member
from slackapp.store.upsert import insert_all_ignoring_conflicts, insert_ignoring_conflicts

LOCALE_LENGTH = 16  # members.locale


def get_member(session: Session, *, team_id: str, user_id: str) -> Member | None:
    return session.get(Member, (team_id, user_id))


def ensure_member(
    session: Session, *, team_id: str, user_id: str, now: datetime, workspace_id: str | None = None
) -> Member:
    """The person's row, created if need be (safely when two requests of theirs race to create it).

    `workspace_id`, their workspace inside an org-wide install when the request says it, is recorded;
    None leaves what is stored.
    """
    member = get_member(session, team_id=team_id, user_id=user_id)
    if member is None:
        insert_ignoring_conflicts(
            session,
            Member,
            **_new_member(team_id, user_id, tz="UTC", unknown=None, workspace_id=workspace_id, now=now),
        )
        member = session.get(Member, (team_id, user_id), populate_existing=True)
        assert member is not None
    if workspace_id is not None and member.workspace_id != workspace_id:
        member.workspace_id, member.updated_at = workspace_id, now
    return member


def ensure_member_of(session: Session, actor: Actor, *, now: datetime) -> Member:
    """The acting person's row, created if need be, with the workspace the request came from."""
    return ensure_member(
        session, team_id=actor.team_id, user_id=actor.user_id, now=now, workspace_id=actor.workspace_id
    )


def set_time_zone(member: Member, *, tz: str, unknown: str | None, now: datetime) -> bool:
    """Record the zone in use (and a name Slack sent that is unknown); True when it changed."""
    changed = (member.tz, member.tz_unknown) != (tz, unknown)
    member.tz, member.tz_unknown, member.updated_at = tz, unknown, now
    return changed


def set_locale(member: Member, *, slack_locale: object, now: datetime) -> None:
    """Keep the locale Slack reports for the person; anything that is not a short string is ignored."""
    if not isinstance(slack_locale, str) or not 0 < len(slack_locale.strip()) <= LOCALE_LENGTH:
        return
    if member.locale != slack_locale.strip():
        member.locale = slack_locale.strip()
        member.updated_at = now


def set_away_until(member: Member, *, until: datetime | None, now: datetime) -> None:
    """Keep until when the person's status says they are away (None: not away)."""
    if member.away_until != until:
        member.away_until = until
        member.updated_at = now


def set_quiet_on(member: Member, *, day: date, now: datetime) -> None:
    member.quiet_on, member.updated_at = day, now


def members_by_id(session: Session, *, team_id: str, user_ids: Collection[str]) -> dict[str, Member]:
    statement = select(Member).where(Member.team_id == team_id, Member.user_id.in_(user_ids))
    return {member.user_id: member for member in session.scalars(statement)}


def members_of(session: Session, people: Collection[tuple[str, str]]) -> dict[tuple[str, str], Member]:
    """Members of any workspaces by (team_id, user_id), in one query."""
    if not people:
        return {}
    statement = select(Member).where(tuple_(Member.team_id, Member.user_id).in_(list(people)))
    return {(member.team_id, member.user_id): member for member in session.scalars(statement)}


def add_members(
    session: Session,
    *,
    team_id: str,
    zones: Mapping[str, tuple[str, str | None]],
    workspace_id: str | None,
    now: datetime,
) -> None:
    """Rows for people Kindly meets for the first time: user id -> (zone in use, unknown name Slack sent)."""
    rows = [
        _new_member(team_id, user_id, tz=tz, unknown=unknown, workspace_id=workspace_id, now=now)
        for user_id, (tz, unknown) in zones.items()
    ]
    insert_all_ignoring_conflicts(session, Member, rows)


def _new_member(
    team_id: str, user_id: str, *, tz: str, unknown: str | None, workspace_id: str | None, now: datetime
) -> dict[str, Any]:
    """A person's first row: their zone, and every choice at its default."""
    return {
        "team_id": team_id,
        "user_id": user_id,
        "tz": tz,
        "tz_unknown": unknown,
        "quiet_on": None,
        "receives_shoutouts": True,
        "team_prompts": True,
        "workspace_id": workspace_id,
        "updated_at": now,
    }


def was_introduced(session: Session, *, team_id: str, user_id: str) -> bool:
    """Whether the person has seen "What is self-compassion?" (with Kindly or asked for it)."""
    member = get_member(session, team_id=team_id, user_id=user_id)
    return member is not None and member.introduced


def mark_introduced(session: Session, actor: Actor, *, now: datetime) -> None:
    member = ensure_member_of(session, actor, now=now)
    if not member.introduced:
        member.introduced, member.updated_at = True, now
