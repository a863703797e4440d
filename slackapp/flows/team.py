"""HR leads' team settings: programs, support and retention, HR leads; the listeners check the role."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp.actor import Actor
from slackapp.flows.programs import enroll_audience, set_program_status
from slackapp.flows.responses import ViewResponse
from slackapp.flows.roles import SlackProfile
from slackapp.flows.support import forget_support, support_problems
from slackapp.numbers import small_int
from slackapp.practices.insights import effective_k
from slackapp.practices.themes import THEMES, chosen_themes, weeks_before_a_prompt_repeats
from slackapp.rendering.field_errors import form_error
from slackapp.rendering.programs import (
    ProgramPlan,
    TeamPage,
    program_started_view,
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
from slackapp.scheduling.public_holidays import parse_place
from slackapp.scheduling.reminders import local_today
from slackapp.services import Services
from slackapp.store.audit import audit
from slackapp.store.hr_leads import add_hr_lead, named_hr_leads, remove_hr_lead
from slackapp.store.members import get_member
from slackapp.store.models import TeamProgram
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
    holiday_country: str | None = None  # members' default public holidays (their own choice wins)


@dataclass(frozen=True)
class ProgramDraft:
    name: str
    channel: str | None
    usergroup: str | None
    weekday: str | None
    at: str | None
    start: str | None
    themes: list[str]


def team_page(services: Services, actor: Actor) -> dict[str, Any]:
    with services.sessions.begin() as session:
        programs = list(programs_of(session, team_id=actor.team_id))
        for program in programs:
            session.expunge(program)
        leads = list(named_hr_leads(session, team_id=actor.team_id))
        member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
        tz = member.tz if member else "UTC"
    return team_view(services.renderer, team=TeamPage(programs=programs, named_leads=leads, tz=tz))


def program_page(
    services: Services, client: WebClient, actor: Actor, *, profile: SlackProfile | None = None
) -> dict[str, Any]:
    try:
        groups = client.usergroups_list(team_id=actor.workspace_id).get("usergroups") or []
    except SlackApiError:
        groups = []
    usergroups = [{"id": g["id"], "handle": g.get("handle") or g["id"]} for g in groups[:100]]
    today = _lead_today(services, client, actor, profile)
    return program_view(services.renderer, themes=THEMES, usergroups=usergroups, today=today)


def _lead_zone(services: Services, client: WebClient, actor: Actor, profile: SlackProfile | None) -> str:
    """The HR lead's zone (the one Kindly keeps, else Slack's): where the form's dates are days."""
    with services.sessions.begin() as session:
        member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
        tz = member.tz if member else None
    if tz is None:  # asked with no transaction open
        tz = str((profile or SlackProfile(client, actor)).get().get("tz") or "UTC")
    return tz


def _lead_today(services: Services, client: WebClient, actor: Actor, profile: SlackProfile | None) -> date:
    """Today where the HR lead is: the form's first date, and the earliest start it accepts."""
    return local_today(_lead_zone(services, client, actor, profile), services.clock())


def _program_errors(services: Services, draft: ProgramDraft, *, today: date) -> dict[str, str]:
    errors = {}
    if not draft.name.strip():
        errors["name"] = form_error(services.renderer, "name_empty")
    elif shown_length(draft.name.strip()) > PROGRAM_NAME_MAX:
        errors["name"] = form_error(services.renderer, "name_too_long", limit=PROGRAM_NAME_MAX)
    if bool(draft.channel) == bool(draft.usergroup):
        errors["channel"] = form_error(services.renderer, "one_audience")
    try:
        time.fromisoformat(draft.at or "")
    except ValueError:
        errors["time"] = form_error(services.renderer, "no_time", example="10:00")
    try:
        if date.fromisoformat(draft.start or "") < today:
            errors["start"] = form_error(services.renderer, "past_start")
    except ValueError:
        errors["start"] = form_error(services.renderer, "no_start")
    if not [key for key in draft.themes if key in THEMES]:
        errors["themes"] = form_error(services.renderer, "no_theme")
    return errors


