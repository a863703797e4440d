"""A person's own data: export it as files to their DM, or forget it entirely."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from slackapp.actor import Actor
from slackapp.flows.home import publish_home
from slackapp.flows.moderation import withdraw_message
from slackapp.flows.responses import ViewResponse
from slackapp.practices.catalogue import PRACTICES
from slackapp.practices.strengths import CATALOGUE
from slackapp.rendering.data_rights import export_deleted_message, export_message
from slackapp.rendering.field_errors import form_error
from slackapp.rendering.shoutouts import notice
from slackapp.services import Services
from slackapp.store.audit import audit
from slackapp.store.db import engine_of, flush_deleted_pages
from slackapp.store.export_files import (
    awaiting_deletion,
    forget_deleted,
    record_export,
    release_all,
    release_export,
)
from slackapp.store.feedback import forget_person_reactions
from slackapp.store.people import FORGOTTEN, SlackMessage, destroy_key, export_rows, forget_rows

log = logging.getLogger(__name__)

CONFIRMATION = "forget me"
GONE = frozenset({"file_not_found", "file_deleted"})  # Slack holds no such file: nothing left to delete


def export_data(services: Services, client: WebClient, actor: Actor) -> None:
    """After the ack: the person's data as JSON and Markdown files, uploaded to their DM with Kindly,
    with a button to delete them from Slack once saved. Their file ids are kept until they are deleted."""
    with services.sessions.begin() as session:
        data = export_rows(session, services.vault, team_id=actor.team_id, user_id=actor.user_id)
    exported_at = services.clock().strftime("%Y-%m-%d %H:%M UTC")
    markdown = services.renderer.text(
        "export/export.md.j2",
        data=data,
        exported_at=exported_at,
        practices=PRACTICES,
        strengths={strength.key: strength.name for strength in CATALOGUE},
    )
    day = services.clock().strftime("%Y-%m-%d")
    try:
        channel = client.conversations_open(users=actor.user_id)["channel"]["id"]
        uploaded = client.files_upload_v2(
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
        return
    file_ids = [str(file["id"]) for file in uploaded.get("files") or []]
    export_id = uuid.uuid4()
    try:
        with services.sessions.begin() as session:
            record_export(
                session, team_id=actor.team_id, user_id=actor.user_id, export_id=export_id, file_ids=file_ids
            )
    except SQLAlchemyError:
        log.exception("an export's files could not be recorded: deleting them from Slack at once")
        _delete_from_slack(client, file_ids)
        client.chat_postMessage(channel=actor.user_id, **notice(services.renderer, "export_failed"))
        return
    client.chat_postMessage(channel=channel, **export_message(services.renderer, export_id=export_id))


def delete_export_now(
    services: Services, client: WebClient, actor: Actor, *, export_value: str
) -> dict[str, Any]:
    """The "Delete these files now" button: the person's own files of that export, deleted from Slack."""
    try:
        export_id = uuid.UUID(export_value)
    except ValueError:
        export_id = None
    file_ids: list[str] = []
    if export_id is not None:
        with services.sessions.begin() as session:
            file_ids = release_export(
                session, team_id=actor.team_id, user_id=actor.user_id, export_id=export_id
            )
    if not file_ids:
        return export_deleted_message(services.renderer, outcome="already")
    left = delete_export_files(services, client, file_ids)
    return export_deleted_message(services.renderer, outcome="retrying" if left else "deleted")


def delete_export_files(services: Services, client: WebClient, file_ids: Sequence[str]) -> list[str]:
    """Delete released export files from Slack; returns those still there (housekeeping retries them)."""
    deleted = _delete_from_slack(client, file_ids)
    with services.sessions.begin() as session:
        forget_deleted(session, file_ids=deleted)
    return [file_id for file_id in file_ids if file_id not in deleted]


def retry_export_deletions(services: Services, client_for: Callable[[str], WebClient]) -> tuple[int, int]:
    """Housekeeping: delete the export files Slack did not delete before; returns (deleted, still left)."""
    with services.sessions.begin() as session:
        waiting = awaiting_deletion(session)
    deleted = left = 0
    for team_id, file_ids in waiting.items():
        still_there = delete_export_files(services, client_for(team_id), file_ids)
        deleted += len(file_ids) - len(still_there)
        left += len(still_there)
    return deleted, left


def _delete_from_slack(client: WebClient, file_ids: Sequence[str]) -> set[str]:
    """The files Slack no longer holds after asking it to delete each one."""
    gone: set[str] = set()
    for file_id in file_ids:
        try:
            client.files_delete(file=file_id)
        except SlackApiError as error:
            if error.response.get("error") not in GONE:
                log.warning("an export file could not be deleted yet: %s", error.response.get("error"))
                continue
        except OSError as error:
            log.warning("an export file could not be deleted yet: %s", type(error).__name__)
            continue
        gone.add(file_id)
    return gone


def forget_me_page(services: Services) -> dict[str, Any]:
    return services.renderer.view("modals/forget_me.json.j2")


@dataclass(frozen=True)
class Leftovers:
    """What a forget-me still has to remove from Slack after the database forgot the person."""

    messages: list[SlackMessage] = field(default_factory=list)
    export_files: list[str] = field(default_factory=list)


def forget_person(services: Services, actor: Actor, *, typed: str | None) -> tuple[ViewResponse, Leftovers]:
    """Destroy the person's key, then every row about them; returns what to delete from Slack."""
    if (typed or "").strip().lower() != CONFIRMATION:
        errors = {"confirm": form_error(services.renderer, "confirm_forget", confirmation=CONFIRMATION)}
        return ViewResponse("errors", errors=errors), Leftovers()
    with services.sessions.begin() as session:
        destroy_key(session, services.vault, team_id=actor.team_id, user_id=actor.user_id)
    with services.sessions.begin() as session:
        forget_person_reactions(session, services.quota_secret, team_id=actor.team_id, user_id=actor.user_id)
        messages = forget_rows(session, team_id=actor.team_id, user_id=actor.user_id)
        export_files = release_all(session, team_id=actor.team_id, user_id=actor.user_id)
        audit(
            session,
            team_id=actor.team_id,
            actor_id=FORGOTTEN,
            action="person_forgotten",
            now=services.clock(),
        )
    flush_deleted_pages(engine_of(services.sessions))
    view = services.renderer.view("modals/forgotten.json.j2")
    return ViewResponse("update", view=view), Leftovers(messages=messages, export_files=export_files)


def clean_up_slack(services: Services, client: WebClient, actor: Actor, leftovers: Leftovers) -> None:
    """After a forget-me: the messages and export files about the person go from Slack, and their Home
    tab is published again, now showing nothing of theirs."""
    # A digest keeps everyone else's shout-outs: it is re-rendered without the person's.
    for channel, ts in dict.fromkeys((message.channel, message.ts) for message in leftovers.messages):
        withdraw_message(services, client, team_id=actor.team_id, channel=channel, ts=ts)
    left = delete_export_files(services, client, leftovers.export_files)
    if left:
        log.warning("%d export files of a forgotten person wait for housekeeping to delete them", len(left))
    publish_home(services, client, actor)
