"""Preparing a workspace's claimed deliveries: the gentle rules decide which go, Do Not Disturb defers.

What goes is rendered here, into a message ready for the workspace's lane; what does not is recorded as
skipped (with its reason) or released until the person's Do Not Disturb ends, inside the grace window.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from slackapp.practices.rotation import reminder_wording
from slackapp.practices.themes import prompt_of_week
from slackapp.rendering import Renderer
from slackapp.rendering.programs import team_prompt_message
from slackapp.rendering.reminders import reminder_message
from slackapp.rendering.self_check import check_reminder_message
from slackapp.scheduling.dnd import dnd_windows
from slackapp.scheduling.gentle import (
    DueReminder,
    answered,
    pace_step,
    reason_to_skip,
    resume_after_away,
    resume_after_dnd,
)
from slackapp.scheduling.occurrences import zone_or_utc
from slackapp.scheduling.planning import Claimed
from slackapp.scheduling.public_holidays import HolidayPlace, is_public_holiday, place_of
from slackapp.scheduling.reminders import pace_of, set_pace
from slackapp.scheduling.tick_report import TickReport
from slackapp.services import Services
from slackapp.store.deliveries import Status, finish, had_team_prompts, release
from slackapp.store.members import members_of
from slackapp.store.models import Delivery, Member, Schedule, TeamProgram
from slackapp.store.reflections import latest_reflections_of
from slackapp.store.rows import rows_by_id
from slackapp.store.schedules import CHECK_IN, PERSONAL
from slackapp.store.workspaces import workspace_holiday_countries

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ready:
    item: Claimed
    message: dict[str, Any]
    # The person's workspace inside an org-wide install (None otherwise, or unknown): the org's token
    # must name it to dnd.teamInfo.
    workspace_id: str | None = None
    waits: int = 0  # 429s waited out in this tick


def apply_gentle_rules(
    services: Services,
    items: Sequence[Claimed],
    now: datetime,
    report: TickReport,
    *,
    grace: timedelta,
    messages: Messages,
) -> list[Ready]:
    """Decide, for a claim's deliveries at once (any workspaces, one transaction), which go and which
    are skipped."""
    if not items:
        return []
    people = {(item.team_id, item.user_id) for item in items}
    ready = []
    with services.sessions.begin() as session:
        deliveries = rows_by_id(session, Delivery, [item.delivery_id for item in items])
        schedules = rows_by_id(session, Schedule, [item.schedule_id for item in items])
        programs = rows_by_id(
            session, TeamProgram, [s.program_id for s in schedules.values() if s.program_id]
        )
        members = members_of(session, people)
        latest = latest_reflections_of(session, people)
        prompted = had_team_prompts(
            session, {(s.team_id, s.user_id) for s in schedules.values() if s.program_id is not None}
        )
        holiday_countries = workspace_holiday_countries(session, {team_id for team_id, _ in people})
        for item in items:
            delivery, schedule = deliveries.get(item.delivery_id), schedules.get(item.schedule_id)
            if delivery is None or schedule is None:
                report.skipped["removed"] += 1
                continue
            program = programs.get(schedule.program_id) if schedule.program_id else None
            person = (item.team_id, item.user_id)
            member = members.get(person)
            try:
                place = place_of(
                    member, workspace_country=holiday_countries.get(item.team_id), tz=schedule.tz
                )
                due = _due_reminder(schedule, program, member, latest.get(person), item, place)
                reason = reason_to_skip(due, now=now, grace=grace)
                if schedule.kind == CHECK_IN and not services.self_check:
                    reason = "switched_off"  # the operator switched the self-check off since
                resume_at = resume_after_away(
                    due.away_until, occurrence_at=due.occurrence_at, now=now, grace=grace
                )
                if reason is None and resume_at is None:
                    reason = "away"
                elif reason is None and resume_at is not None and resume_at > now:
                    release(delivery, not_before=resume_at, reason="away")
                    report.deferred += 1
                    continue
                reason, tell = _paced(schedule, reason)
                first = program is not None and person not in prompted
                message = {}
                if reason is None:
                    message = messages.for_delivery(schedule, program, item, first=first, easing=tell)
                    if first:
                        prompted.add(person)  # a second program's first prompt in this tick: no repeat
            except Exception as error:  # one bad row is skipped, never the batch
                log.warning("delivery %d cannot be prepared (%s); skipped", item.delivery_id, error)
                reason, message = "invalid", {}
            if reason is None:
                ready.append(Ready(item, message, _workspace_of(member, program)))
                continue
            finish(session, delivery, status=Status.SKIPPED, now=now, reason=reason)
            schedule.last_reminder_at = max(
                schedule.last_reminder_at or item.occurrence_at, item.occurrence_at
            )
            report.skipped[reason] += 1
    return ready


def defer_during_dnd(
    services: Services,
    client: WebClient,
    items: Sequence[Ready],
    now: datetime,
    report: TickReport,
    *,
    grace: timedelta,
) -> list[Ready]:
    """Hold back whoever is in Do Not Disturb: until it ends, or skipped when that is past the grace."""
    windows = dnd_windows(client, [(ready.workspace_id, ready.item.user_id) for ready in items])
    ready = []
    for waiting in items:
        item = waiting.item
        window = windows.get(item.user_id)
        if window is None or not window.covers(now):
            ready.append(waiting)
            continue
        resume_at = resume_after_dnd(window, occurrence_at=item.occurrence_at, now=now, grace=grace)
        with services.sessions.begin() as session:
            delivery = session.get(Delivery, item.delivery_id)
            if delivery is None:
                continue
            if resume_at is None:
                finish(session, delivery, status=Status.SKIPPED, now=now, reason="dnd")
                report.skipped["dnd"] += 1
            else:
                release(delivery, not_before=resume_at, reason="dnd")
                report.deferred += 1
    return ready


class Messages:
    """A tick's messages: everyone due the same day gets the same personal reminder, and a program's
    members the same prompt, so each is rendered once per tick, not once per person."""

    def __init__(self, renderer: Renderer) -> None:
        self._renderer = renderer
        self._rendered: dict[tuple[object, ...], dict[str, Any]] = {}
        self._lock = threading.Lock()

    def for_delivery(
        self,
        schedule: Schedule,
        program: TeamProgram | None,
        item: Claimed,
        *,
        first: bool = False,
        easing: bool = False,
    ) -> dict[str, Any]:
        """The person's reminder (saying, once, when Kindly starts `easing` off), their monthly check-in
        reminder, or their program's prompt for the week (with the introduction to self-compassion when
        it is the `first` team prompt to reach them)."""
        if schedule.kind == CHECK_IN:
            return self._once(("check_in",), lambda: check_reminder_message(self._renderer))
        zone, _ = zone_or_utc(schedule.tz)
        day = item.occurrence_at.astimezone(zone).date()
        if program is None:
            variant = reminder_wording(team_id=item.team_id, user_id=item.user_id, day=day)
            return self._once(
                ("reminder", variant, easing),
                lambda: reminder_message(self._renderer, variant=variant, easing=easing),
            )
        prompt = prompt_of_week(program.themes.split(","), start=program.start_date, day=day)
        return self._once(
            ("prompt", program.id, program.name, prompt, first),
            lambda: team_prompt_message(
                self._renderer, prompt=prompt, program_name=program.name, program_id=program.id, first=first
            ),
        )

    def _once(self, key: tuple[object, ...], render: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        with self._lock:
            message = self._rendered.get(key)
        if message is None:
            message = render()
            with self._lock:
                self._rendered[key] = message
        return message


def _paced(schedule: Schedule, reason: str | None) -> tuple[str | None, bool]:
    """The gentle back-off of a person's own reminders: a kind moment since the last one restores their
    pace; one that would go out may be let go ("half_pace"), or be the one that says Kindly eases off."""
    if schedule.kind != PERSONAL:
        return reason, False
    pace = pace_of(schedule)
    if reason == "already_reflected":
        set_pace(schedule, answered(pace))
    if reason is not None:
        return reason, False
    step = pace_step(pace)
    set_pace(schedule, step.pace)
    return (None if step.send else "half_pace"), step.tell


def _workspace_of(member: Member | None, program: TeamProgram | None) -> str | None:
    """The person's own workspace when a request of theirs said it, else their program's."""
    if member is not None and member.workspace_id:
        return member.workspace_id
    return program.workspace_id if program is not None else None


def _due_reminder(
    schedule: Schedule,
    program: TeamProgram | None,
    member: Member | None,
    latest_reflection: datetime | None,
    item: Claimed,
    holiday_place: HolidayPlace | None,
) -> DueReminder:
    zone, _ = zone_or_utc(schedule.tz)
    since = schedule.last_reminder_at or schedule.created_at
    personal = schedule.program_id is None
    # A kind moment taken since says nothing of whether a monthly check-in is welcome.
    counts_moments = personal and schedule.kind != CHECK_IN
    local_day = item.occurrence_at.astimezone(zone).date()
    return DueReminder(
        occurrence_at=item.occurrence_at,
        local_day=local_day,
        holiday=is_public_holiday(local_day, holiday_place),
        away_until=member.away_until if member else None,
        paused_until=schedule.paused_until,
        stopped=schedule.stopped_reason is not None,
        quiet_on=member.quiet_on if member else None,
        reflected_since_last=counts_moments and latest_reflection is not None and latest_reflection > since,
        program_active=personal or (program is not None and program.status == "active"),
        opted_out=not personal and member is not None and not member.team_prompts,
    )
