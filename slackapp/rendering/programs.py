"""Team prompts, their intro, and the HR lead's team views."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from slackapp.practices.insights import Figure
from slackapp.practices.themes import PROMPTS_PER_THEME, WeekPrompt, moment_value
from slackapp.rendering.environment import Renderer


def team_prompt_message(
    renderer: Renderer, *, prompt: WeekPrompt, program_name: str, program_id: int, first: bool = False
) -> dict[str, Any]:
    """The week's prompt; a member's `first` one carries the introduction to self-compassion."""
    return renderer.message(
        "messages/team_prompt.json.j2",
        prompt=prompt,
        program_name=program_name,
        program_id=program_id,
        moment_value=moment_value(program_id, prompt.theme),
        first=first,
    )


def program_intro_message(renderer: Renderer, *, program_name: str, program_id: int) -> dict[str, Any]:
    return renderer.message(
        "messages/program_intro.json.j2", program_name=program_name, program_id=program_id
    )


@dataclass(frozen=True)
class TeamPage:
    programs: Sequence[Any]
    named_leads: Sequence[str]
    tz: str = "UTC"  # the HR lead's: the zone a program's start day is shown for


@dataclass(frozen=True)
class WeekFigures:
    """A closed week's frozen figures."""

    start: date
    people: Figure
    took_moment: Figure
    helped: Figure
    shoutouts: Figure


@dataclass(frozen=True)
class Insights:
    name: str
    k: int
    weeks: Sequence[WeekFigures]  # closed weeks only, oldest first
    sparkline: str
    tz: str = "UTC"  # the HR lead's: the zone each week's first day is shown for


@dataclass(frozen=True)
class ProgramPlan:
    """What a new program will do, as its confirmation says it."""

    name: str
    weekday: int  # Monday = 0
    at: time  # in each member's own zone
    first_day: date
    tz: str  # the HR lead's: the zone the first day is shown for
    audience_kind: str
    audience_id: str
    people: int | None  # None while still counting, or when Slack would not say (`unlisted`)
    unlisted: bool = False
    repeats_after_weeks: int | None = None  # when its prompts come around again (themes.py)


def team_view(renderer: Renderer, *, team: TeamPage) -> dict[str, Any]:
    return renderer.view("modals/team.json.j2", team=team)


def program_view(
    renderer: Renderer, *, themes: dict[str, str], usergroups: Sequence[Any], today: date
) -> dict[str, Any]:
    return renderer.view(
        "modals/program.json.j2",
        themes=themes,
        usergroups=usergroups,
        today=today,
        prompts_per_theme=PROMPTS_PER_THEME,
    )


def program_started_view(renderer: Renderer, *, plan: ProgramPlan) -> dict[str, Any]:
    return renderer.view("modals/program_started.json.j2", plan=plan)


def support_settings_view(renderer: Renderer, *, form: Any) -> dict[str, Any]:
    return renderer.view("modals/support_settings.json.j2", form=form)


def insights_view(renderer: Renderer, *, insights: Insights) -> dict[str, Any]:
    return renderer.view("modals/insights.json.j2", insights=insights)
