"""The private self-check: taking it, its trend over the weeks, its settings, and the change it shows
when a kind moment starts and ends with it.

Answers are sealed with the person's own key (store/self_checks.py) and are never logged, counted or
shown to anyone else. A check closed before it was submitted leaves nothing stored.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import time, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from slackapp.actor import Actor
from slackapp.flows.responses import ViewResponse
from slackapp.flows.support import workspace_support
from slackapp.practices.self_check import Phase, change_between, check_answers, score, weekly_means
from slackapp.rendering.self_check import (
    TrendWeek,
    change_view,
    check_view,
    overview_view,
    trend_weeks,
)
from slackapp.scheduling.occurrences import weekdays_to_mask, zone_or_utc
from slackapp.scheduling.reminders import next_due
from slackapp.services import Services
from slackapp.store.crypto import KeyUnavailableError
from slackapp.store.members import ensure_member_of, get_member
from slackapp.store.models import Schedule
from slackapp.store.schedules import CHECK_IN, get_check_in_schedule
from slackapp.store.self_checks import (
    add_check,
    checks_before_and_after,
    list_checks,
    set_before_and_after,
)

log = logging.getLogger(__name__)

# A check after a kind moment is compared with the person's check before it, if taken this recently.
MOMENT_SPAN = timedelta(hours=3)
CHECK_IN_TIME = time(9, 0)
FIRST_INPUT = "sscs_1"


def starts_with_check(services: Services, actor: Actor) -> bool:
    """Whether the person asked for their kind moments to start and end with the check (and the check
    is switched on)."""
    if not services.self_check:
        return False
    with services.sessions.begin() as session:
        return checks_before_and_after(session, team_id=actor.team_id, user_id=actor.user_id)


def check_page(services: Services, actor: Actor, *, phase: Phase, from_home: bool = False) -> dict[str, Any]:
    support = workspace_support(services, actor.team_id)
    return check_view(services.renderer, phase=phase, from_home=from_home, support=support)


def after_check_page(services: Services, actor: Actor) -> dict[str, Any] | None:
    """The check that ends a kind moment, when the person chose before and after; else None."""
    if not starts_with_check(services, actor):
        return None
    return check_page(services, actor, phase=Phase.AFTER)


def record_check(
    services: Services, actor: Actor, *, phase: Phase, submitted: Mapping[str, str | None]
) -> ViewResponse | None:
    """Keep a complete check, sealed; None once kept, else field errors that keep the answers on screen."""
    checked = check_answers(submitted)
    if not checked.ok:
        return ViewResponse(
            "errors",
            errors={
                key: services.renderer.text("text/field_error.txt.j2", problem=problem.value)
                for key, problem in checked.problems.items()
            },
        )
    try:
        with services.sessions.begin() as session:
            add_check(
                session,
                services.vault,
                team_id=actor.team_id,
                user_id=actor.user_id,
                answers=checked.answers,
                phase=phase,
                now=services.clock(),
            )
    except (SQLAlchemyError, KeyUnavailableError):
        log.exception("a self-check could not be saved")  # never its answers
        problem = services.renderer.text("text/field_error.txt.j2", problem="save_failed")
        return ViewResponse("errors", errors={FIRST_INPUT: problem})
    return None


def keep_check(
    services: Services, actor: Actor, *, phase: Phase, submitted: Mapping[str, str | None]
) -> ViewResponse:
    """A check taken alone, or the one that ends a kind moment: kept, then thanked or compared."""
    now = services.clock()
    with services.sessions.begin() as session:
        earlier = list_checks(
            session, services.vault, team_id=actor.team_id, user_id=actor.user_id, since=now - MOMENT_SPAN
        )
    problem = record_check(services, actor, phase=phase, submitted=submitted)
    if problem is not None:
        return problem
    if phase is Phase.AFTER:
        befores = [check for check in earlier if check.phase is Phase.BEFORE]
        checked = check_answers(submitted)
        change = change_between(score(befores[-1].answers), score(checked.answers)) if befores else None
        return ViewResponse("update", view=change_view(services.renderer, change=change))
    return ViewResponse("update", view=overview_page(services, actor, thanks=True))


def trend_of(session: Session, services: Services, actor: Actor) -> list[TrendWeek]:
    """The person's weekly means, in their own time zone's weeks."""
    member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
    zone, _ = zone_or_utc(member.tz if member else None)
    checks = list_checks(session, services.vault, team_id=actor.team_id, user_id=actor.user_id)
    means = weekly_means((check.taken_at.astimezone(zone).date(), score(check.answers)) for check in checks)
    return trend_weeks(means, zone=zone)


def overview_page(services: Services, actor: Actor, *, thanks: bool = False) -> dict[str, Any]:
    with services.sessions.begin() as session:
        trend = trend_of(session, services, actor)
        before_and_after = checks_before_and_after(session, team_id=actor.team_id, user_id=actor.user_id)
        monthly = get_check_in_schedule(session, team_id=actor.team_id, user_id=actor.user_id) is not None
    return overview_view(
        services.renderer, trend=trend, before_and_after=before_and_after, monthly=monthly, thanks=thanks
    )


def choose_before_and_after(services: Services, actor: Actor, *, on: bool) -> None:
    with services.sessions.begin() as session:
        set_before_and_after(
            session, team_id=actor.team_id, user_id=actor.user_id, on=on, now=services.clock()
        )


def choose_monthly_reminder(services: Services, actor: Actor, *, on: bool) -> None:
    """Turn the monthly reminder on (the first Monday of each month, 9:00 local time) or off."""
    now = services.clock()
    with services.sessions.begin() as session:
        schedule = get_check_in_schedule(session, team_id=actor.team_id, user_id=actor.user_id)
        if not on:
            if schedule is not None:
                session.delete(schedule)
            return
        if schedule is not None:  # already on; one Slack stopped (say, messages closed) starts again
            if schedule.stopped_reason is not None:
                schedule.stopped_reason = None
                schedule.next_due_at = next_due(schedule, after=now)
            return
        member = ensure_member_of(session, actor, now=now)
        schedule = Schedule(
            team_id=actor.team_id,
            user_id=actor.user_id,
            kind=CHECK_IN,
            weekdays=weekdays_to_mask({0}),
            local_time=CHECK_IN_TIME,
            tz=member.tz,
            created_at=now,
        )
        schedule.next_due_at = next_due(schedule, after=now)
        session.add(schedule)
