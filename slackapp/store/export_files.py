"""The Slack files of people's exports: kept until Slack has deleted them, and no longer.

An export holds someone's reflections in plaintext, so its files must not outlive the person's wish to
delete them. Asking for deletion (the "Delete these files now" button, or forget-me) first releases the
files: their rows stop naming the person, and stay only as a list of file ids to delete, which
housekeeping retries until Slack confirms.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from slackapp.store.models import ExportFile


def record_export(
    session: Session, *, team_id: str, user_id: str, export_id: uuid.UUID, file_ids: Sequence[str]
) -> None:
    session.add_all(
        ExportFile(file_id=file_id, team_id=team_id, user_id=user_id, export_id=export_id)
        for file_id in file_ids
    )


def release_export(session: Session, *, team_id: str, user_id: str, export_id: uuid.UUID) -> list[str]:
    """The person's files of one export, now only waiting for deletion; [] when none are theirs."""
    owner = (ExportFile.team_id == team_id, ExportFile.user_id == user_id)
    return _release(session, *owner, ExportFile.export_id == export_id)


def release_all(session: Session, *, team_id: str, user_id: str) -> list[str]:
    """Every export file of the person (forget-me), now only waiting for deletion."""
    return _release(session, ExportFile.team_id == team_id, ExportFile.user_id == user_id)


def _release(session: Session, *conditions: ColumnElement[bool]) -> list[str]:
    file_ids = list(session.scalars(select(ExportFile.file_id).where(*conditions).with_for_update()))
    if file_ids:
        session.execute(
            update(ExportFile).where(ExportFile.file_id.in_(file_ids)).values(user_id=None, export_id=None)
        )
    return file_ids


def awaiting_deletion(session: Session) -> dict[str, list[str]]:
    """Released files Slack has not confirmed deleting yet, by workspace."""
    waiting: dict[str, list[str]] = defaultdict(list)
    statement = select(ExportFile.team_id, ExportFile.file_id).where(ExportFile.user_id.is_(None))
    for team_id, file_id in session.execute(statement):
        waiting[team_id].append(file_id)
    return dict(waiting)


def forget_deleted(session: Session, *, file_ids: Collection[str]) -> None:
    """Slack confirmed these are gone: nothing is left to remember."""
    if file_ids:
        session.execute(delete(ExportFile).where(ExportFile.file_id.in_(file_ids)))
