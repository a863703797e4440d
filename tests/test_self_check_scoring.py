"""The SSCS-S as published: items 2, 4 and 5 reversed, the mean of six; weekly means; a month's first
Monday across time zones and daylight saving."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from slackapp.practices.self_check import (
    ITEMS,
    Change,
    Problem,
    change_between,
    check_answers,
    score,
    weekly_means,
)
from slackapp.scheduling.occurrences import next_monthly_occurrence


def answered(*values: int) -> dict[str, int]:
    return {item.key: value for item, value in zip(ITEMS, values, strict=True)}


def test_exactly_items_two_four_and_five_are_reversed() -> None:
    assert [item.reverse for item in ITEMS] == [False, True, False, True, True, False]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((5, 1, 5, 1, 1, 5), Fraction(5)),  # kindest: the reversed items at 1 count as 5
        ((1, 5, 1, 5, 5, 1), Fraction(1)),
        ((3, 3, 3, 3, 3, 3), Fraction(3)),
        ((4, 2, 3, 5, 1, 2), Fraction(4 + 4 + 3 + 1 + 5 + 2, 6)),  # 19/6
        ((1, 1, 1, 1, 1, 1), Fraction(1 + 5 + 1 + 5 + 5 + 1, 6)),  # 3: reversal is what makes it so
        ((5, 5, 5, 5, 5, 5), Fraction(5 + 1 + 5 + 1 + 1 + 5, 6)),
        ((2, 4, 4, 2, 3, 5), Fraction(2 + 2 + 4 + 4 + 3 + 5, 6)),  # 20/6
    ],
)
def test_the_score_matches_hand_computed_cases(values: tuple[int, ...], expected: Fraction) -> None:
    assert score(answered(*values)) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (None, Problem.MISSING),
        ("", Problem.MISSING),
        ("0", Problem.INVALID),
        ("6", Problem.INVALID),
        ("3.5", Problem.INVALID),
        ("-1", Problem.INVALID),
        ("٣", Problem.INVALID),
        ("three", Problem.INVALID),
    ],
)
def test_a_missing_forged_or_out_of_range_answer_is_a_problem_on_its_own_item(
    raw: str | None, problem: Problem
) -> None:
    submitted: dict[str, str | None] = {item.key: "3" for item in ITEMS}
    submitted["sscs_4"] = raw
    checked = check_answers(submitted)
    assert not checked.ok
    assert checked.problems == {"sscs_4": problem}
    assert checked.answers == {}


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        (Fraction(2), Fraction(3), Change.MUCH_KINDER),
        (Fraction(2), Fraction(13, 6), Change.KINDER),
        (Fraction(3), Fraction(3), Change.ABOUT_THE_SAME),
        (Fraction(3), Fraction(17, 6), Change.HARDER),
    ],
)
def test_the_change_between_two_checks(before: Fraction, after: Fraction, change: Change) -> None:
    assert change_between(before, after) is change


def test_weekly_means_group_by_monday_and_leave_empty_weeks_out() -> None:
    means = weekly_means(
        [
            (date(2027, 1, 10), Fraction(2)),  # a Sunday: the week of 4 January
            (date(2027, 1, 4), Fraction(3)),
            (date(2027, 1, 25), Fraction(4)),
            (date(2027, 1, 31), Fraction(5)),
        ]
    )
    assert [(m.week, m.mean, m.checks) for m in means] == [
        (date(2027, 1, 4), Fraction(5, 2), 2),
        (date(2027, 1, 25), Fraction(9, 2), 2),
    ]


@pytest.mark.parametrize(
    ("after", "zone", "expected"),
    [
        # 1 February 2027 is a Monday: 9:00 in Berlin is 8:00 UTC.
        (datetime(2027, 1, 20, tzinfo=UTC), "Europe/Berlin", datetime(2027, 2, 1, 8, tzinfo=UTC)),
        # Once it has passed, the next is the first Monday of March (summer time not yet).
        (datetime(2027, 2, 1, 8, tzinfo=UTC), "Europe/Berlin", datetime(2027, 3, 1, 8, tzinfo=UTC)),
        # The first Monday of April is after the change to summer time: 9:00 is 7:00 UTC.
        (datetime(2027, 3, 2, tzinfo=UTC), "Europe/Berlin", datetime(2027, 4, 5, 7, tzinfo=UTC)),
        # December to January crosses a year.
        (datetime(2027, 12, 7, tzinfo=UTC), "America/New_York", datetime(2028, 1, 3, 14, tzinfo=UTC)),
    ],
)
def test_the_monthly_check_in_falls_on_the_first_monday_at_nine_local(
    after: datetime, zone: str, expected: datetime
) -> None:
    found = next_monthly_occurrence(after=after, weekday=0, at=time(9), zone=ZoneInfo(zone))
    assert found == expected
