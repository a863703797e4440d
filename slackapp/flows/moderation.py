"""Removing shout-outs: by their recipient (a button in their DM) or by an HR lead (a message shortcut)."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from slackapp.actor import Actor
from slackapp.flows.responses import ViewResponse
from slackapp.flows.shoutouts import item_of, strength_of
from slackapp.rendering.shoutouts import RemovalChoice, ShoutoutItem, notice, removal_view, shoutout_digest
from slackapp.services import Services
from slackapp.store.audit import audit
from slackapp.store.models import Shoutout
from slackapp.store.shoutouts import get_shoutout, shoutouts_in_message
from slackapp.store.workspaces import get_workspace

log = logging.getLogger(__name__)


def _show_or_delete(
    services: Services, client: WebClient, *, channel: str, ts: str, items: list[ShoutoutItem]
) -> None:
    """Show a post with the shout-outs still in it, or delete it when none is left."""
    try:
        if not items:
            client.chat_delete(channel=channel, ts=ts)
            return
        client.chat_update(channel=channel, ts=ts, **shoutout_digest(services.renderer, items=items))
    except SlackApiError as error:
        log.warning("could not take a shout-out out of its message: %s", error.response.get("error"))


def _repair_post(session: Session, services: Services, client: WebClient, removed: Shoutout) -> None:
    """Take a removed shout-out out of its channel post: delete the post, or re-render a digest without it."""
    if not removed.channel or not removed.ts:
        return
    workspace = get_workspace(session, team_id=removed.team_id)
    items = [
        item_of(session, services, s, workspace)
        for s in shoutouts_in_message(
            session, team_id=removed.team_id, channel=removed.channel, ts=removed.ts
        )
        if s.id != removed.id
    ]
    _show_or_delete(services, client, channel=removed.channel, ts=removed.ts, items=items)


def withdraw_message(services: Services, client: WebClient, *, team_id: str, channel: str, ts: str) -> None:
    """After shout-outs were deleted: a digest keeps the others' (re-rendered), any other message goes."""
    with services.sessions.begin() as session:
        workspace = get_workspace(session, team_id=team_id)
        remaining = shoutouts_in_message(session, team_id=team_id, channel=channel, ts=ts)
        items = [item_of(session, services, s, workspace) for s in remaining]
    _show_or_delete(services, client, channel=channel, ts=ts, items=items)


def _remove(session: Session, services: Services, client: WebClient, shoutout: Shoutout) -> None:
    _repair_post(session, services, client, shoutout)
    if shoutout.dm_channel and shoutout.dm_ts:
        try:
            client.chat_update(
                channel=shoutout.dm_channel,
                ts=shoutout.dm_ts,
                **notice(services.renderer, "shoutout_removed"),
            )
        except SlackApiError as error:
            log.warning("could not update the recipient's message: %s", error.response.get("error"))
    session.delete(shoutout)


def remove_as_recipient(
    services: Services, client: WebClient, actor: Actor, shoutout_id: str
) -> dict[str, Any]:
    """Only the person a shout-out is about can remove it this way; anyone else learns nothing."""
    with services.sessions.begin() as session:
        shoutout = get_shoutout(session, team_id=actor.team_id, shoutout_id=shoutout_id)
        if shoutout is None or shoutout.recipient_id != actor.user_id:
            return notice(services.renderer, "shoutout_gone")
        _remove(session, services, client, shoutout)
        audit(
            session,
            team_id=actor.team_id,
            actor_id=actor.user_id,
            action="shoutout_removed_by_recipient",
            now=services.clock(),
        )
    return notice(services.renderer, "shoutout_removed")


def removal_page(services: Services, actor: Actor, *, channel: str, ts: str) -> dict[str, Any] | str:
    """The HR lead's removal modal for a message, or the kind of notice to answer instead."""
    with services.sessions.begin() as session:
        found = shoutouts_in_message(session, team_id=actor.team_id, channel=channel, ts=ts)
        workspace = get_workspace(session, team_id=actor.team_id)
        choices = [
            RemovalChoice(
                id=str(s.id),
                label=f"{number}",
                strength_name=strength_of(s.strength, workspace).name,
                recipient=s.recipient_id,
            )
            for number, s in enumerate(found, start=1)
        ]
    if not choices:
        return "not_a_shoutout"
    return removal_view(services.renderer, items=choices, channel=channel, ts=ts)


def remove_as_hr_lead(
    services: Services, client: WebClient, actor: Actor, *, shoutout_id: str | None, metadata: str
) -> ViewResponse:
    """An HR lead removes a shout-out posted in a channel (the message it was posted in, checked)."""
    try:
        where = json.loads(metadata or "{}")
    except json.JSONDecodeError:
        where = {}
    with services.sessions.begin() as session:
        shoutout = get_shoutout(session, team_id=actor.team_id, shoutout_id=shoutout_id or "")
        # HR leads moderate what was posted in a channel; a private shout-out is its recipient's alone.
        if (
            shoutout is None
            or shoutout.channel is None
            or (shoutout.channel, shoutout.ts) != (where.get("channel"), where.get("ts"))
        ):
            return ViewResponse(
                "errors", errors={"shoutout": notice(services.renderer, "shoutout_gone")["text"]}
            )
        subject = str(shoutout.id)
        _remove(session, services, client, shoutout)
        audit(
            session,
            team_id=actor.team_id,
            actor_id=actor.user_id,
            action="shoutout_removed_by_hr",
            subject=subject,
            now=services.clock(),
        )
    return ViewResponse("clear")
