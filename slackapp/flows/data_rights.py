"""A person's own data: export it as files to their DM, or forget it entirely."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp.actor import Actor
from slackapp.flows.moderation import withdraw_message
from slackapp.flows.responses import ViewResponse
from slackapp.rendering.shoutouts import notice
from slackapp.services import Services
from slackapp.store.audit import audit
from slackapp.store.db import engine_of, flush_deleted_pages
from slackapp.store.people import FORGOTTEN, destroy_key, export_rows, forget_rows

log = logging.getLogger(__name__)

CONFIRMATION = "forget me"


def export_data(services: Services, client: WebClient, actor: Actor) -> None:
    """After the ack: the person's data as JSON and Markdown files, uploaded to their DM with Kindly."""
    with services.sessions.begin() as session:
        data = export_rows(session, services.vault, team_id=actor.team_id, user_id=actor.user_id)
    exported_at = services.clock().strftime("%Y-%m-%d %H:%M UTC")
    markdown = services.renderer.text("export/export.md.j2", data=data, exported_at=exported_at)
    day = services.clock().strftime("%Y-%m-%d")
    try:
        channel = client.conversations_open(users=actor.user_id)["channel"]["id"]
        client.files_upload_v2(
            channel=channel,
            initial_comment=notice(services.renderer, "export_ready")["text"],
            file_uploads=[
                {"content": json.dumps(data, indent=2, ensure_ascii=False), "filename": f"kindly-{day}.json"},
                {"content": markdown, "filename": f"kindly-{day}.md"},
            ],
        )
    except SlackApiError as error:
        log.warning("an export could not be uploaded: %s", error.response.get("error"))
        client.chat_postMessage(channel=actor.user_id, **notice(services.renderer, "export_failed"))


def forget_me_page(services: Services) -> dict[str, Any]:
    return services.renderer.view("modals/forget_me.json.j2")


def forget_person(services: Services, actor: Actor, *, typed: str | None) -> tuple[ViewResponse, list[Any]]:
    """Destroy the person's key, then every row about them; returns the Slack messages to delete."""
    if (typed or "").strip().lower() != CONFIRMATION:
        return ViewResponse("errors", errors={"confirm": f'Please type "{CONFIRMATION}" to confirm.'}), []
    with services.sessions.begin() as session:
        destroy_key(session, services.vault, team_id=actor.team_id, user_id=actor.user_id)
    with services.sessions.begin() as session:
        messages = forget_rows(session, team_id=actor.team_id, user_id=actor.user_id)
        audit(
            session,
            team_id=actor.team_id,
            actor_id=FORGOTTEN,
            action="person_forgotten",
            now=services.clock(),
        )
    flush_deleted_pages(engine_of(services.sessions))
    return ViewResponse("update", view=services.renderer.view("modals/forgotten.json.j2")), messages


def delete_messages(services: Services, client: WebClient, actor: Actor, messages: list[Any]) -> None:
    """Delete the messages about the person; a digest keeps everyone else's shout-outs."""
    for channel, ts in dict.fromkeys((message.channel, message.ts) for message in messages):
        withdraw_message(services, client, team_id=actor.team_id, channel=channel, ts=ts)
