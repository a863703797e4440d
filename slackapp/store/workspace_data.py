"""Deleting everything of one workspace, when it uninstalls Kindly."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from slackapp.store.models import (
    AuditEntry,
    DataKey,
    Delivery,
    ExportFile,
    HrLead,
    Member,
    PendingWipe,
    Reflection,
    Schedule,
    SelfCheck,
    SelfCheckSettings,
    Shoutout,
    TeamProgram,
    Workspace,
)


def delete_workspace_data(session: Session, *, team_id: str) -> None:
    """Data keys go first (crypto-shredding), then every row scoped to the workspace."""
    for model in (
        DataKey,
        Delivery,
        Schedule,
        TeamProgram,
        Reflection,
        SelfCheck,
        SelfCheckSettings,
        Shoutout,
        Member,
        HrLead,
        AuditEntry,
        PendingWipe,
        ExportFile,  # an uninstalled app's token can delete nothing in Slack any more
    ):
        session.execute(delete(model).where(model.team_id == team_id))
    session.execute(delete(Workspace).where(Workspace.team_id == team_id))
