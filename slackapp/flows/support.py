"""The support resources a workspace configured, for every reflection surface."""

from __future__ import annotations

from slackapp.rendering.entries import Support
from slackapp.services import Services
from slackapp.store.workspaces import get_workspace


def workspace_support(services: Services, team_id: str) -> Support | None:
    with services.sessions.begin() as session:
        workspace = get_workspace(session, team_id=team_id)
        if workspace is None or not (workspace.support_text or workspace.support_url):
            return None
        return Support(text=workspace.support_text, url=workspace.support_url)
