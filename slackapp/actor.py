"""The verified workspace (data scope) and person a request or job acts for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    team_id: str  # the data scope: the workspace's id, or the org's for an org-wide install
    user_id: str
    # Inside an org-wide install, the workspace the person acts from, which the org's one token must name
    # to some methods (`team_id=`); None for a workspace's own install, or when Slack did not say.
    workspace_id: str | None = None
    # The data scope is an Enterprise Grid org that installed Kindly org-wide (team_id is the org's id).
    org_wide: bool = False
