"""The private self-check: the State Self-Compassion Scale, Short Form (SSCS-S), and what its scores mean.

Six items (Neff, Tóth-Király, Knox, Kuchar & Davidson, 2021), each answered 1 ("Not at all true for me")
to 5 ("Very true for me"); items 2, 4 and 5 are reverse-scored (6 - answer) and the score is the mean of
all six, from 1.0 to 5.0. Where each part was confirmed is in docs/self-check.md. A reflection aid for the
person alone, never a diagnosis: the domain says how a score changed, never whether it is good enough.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from fractions import Fraction

LOWEST, HIGHEST = 1, 5
CITATION = (
    "Neff, K. D., Tóth-Király, I., Knox, M. C., Kuchar, A., & Davidson, O. (2021). The development and "
    "validation of the State Self-Compassion Scale (Long- and Short Form). Mindfulness, 12(1), 121–140. "
    "https://doi.org/10.1007/s12671-020-01505-4"
)
# Languages with a published, validated translation of the SSCS-S items. Every other language shows the
# English items with a note: a scale's wording is part of its validation, so it is never machine- or
# casually translated.
VALIDATED_LANGUAGES = frozenset({"en"})


@dataclass(frozen=True)
class Item:
    key: str  # the input's block_id
    text: str  # the published wording, verbatim
    reverse: bool


ITEMS: tuple[Item, ...] = (
    Item("sscs_1", "I'm giving myself the caring and tenderness I need.", reverse=False),
    Item("sscs_2", "I'm obsessing and fixating on everything that's wrong.", reverse=True),
    Item(
        "sscs_3",
        "I'm remembering that there are lots of others in the world feeling like I am.",
        reverse=False,
    ),
    Item("sscs_4", "I feel like I'm struggling more than others right now.", reverse=True),
    Item("sscs_5", "I feel intolerant and impatient toward myself.", reverse=True),
    Item("sscs_6", "I'm keeping things in perspective.", reverse=False),
)
# The published anchors are 1 and 5; the three between carry only their number.
RESPONSES: tuple[tuple[int, str], ...] = (
    (1, "1 · Not at all true for me"),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, "5 · Very true for me"),
)


class Phase(Enum):
    """When a check was taken: on its own, or before or after a kind moment."""

    ALONE = "alone"
    BEFORE = "before"
    AFTER = "after"


class Problem(Enum):
    MISSING = "check_missing"
    INVALID = "check_invalid"


@dataclass(frozen=True)
class Checked:
    answers: dict[str, int]
    problems: dict[str, Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_answers(submitted: Mapping[str, str | None]) -> Checked:
    """Each item's answer as a whole number 1-5; a missing, forged or out-of-range one is a problem."""
    answers: dict[str, int] = {}
    problems: dict[str, Problem] = {}
    for item in ITEMS:
        raw = submitted.get(item.key)
        if raw is None or raw == "":
            problems[item.key] = Problem.MISSING
        elif raw.isascii() and raw.isdigit() and LOWEST <= int(raw) <= HIGHEST:
            answers[item.key] = int(raw)
        else:
            problems[item.key] = Problem.INVALID
    return Checked(answers=answers if not problems else {}, problems=problems)


def score(answers: Mapping[str, int]) -> Fraction:
    """The SSCS-S score: reverse items scored 6 - answer, then the mean of the six (exact)."""
    if set(answers) != {item.key for item in ITEMS}:
        raise ValueError("a score needs an answer to each of the six items")
    total = 0
    for item in ITEMS:
        answer = answers[item.key]
        if not LOWEST <= answer <= HIGHEST:
            raise ValueError(f"{item.key} is {answer}, not between {LOWEST} and {HIGHEST}")
        total += (LOWEST + HIGHEST - answer) if item.reverse else answer
    return Fraction(total, len(ITEMS))


class Change(Enum):
    """How the check after a kind moment compares with the one before it, for plain words."""

    MUCH_KINDER = "much_kinder"  # a whole point or more
    KINDER = "kinder"
    ABOUT_THE_SAME = "about_the_same"
    HARDER = "harder"  # said without judgement: some moments stir things up


def change_between(before: Fraction, after: Fraction) -> Change:
    difference = after - before
    if difference >= 1:
        return Change.MUCH_KINDER
    if difference > 0:
        return Change.KINDER
    if difference == 0:
        return Change.ABOUT_THE_SAME
    return Change.HARDER


@dataclass(frozen=True)
class WeekMean:
    week: date  # the Monday the week began, in the person's own time zone
    mean: Fraction
    checks: int


def weekly_means(scored: Iterable[tuple[date, Fraction]]) -> list[WeekMean]:
    """Each week's mean score, oldest first, from (local day, score) pairs; weeks without a check are
    left out, never shown as zero."""
    weeks: dict[date, list[Fraction]] = {}
    for day, value in scored:
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(value)
    return [
        WeekMean(week=week, mean=sum(values, Fraction(0)) / len(values), checks=len(values))
        for week, values in sorted(weeks.items())
    ]


def items_for(language: str) -> tuple[tuple[Item, ...], bool]:
    """The items to show for a language, and whether they fell back to English (no validated
    translation of the scale exists in that language yet)."""
    base = language.split("-")[0].lower()
    return ITEMS, base not in VALIDATED_LANGUAGES
