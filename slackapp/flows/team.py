"""HR leads' team settings: programs, support and retention, HR leads; role checked every time."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp.actor import Actor
from slackapp.flows.programs import set_program_status
from slackapp.flows.responses import ViewResponse
from slackapp.flows.roles import is_hr_lead
from slackapp.flows.support import support_problems
from slackapp.numbers import small_int
from slackapp.practices.insights import effective_k
from slackapp.practices.themes import THEMES, chosen_themes
from slackapp.rendering.programs import (
    TeamPage,
    program_view,
    support_settings_view,
    team_view,
)
from slackapp.rendering.setting_limits import (
    PROGRAM_NAME_MAX,
    SUPPORT_TEXT_MAX,
    SUPPORT_URL_MAX,
    shown_length,
)
from slackapp.scheduling.reminders import local_today
from slackapp.services import Services
from slackapp.store.audit import audit
from slackapp.store.hr_leads import add_hr_lead, named_hr_leads, remove_hr_lead
from slackapp.store.members import get_member
from slackapp.store.programs import add_program, get_program, programs_of
from slackapp.store.workspaces import ensure_workspace, get_workspace

log = logging.getLogger(__name__)

SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,31}")


@dataclass(frozen=True)
class SupportForm:
    support_text: str
    support_url: str
    retention_days: int | None
    anonymity_k: int


@dataclass(frozen=True)
class ProgramDraft:
    name: str
    channel: str | None
    usergroup: str | None
    weekday: str | None
    at: str | None
    start: str | None
    themes: list[str]


class NotHrLeadError(Exception):
    """The verified user is not an HR lead: the caller answers with a kind refusal."""


def require_hr_lead(services: Services, client: WebClient, actor: Actor) -> None:
    if not is_hr_lead(services, client, actor):
        raise NotHrLeadError


def team_page(services: Services, actor: Actor) -> dict[str, Any]:
    with services.sessions.begin() as session:
        programs = list(programs_of(session, team_id=actor.team_id))
        for program in programs:
            session.expunge(program)
        leads = list(named_hr_leads(session, team_id=actor.team_id))
    return team_view(services.renderer, team=TeamPage(programs=programs, named_leads=leads))


def program_page(services: Services, client: WebClient, actor: Actor) -> dict[str, Any]:
    try:
        groups = client.usergroups_list(team_id=actor.workspace_id).get("usergroups") or []
    except SlackApiError:
        groups = []
    usergroups = [{"id": g["id"], "handle": g.get("handle") or g["id"]} for g in groups[:100]]
    with services.sessions.begin() as session:
        member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
        today = local_today(member.tz if member else "UTC", services.clock())
    return program_view(services.renderer, themes=THEMES, usergroups=usergroups, today=today)


def _program_errors(draft: ProgramDraft) -> dict[str, str]:
    errors = {}
    if not draft.name.strip():
        errors["name"] = "Please give it a name people will recognise."
    elif shown_length(draft.name.strip()) > PROGRAM_NAME_MAX:
        errors["name"] = (
            f"Please keep the name under {PROGRAM_NAME_MAX} characters (<, > and & count as 4 or 5)."
        )
    if bool(draft.channel) == bool(draft.usergroup):
        errors["channel"] = "Choose one channel, or one user group (not both)."
    try:
        time.fromisoformat(draft.at or "")
    except ValueError:
        errors["time"] = "Choose a time of day, like 10:00."
    try:
        date.fromisoformat(draft.start or "")
    except ValueError:
        errors["start"] = "Choose a start date."
    return errors


def create_program(services: Services, actor: Actor, draft: ProgramDraft) -> tuple[ViewResponse, int | None]:
    errors = _program_errors(draft)
    if errors:
        return ViewResponse("errors", errors=errors), None
    now = services.clock()
    weekday = small_int(draft.weekday, 0)
    with services.sessions.begin() as session:
        program = add_program(
            session,
            team_id=actor.team_id,
            workspace_id=actor.workspace_id,
            name=draft.name.strip(),
            audience_kind="channel" if draft.channel else "usergroup",
            audience_id=draft.channel or draft.usergroup or "",
            weekday=min(max(weekday, 0), 6),
            at=time.fromisoformat(draft.at or ""),
            start=date.fromisoformat(draft.start or ""),
            themes=chosen_themes(draft.themes),
            now=now,
        )
        audit(
            session,
            team_id=actor.team_id,
            actor_id=actor.user_id,
            action="program_created",
            subject=str(program.id),
            now=now,
        )
        program_id = program.id
    return ViewResponse("clear"), program_id


def change_program(services: Services, actor: Actor, *, program_value: str, action: str) -> bool:
    """Pause, resume or delete a program of the actor's workspace; audited."""
    program_id = small_int(program_value, -1)
    now = services.clock()
    with services.sessions.begin() as session:
        program = get_program(session, team_id=actor.team_id, program_id=program_id)
        if program is None:
            return False
        if action == "delete":
            session.delete(program)
        else:
            set_program_status(
                session, program, status="paused" if program.status == "active" else "active", now=now
            )
            action = "paused" if program.status == "paused" else "resumed"
        audit(
            session,
            team_id=actor.team_id,
            actor_id=actor.user_id,
            action=f"program_{action}",
            subject=str(program_id),
            now=now,
        )
    return True


def change_hr_lead(services: Services, actor: Actor, *, user_id: str, add: bool) -> None:
    if not SLACK_USER_ID.fullmatch(user_id):
        return  # not a Slack user id (a crafted value): nobody to add or remove
    now = services.clock()
    with services.sessions.begin() as session:
        changed = (
            add_hr_lead(session, team_id=actor.team_id, user_id=user_id, now=now)
            if add
            else remove_hr_lead(session, team_id=actor.team_id, user_id=user_id)
        )
        if changed:
            action = "hr_lead_added" if add else "hr_lead_removed"
            audit(
                session,
                team_id=actor.team_id,
                actor_id=actor.user_id,
                action=action,
                subject=user_id,
                now=now,
            )


def support_page(services: Services, actor: Actor) -> dict[str, Any]:
    with services.sessions.begin() as session:
        workspace = get_workspace(session, team_id=actor.team_id)
        form = SupportForm(
            # Within the form's own limits, even for a value stored before they existed.
            support_text=workspace.support_text[:SUPPORT_TEXT_MAX] if workspace else "",
            support_url=workspace.support_url[:SUPPORT_URL_MAX] if workspace else "",
            retention_days=workspace.retention_days if workspace else None,
            anonymity_k=workspace.anonymity_k if workspace else 5,
        )
    return support_settings_view(services.renderer, form=form)


def save_support(
    services: Services, actor: Actor, *, text: str, url: str, retention: str, k: str | None
) -> ViewResponse:
    text, url = text.strip(), url.strip()
    errors = support_problems(text=text, url=url)
    days = small_int(retention.strip(), -1) if retention.strip() else None
    if days is not None and not 30 <= days <= 3650:
        errors["retention_days"] = "Choose between 30 and 3650 days, or leave it empty to keep reflections."
    if errors:
        return ViewResponse("errors", errors=errors)
    now = services.clock()
    with services.sessions.begin() as session:
        workspace = ensure_workspace(session, team_id=actor.team_id, now=now)
        workspace.support_text, workspace.support_url = text, url
        workspace.retention_days = days
        workspace.anonymity_k = effective_k(small_int(k, 5))
        workspace.updated_at = now
        audit(
            session, team_id=actor.team_id, actor_id=actor.user_id, action="support_settings_changed", now=now
        )
    return ViewResponse("clear")
