"""The team prompt's rotation of themes and prompts, and the reminder's rotation of wordings."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from slackapp.practices.catalogue import PRACTICES
from slackapp.practices.rotation import reminder_wording
from slackapp.practices.themes import (
    THEME_PRACTICES,
    THEMES,
    MomentRequest,
    WeekPrompt,
    prompt_of_week,
    read_moment_value,
    weeks_before_a_prompt_repeats,
)
from slackapp.rendering import Renderer
from slackapp.rendering.programs import program_view, team_prompt_message

START = date(2027, 1, 4)  # a Monday


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def weekly_lines(renderer: Renderer, themes: list[str], weeks: int) -> list[str]:
    """The text of a program's prompt, week after week, as its members read it."""
    lines = []
    for week in range(weeks):
        prompt = prompt_of_week(themes, start=START, day=START + timedelta(weeks=week))
        message = team_prompt_message(renderer, prompt=prompt, program_name="Weekly", program_id=1)
        lines.append(message["text"])
    return lines


def test_a_program_with_every_theme_sends_forty_different_prompts_before_one_comes_round_again(
    renderer: Renderer,
) -> None:
    lines = weekly_lines(renderer, list(THEMES), 41)
    assert weeks_before_a_prompt_repeats(list(THEMES)) == 40
    assert len(set(lines[:40])) == 40  # so no repeat within 26 weeks either
    assert lines[40] == lines[0]


@pytest.mark.parametrize("themes", [["rest"], ["rest", "kindness"], ["mistakes", "flaws", "needs"]])
def test_fewer_themes_come_round_again_exactly_when_the_form_says(
    renderer: Renderer, themes: list[str]
) -> None:
    weeks = weeks_before_a_prompt_repeats(themes)
    assert weeks == 4 * len(themes)
    lines = weekly_lines(renderer, themes, weeks + 1)
    assert len(set(lines[:weeks])) == weeks
    assert lines[weeks] == lines[0]


def test_themes_take_turns_from_the_start_date_in_catalogue_order() -> None:
    weeks = [
        prompt_of_week(["rest", "kindness"], start=START, day=START + timedelta(days=7 * n)) for n in range(4)
    ]
    assert weeks == [
        WeekPrompt("kindness", 0),
        WeekPrompt("rest", 0),
        WeekPrompt("kindness", 1),
        WeekPrompt("rest", 1),
    ]
    assert prompt_of_week(["rest"], start=START, day=START - timedelta(days=3)) == WeekPrompt("rest", 0)


def test_a_theme_that_no_longer_exists_is_ignored_and_none_left_means_every_theme() -> None:
    assert prompt_of_week(["gratitude", "rest"], start=START, day=START + timedelta(weeks=1)).theme == "rest"
    every = [
        prompt_of_week(["gratitude"], start=START, day=START + timedelta(weeks=n)).theme for n in range(10)
    ]
    assert every == list(THEMES)


def test_every_theme_opens_its_own_practice_and_every_practice_has_a_theme() -> None:
    assert set(THEME_PRACTICES) == set(THEMES)
    assert sorted(THEME_PRACTICES.values()) == sorted(PRACTICES)


def test_the_program_form_offers_every_theme_by_name(renderer: Renderer) -> None:
    form = program_view(renderer, themes=THEMES, usergroups=[], today=START)
    themes = next(block for block in form["blocks"] if block.get("block_id") == "themes")
    assert [option["text"]["text"] for option in themes["element"]["options"]] == list(THEMES.values())
    assert "40 weeks with all of them" in themes["hint"]["text"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7:rest", MomentRequest("7", "comfort")),
        ("7:mistakes", MomentRequest("7", "kind_coach")),
        ("7", MomentRequest("7", None)),  # a button sent before prompts named their theme
        ("7:gratitude", MomentRequest("7", None)),
        ("7:", MomentRequest("7", None)),
        (":rest", MomentRequest("", "comfort")),
        ("7:rest:extra", MomentRequest("7", None)),
    ],
)
def test_a_prompt_buttons_value_is_read_back_safely(value: str, expected: MomentRequest) -> None:
    assert read_moment_value(value) == expected


@pytest.mark.parametrize("weekdays", [{0}, {4}, {0, 2, 4}, {0, 1, 2, 3, 4}, set(range(7)), {5, 6}])
def test_consecutive_reminders_of_any_weekly_schedule_read_differently(weekdays: set[int]) -> None:
    days = [
        START + timedelta(days=n) for n in range(120) if (START + timedelta(days=n)).weekday() in weekdays
    ]
    for person in ("U0ALICE", "U0BOB", "U0CARLA"):
        wordings = [reminder_wording(team_id="T0001", user_id=person, day=day) for day in days]
        assert all(one != other for one, other in itertools.pairwise(wordings))
        assert len(set(wordings)) == 13  # over four months, a person meets every wording


def test_people_do_not_all_read_the_same_wording_on_the_same_day() -> None:
    people = [f"U0PERSON{n}" for n in range(20)]
    assert len({reminder_wording(team_id="T0001", user_id=p, day=START) for p in people}) > 1