def first_prompt_day(start: date, weekday: int) -> date:
    """The program's first day: its weekday, on or after its start date."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def create_program(
    services: Services,
    client: WebClient,
    actor: Actor,
    draft: ProgramDraft,
    *,
    profile: SlackProfile | None = None,
) -> tuple[ViewResponse, int | None]:
    """Save a valid program and show what will happen, its people still being counted; or field errors."""
    tz = _lead_zone(services, client, actor, profile)
    errors = _program_errors(services, draft, today=local_today(tz, services.clock()))
    if errors:
        return ViewResponse("errors", errors=errors), None
    now = services.clock()
    weekday = min(max(small_int(draft.weekday, 0), 0), 6)
    at, start = time.fromisoformat(draft.at or ""), date.fromisoformat(draft.start or "")
    with services.sessions.begin() as session:
        program = add_program(
            session,
            team_id=actor.team_id,
            workspace_id=actor.workspace_id,
            name=draft.name.strip(),
            audience_kind="channel" if draft.channel else "usergroup",
            audience_id=draft.channel or draft.usergroup or "",
            weekday=weekday,
            at=at,
            start=start,
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
        plan = _plan_of(program, tz=tz, people=None)
    return ViewResponse("update", view=program_started_view(services.renderer, plan=plan)), program_id


def _plan_of(program: TeamProgram, *, tz: str, people: int | None, unlisted: bool = False) -> ProgramPlan:
    return ProgramPlan(
        name=program.name,
        weekday=program.weekday,
        at=program.local_time,
        first_day=first_prompt_day(program.start_date, program.weekday),
        tz=tz,
        audience_kind=program.audience_kind,
        audience_id=program.audience_id,
        people=people,
        unlisted=unlisted,
        repeats_after_weeks=weeks_before_a_prompt_repeats(program.themes.split(",")),
    )


def enroll_and_confirm(
    services: Services,
    client: WebClient,
    actor: Actor,
    *,
    program_id: int,
    view_id: str,
    profile: SlackProfile | None = None,
) -> None:
    """Enrol the new program's people (Slack calls too slow for the ack), then show how many there are
    in the confirmation the form became."""
    people = enroll_audience(services, client, team_id=actor.team_id, program_id=program_id)
    tz = _lead_zone(services, client, actor, profile)
    with services.sessions.begin() as session:
        program = get_program(session, team_id=actor.team_id, program_id=program_id)
        if program is None:
            return
        plan = _plan_of(program, tz=tz, people=people, unlisted=people is None)
    try:
        client.views_update(view_id=view_id, view=program_started_view(services.renderer, plan=plan))
    except SlackApiError as error:  # closed meanwhile: the team page shows the program anyway
        log.info("could not update a program's confirmation: %s", error.response.get("error"))


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
            holiday_country=workspace.holiday_country if workspace else None,
        )
    return support_settings_view(services.renderer, form=form)


def save_support(
    services: Services,
    actor: Actor,
    *,
    text: str,
    url: str,
    retention: str,
    k: str | None,
    holiday_country: str | None = None,
) -> ViewResponse:
    """Save the workspace's support, privacy and holiday settings; `holiday_country` None (a form opened
    before it had the field) leaves the holidays as they are."""
    text, url = text.strip(), url.strip()
    errors = support_problems(services.renderer, text=text, url=url)
    country = parse_place(holiday_country) if holiday_country and holiday_country.strip() else None
    if holiday_country and holiday_country.strip() and (country is None or country.subdivision):
        errors["holiday_country"] = form_error(services.renderer, "holiday_country")
    days = small_int(retention.strip(), -1) if retention.strip() else None
    if days is not None and not 30 <= days <= 3650:
        errors["retention_days"] = form_error(services.renderer, "retention")
    if errors:
        return ViewResponse("errors", errors=errors)
    now = services.clock()
    with services.sessions.begin() as session:
        workspace = ensure_workspace(session, team_id=actor.team_id, now=now)
        workspace.support_text, workspace.support_url = text, url
        workspace.retention_days = days
        workspace.anonymity_k = effective_k(small_int(k, 5))
        if holiday_country is not None:
            workspace.holiday_country = country.country if country else None
        workspace.updated_at = now
        audit(
            session, team_id=actor.team_id, actor_id=actor.user_id, action="support_settings_changed", now=now
        )
    forget_support(services, actor.team_id)
    return ViewResponse("clear")
