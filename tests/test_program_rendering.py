"""Team settings, team prompts and insights render as valid Block Kit."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date, time

import pytest

from slackapp.flows.team import SupportForm
from slackapp.practices.insights import figure, people_figure, sparkline
from slackapp.practices.themes import PROMPTS_PER_THEME, THEMES, MomentRequest, WeekPrompt, read_moment_value
from slackapp.rendering import Renderer
from slackapp.rendering.limits import validate_message, validate_view
from slackapp.rendering.programs import (
    Insights,
    ProgramPlan,
    TeamPage,
    WeekFigures,
    insights_view,
    program_intro_message,
    program_started_view,
    program_view,
    support_settings_view,
    team_prompt_message,
    team_view,
)
from slackapp.store.models import TeamProgram
from tests.support.dates import day_token
from tests.support.views import all_text

PROGRAM_TEMPLATES = {
    "modals/team.json.j2",
    "modals/program.json.j2",
    "modals/program_started.json.j2",
    "modals/support_settings.json.j2",
    "modals/insights.json.j2",
    "messages/team_prompt.json.j2",
    "messages/program_intro.json.j2",
}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_theme_has_its_prompts_with_three_gentle_buttons(renderer: Renderer, theme: str) -> None:
    lines = set()
    for number in range(PROMPTS_PER_THEME):
        message = team_prompt_message(
            renderer, prompt=WeekPrompt(theme, number), program_name="Team <!channel>", program_id=7
        )
        validate_message(copy.deepcopy(message))
        assert "&lt;!channel&gt;" in all_text(message)
        assert "deserve" not in all_text(message).lower()
        lines.add(message["text"])
    assert len(lines) == PROMPTS_PER_THEME  # each of the theme's prompts is its own


def a_program(audience_kind: str, audience_id: str) -> TeamProgram:
    return TeamProgram(
        id=7,
        team_id="T0001",
        name="Weekly kind moment",
        audience_kind=audience_kind,
        audience_id=audience_id,
        weekday=4,
        local_time=time(10),
        start_date=date(2027, 1, 4),
        themes="rest",
        status="active",
    )


def test_team_views_render(renderer: Renderer) -> None:
    for_a_channel, for_a_group = a_program("channel", "C0TEAM"), a_program("usergroup", "S0CARE")
    shown = team_view(renderer, team=TeamPage(programs=[for_a_channel, for_a_group], named_leads=["U0HANNA"]))
    validate_view(shown)
    assert "<#C0TEAM>" in all_text(shown) and "<!subteam^S0CARE>" in all_text(shown)  # as Slack names them
    validate_view(team_view(renderer, team=TeamPage(programs=[], named_leads=[])))
    groups = [{"id": "S1", "handle": "designers"}]
    validate_view(program_view(renderer, themes=THEMES, usergroups=groups, today=date(2027, 1, 4)))
    validate_view(program_view(renderer, themes=THEMES, usergroups=[], today=date(2027, 1, 4)))
    validate_message(program_intro_message(renderer, program_name="Weekly", program_id=7))


@pytest.mark.parametrize(
    ("people", "first_day", "summary"),
    [
        (None, date(2026, 12, 8), "|2026-12-08>. Kindly is counting"),
        (23, date(2026, 12, 8), "|2026-12-08>, 23 people."),
        (1, date(2027, 1, 5), "|2027-01-05>, 1 person."),
    ],
)
def test_a_new_program_says_what_will_happen(
    renderer: Renderer, people: int | None, first_day: date, summary: str
) -> None:
    for kind, audience in (("channel", "C0TEAM"), ("usergroup", "S0CARE")):
        plan = ProgramPlan(
            name="Weekly <kind> moment",
            weekday=1,
            at=time(10),
            first_day=first_day,
            tz="Pacific/Auckland",  # the HR lead's zone: the token is midday of that day there
            audience_kind=kind,
            audience_id=audience,
            people=people,
        )
        shown = program_started_view(renderer, plan=plan)
        validate_view(copy.deepcopy(shown))
        starting = (
            f"Weekly on Tuesdays at each member's 10:00, starting {day_token(first_day, 'Pacific/Auckland')}"
        )
        assert starting in all_text(shown) and summary in all_text(shown)
        assert "Weekly &lt;kind&gt; moment" in all_text(shown)
        unlisted = program_started_view(renderer, plan=replace(plan, people=None, unlisted=True))
        validate_view(copy.deepcopy(unlisted))
        assert "nobody is enrolled yet" in all_text(unlisted)
        honest = program_started_view(renderer, plan=replace(plan, repeats_after_weeks=8))
        validate_view(copy.deepcopy(honest))
        assert "prompts come around again after 8 weeks" in all_text(honest)


def test_support_settings_render(renderer: Renderer) -> None:
    form = SupportForm("EAP: 0800 123", "https://eap.example", 365, 5, holiday_country="DE")
    view = support_settings_view(renderer, form=form)

    validate_view(view)
    (country,) = [block for block in view["blocks"] if block.get("block_id") == "holiday_country"]
    assert country["element"]["initial_value"] == "DE"


def test_insights_render_with_suppressed_and_shown_figures(renderer: Renderer) -> None:
    weeks = [
        WeekFigures(
            date(2027, 1, 4),
            people_figure(12 if n else None, k=5),
            figure(n if n > 4 else None),
            figure(None),
            figure(n),
        )
        for n in range(8)
    ]
    line = sparkline([w.took_moment.value for w in weeks], [w.people.value for w in weeks])
    view = insights_view(renderer, insights=Insights("Weekly", 5, weeks, line))
    validate_view(view)
    assert "People in the program: fewer than 5" in all_text(view)
    assert '"This helped": not shown' in all_text(view)
    validate_view(insights_view(renderer, insights=Insights("Weekly", 5, [], "")))


def test_a_team_prompts_kind_moment_button_names_its_program_and_theme(renderer: Renderer) -> None:
    message = team_prompt_message(renderer, prompt=WeekPrompt("rest", 0), program_name="Weekly", program_id=7)
    opened = [
        element
        for block in message["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == "kind_moment_open"
    ]
    assert [button["value"] for button in opened] == ["7:rest"]
    assert read_moment_value(opened[0]["value"]) == MomentRequest(program_value="7", practice="comfort")


def test_only_a_members_first_prompt_carries_the_introduction(renderer: Renderer) -> None:
    prompt = WeekPrompt("rest", 0)
    first, later = (
        team_prompt_message(renderer, prompt=prompt, program_name="W", program_id=7, first=first)
        for first in (True, False)
    )
    validate_message(copy.deepcopy(first))
    assert "what is self-compassion" in all_text(first).lower()
    assert "what is self-compassion" not in all_text(later).lower()
    assert first["text"] == later["text"]
