"""k-anonymity of insights: no figure, alone or with its complement, describes fewer than k people."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from slackapp.practices.insights import MIN_K, effective_k, event_figure, people_figure, sparkline
from slackapp.practices.themes import THEMES, theme_of_week


def test_k_is_never_below_three() -> None:
    assert effective_k(1) == MIN_K and effective_k(7) == 7


def test_four_of_seven_shows_as_fewer_than_five() -> None:
    assert people_figure(4, population=7, k=5).text == "fewer than 5"


def test_a_small_program_shows_no_figure_at_all() -> None:
    assert people_figure(3, population=4, k=5).value is None
    assert event_figure(9, population=4, k=5).value is None


@given(population=st.integers(0, 200), count=st.integers(0, 200), k=st.integers(1, 12))
def test_a_shown_count_and_its_complement_both_describe_at_least_k_people(
    population: int, count: int, k: int
) -> None:
    count = min(count, population)
    figure = people_figure(count, population=population, k=k)
    if figure.value is not None:
        assert figure.value >= effective_k(k)
        assert population - figure.value >= effective_k(k)


def test_the_sparkline_marks_suppressed_weeks() -> None:
    line = sparkline([None, 5, 10, None], population=20)
    assert len(line) == 4 and line[0] == "·" and line[3] == "·" and line[1] != line[2]


def test_themes_rotate_weekly_from_the_start_date() -> None:
    start = date(2027, 1, 4)
    themes = ["rest", "kindness"]
    assert [theme_of_week(themes, start=start, day=date(2027, 1, 4 + 7 * n)) for n in range(3)] == [
        "kindness",
        "rest",
        "kindness",
    ]
    assert theme_of_week([], start=start, day=start) == next(iter(THEMES))
