"""The journal: list, open and page through a person's own reflections."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from slackapp.actor import Actor
from slackapp.flows.support import support_of
from slackapp.practices.catalogue import PRACTICES
from slackapp.rendering.entries import Answer, EntrySummary
from slackapp.rendering.journal import PAGE_SIZE, entry_missing_view, entry_view, journal_view
from slackapp.services import Services
from slackapp.store.crypto import KeyUnavailableError
from slackapp.store.reflections import Entry, count_reflections, get_entry, list_entries, read_answers
from slackapp.store.workspaces import get_workspace

log = logging.getLogger(__name__)


def summarize(entry: Entry) -> EntrySummary:
    practice = PRACTICES.get(entry.practice)
    return EntrySummary(
        id=str(entry.row.id),
        practice=entry.practice,
        practice_name=practice.name if practice else entry.practice.replace("_", " ").capitalize(),
        created_at=entry.row.created_at,
        mended=entry.mended,
        in_head=entry.in_head,
    )


def recent_entries(session: Session, services: Services, actor: Actor, *, limit: int) -> list[EntrySummary]:
    entries = list_entries(session, services.vault, team_id=actor.team_id, user_id=actor.user_id, limit=limit)
    return [summarize(entry) for entry in entries]


def journal_page(services: Services, actor: Actor, *, page: int) -> dict[str, Any]:
    with services.sessions.begin() as session:
        total = count_reflections(session, team_id=actor.team_id, user_id=actor.user_id)
        page = max(0, min(page, max(0, (total - 1) // PAGE_SIZE)))
        entries = [
            summarize(entry)
            for entry in list_entries(
                session,
                services.vault,
                team_id=actor.team_id,
                user_id=actor.user_id,
                offset=page * PAGE_SIZE,
                limit=PAGE_SIZE,
            )
        ]
        support = support_of(get_workspace(session, team_id=actor.team_id))
    return journal_view(services.renderer, entries=entries, page=page, total=total, support=support)


def open_journal(services: Services, client: WebClient, actor: Actor, *, trigger_id: str) -> None:
    client.views_open(trigger_id=trigger_id, view=journal_page(services, actor, page=0))


def entry_page(services: Services, actor: Actor, *, entry_id: str) -> dict[str, Any]:
    """One reflection, readable by its author alone; anyone else gets a gentle 'not here'."""
    renderer = services.renderer
    with services.sessions.begin() as session:
        entry = get_entry(
            session, services.vault, team_id=actor.team_id, user_id=actor.user_id, entry_id=entry_id
        )
        if entry is None:
            return entry_missing_view(renderer)
        try:
            answers = read_answers(session, services.vault, entry.row)
        except KeyUnavailableError:
            log.exception("a reflection could not be decrypted")
            return entry_missing_view(renderer)
        practice = PRACTICES.get(entry.practice)
        heading = practice.heading if practice else str
        shown = [Answer(label=heading(key), text=text) for key, text in answers.items()]
        summary, mendable = summarize(entry), entry.can_be_mended
        support = support_of(get_workspace(session, team_id=actor.team_id))
    return entry_view(renderer, entry=summary, answers=shown, can_mend=mendable, support=support)


def show_entry(
    services: Services, client: WebClient, actor: Actor, *, entry_id: str, trigger_id: str, over_modal: bool
) -> None:
    view = entry_page(services, actor, entry_id=entry_id)
    if over_modal:
        client.views_push(trigger_id=trigger_id, view=view)
    else:
        client.views_open(trigger_id=trigger_id, view=view)
