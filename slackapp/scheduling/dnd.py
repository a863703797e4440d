"""Do Not Disturb windows from Slack (dnd.teamInfo), for the dispatcher to defer reminders by."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp.scheduling.gentle import DndWindow

log = logging.getLogger(__name__)

DND_BATCH = 50  # dnd.teamInfo answers for up to 50 people per call


def dnd_windows(client: WebClient, people: Sequence[tuple[str | None, str]]) -> dict[str, DndWindow]:
    """DND windows of (workspace id, user id) pairs, asked per workspace in batches of 50.

    A workspace id is only known inside an org-wide install, whose token must name it (`team_id`);
    everyone else is asked without it, as a workspace's own token needs. Slack answering an error
    sends without deferral; no answer at all (a timeout, a reset) raises, and the dispatcher releases
    those reminders for the next tick.
    """
    by_workspace: dict[str | None, set[str]] = defaultdict(set)
    for workspace_id, user_id in people:
        by_workspace[workspace_id].add(user_id)
    windows: dict[str, DndWindow] = {}
    for workspace_id, user_ids in by_workspace.items():
        ordered = sorted(user_ids)
        for start in range(0, len(ordered), DND_BATCH):
            windows.update(_dnd_batch(client, ordered[start : start + DND_BATCH], workspace_id))
    return windows


def _dnd_batch(client: WebClient, user_ids: Sequence[str], workspace_id: str | None) -> dict[str, DndWindow]:
    try:
        answer = client.dnd_teamInfo(users=",".join(user_ids), team_id=workspace_id)
    except SlackApiError as error:
        # Without DND information the reminder still goes: Slack itself silences it in DND.
        log.warning("dnd.teamInfo failed (%s); sending without DND deferral", error.response.get("error"))
        return {}
    return {
        user_id: DndWindow(
            enabled=bool(status.get("dnd_enabled")),
            starts_at=datetime.fromtimestamp(int(status.get("next_dnd_start_ts") or 0), UTC),
            ends_at=datetime.fromtimestamp(int(status.get("next_dnd_end_ts") or 0), UTC),
        )
        for user_id, status in (answer.get("users") or {}).items()
    }
