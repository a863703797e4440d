"""Everything Kindly keeps about one person: to hand it to them, or to forget it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from slackapp.practices.self_check import CITATION, score
from slackapp.store.crypto import KeyUnavailableError, Vault
from slackapp.store.installations import forget_installer
from slackapp.store.models import AuditEntry, Delivery, HrLead, Member, Reflection, Schedule, Shoutout
from slackapp.store.reflections import open_entries, read_answers
from slackapp.store.self_checks import forget_checks, list_checks
from slackapp.store.shoutouts import received_by

FORGOTTEN = "forgotten"


@dataclass(frozen=True)
class SlackMessage:
    channel: str
    ts: str


def destroy_key(session: Session, vault: Vault, *, team_id: str, user_id: str) -> None:
    """Crypto-shred first: from here on, no copy of the person's ciphertext opens with the live keys."""
    vault.destroy(session, team_id=team_id, user_id=user_id)


def forget_rows(session: Session, *, team_id: str, user_id: str) -> list[SlackMessage]:
    """Delete every row about the person; returns the Slack messages about them to delete too."""
    received = session.scalars(
        select(Shoutout).where(Shoutout.team_id == team_id, Shoutout.recipient_id == user_id)
    ).all()
    messages = [
        SlackMessage(channel, ts)
        for shoutout in received
        for channel, ts in ((shoutout.channel, shoutout.ts), (shoutout.dm_channel, shoutout.dm_ts))
        if channel and ts
    ]
    session.execute(delete(Shoutout).where(Shoutout.team_id == team_id, Shoutout.recipient_id == user_id))
    session.execute(
        update(Shoutout)
        .where(Shoutout.team_id == team_id, Shoutout.signed_by == user_id)
        .values(signed_by=None)
    )
    session.execute(delete(Reflection).where(Reflection.team_id == team_id, Reflection.user_id == user_id))
    forget_checks(session, team_id=team_id, user_id=user_id)
    session.execute(delete(Delivery).where(Delivery.team_id == team_id, Delivery.user_id == user_id))
    session.execute(delete(Schedule).where(Schedule.team_id == team_id, Schedule.user_id == user_id))
    session.execute(delete(Member).where(Member.team_id == team_id, Member.user_id == user_id))
    session.execute(delete(HrLead).where(HrLead.team_id == team_id, HrLead.user_id == user_id))
    session.execute(
        update(AuditEntry)
        .where(
            AuditEntry.team_id == team_id, or_(AuditEntry.actor_id == user_id, AuditEntry.subject == user_id)
        )
        .values(actor_id=FORGOTTEN, subject=None)
    )
    forget_installer(session, scope=team_id, user_id=user_id, placeholder=FORGOTTEN)
    return messages


def export_rows(session: Session, vault: Vault, *, team_id: str, user_id: str) -> dict[str, Any]:
    """The person's own data, readable: reflections decrypted; never who sent an anonymous shout-out."""
    rows = session.scalars(
        select(Reflection)
        .where(Reflection.team_id == team_id, Reflection.user_id == user_id)
        .order_by(Reflection.created_at)
    ).all()
    reflections = []
    for entry in open_entries(session, vault, team_id=team_id, user_id=user_id, rows=rows):
        try:
            answers = read_answers(session, vault, entry.row)
        except KeyUnavailableError:
            answers = {}
        reflections.append(
            {
                "id": str(entry.row.id),
                "practice": entry.practice,
                "created_at": entry.row.created_at.isoformat(),
                "revisits": str(entry.revisits) if entry.revisits else None,
                "mended_at": entry.mended_at.isoformat() if entry.mended_at else None,
                "in_head": entry.in_head,
                "answers": answers,
            }
        )
    member = session.get(Member, (team_id, user_id))
    schedules = [
        {
            "kind": schedule.kind,
            "weekdays": schedule.weekdays,
            "local_time": schedule.local_time.strftime("%H:%M"),
            "time_zone": schedule.tz,
            "paused_until": schedule.paused_until.isoformat() if schedule.paused_until else None,
            "next_due_at": schedule.next_due_at.isoformat() if schedule.next_due_at else None,
        }
        for schedule in session.scalars(
            select(Schedule).where(Schedule.team_id == team_id, Schedule.user_id == user_id)
        )
    ]
    shoutouts = []
    # Not those still waiting for a digest: exported daily, they would say on which day each was written.
    for shoutout in received_by(session, team_id=team_id, user_id=user_id):
        note = ""
        if shoutout.note is not None:
            try:
                note = vault.open(session, team_id=team_id, user_id=user_id, token=shoutout.note).decode(
                    "utf-8"
                )
            except KeyUnavailableError:
                note = ""
        shoutouts.append(
            {
                "strength": shoutout.strength,
                "note": note,
                "from": shoutout.signed_by,  # None for an anonymous one: Kindly never knew
                "day": shoutout.created_on.isoformat(),
            }
        )
    self_checks = [
        {
            "taken_at": check.taken_at.isoformat(),
            "when": check.phase.value,
            "answers": check.answers,
            "score": round(float(score(check.answers)), 2),
        }
        for check in list_checks(session, vault, team_id=team_id, user_id=user_id)
    ]
    return {
        "team_id": team_id,
        "user_id": user_id,
        "settings": {
            "time_zone": member.tz if member else None,
            "receives_shoutouts": member.receives_shoutouts if member else True,
            "team_prompts": member.team_prompts if member else True,
        },
        "reflections": reflections,
        "reminders": schedules,
        "shoutouts_received": shoutouts,
        "self_checks": self_checks,
        "self_check_scale": CITATION,
    }
