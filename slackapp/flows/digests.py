"""The weekly shout-out digest: one message, random order, no times, so timing reveals no sender.

The dispatcher's tick posts the digests that are due; the runtime hands it `post_due_digests`, since
scheduling sits below the flows and cannot import them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp.flows.shoutouts import item_of, post_to_channel
from slackapp.flows.workspace_settings import next_digest
from slackapp.rendering.shoutouts import shoutout_digest, shoutout_dm
from slackapp.services import Services
from slackapp.store.db import engine_of
from slackapp.store.shoutouts import POSTED, PRIVATE, drop_old_row_versions, waiting_for_digest
from slackapp.store.workspaces import claim_due_digest, get_workspace, workspaces_with_digest_due

log = logging.getLogger(__name__)


def post_due_digests(services: Services, client_for: Callable[[str], WebClient], now: datetime) -> int:
    """Post every digest due by `now`, each exactly once however many dispatchers run; returns how many."""
    with services.sessions.begin() as session:
        due = workspaces_with_digest_due(session, now=now)
    posted = 0
    for team_id, due_at in due:
        with services.sessions.begin() as session:
            workspace = get_workspace(session, team_id=team_id)
            if workspace is None:
                continue
            following = next_digest(workspace, after=max(due_at, now))
            if not claim_due_digest(session, team_id=team_id, due_at=due_at, next_at=following):
                continue  # another dispatcher has it
        posted += _post_digest(services, client_for(team_id), team_id)
    return posted


def _post_digest(services: Services, client: WebClient, team_id: str) -> int:
    with services.sessions.begin() as session:
        workspace = get_workspace(session, team_id=team_id)
        waiting = list(waiting_for_digest(session, team_id=team_id))
        if workspace is None or not waiting or not workspace.shoutout_channel:
            return 0
        items = [(str(s.id), item_of(session, services, s, workspace)) for s in waiting]
        channel = workspace.shoutout_channel
    message = shoutout_digest(services.renderer, items=[item for _, item in items])
    where = post_to_channel(client, channel, message).where
    dms: dict[str, tuple[str, str]] = {}
    for shoutout_id, item in items:
        try:
            dm = client.chat_postMessage(
                channel=item.recipient,
                **shoutout_dm(
                    services.renderer, item=item, shoutout_id=shoutout_id, where=channel if where else None
                ),
            )
            dms[shoutout_id] = (str(dm.get("channel")), str(dm.get("ts")))
        except SlackApiError as error:
            log.warning("a digest shout-out could not reach its recipient: %s", error.response.get("error"))
        except OSError as error:  # no answer: Slack may have posted it; marked below, never sent again
            log.warning("a digest shout-out's DM got no answer (%s)", type(error).__name__)
    # One transaction rewrites them all: on PostgreSQL every row then carries the same transaction id and a
    # new place on its page, in the order of their random ids, whatever order they came in.
    with services.sessions.begin() as session:
        for shoutout in waiting_for_digest(session, team_id=team_id):
            if str(shoutout.id) not in {shoutout_id for shoutout_id, _ in items}:
                continue
            shoutout.status = POSTED if where else PRIVATE
            if where:
                shoutout.channel, shoutout.ts = where
            shoutout.dm_channel, shoutout.dm_ts = dms.get(str(shoutout.id), (None, None))
    drop_old_row_versions(engine_of(services.sessions))
    return 1 if where else 0
