"""Views of the private self-check: the six items, the trend of weekly means, the change after a moment."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from slackapp.practices.self_check import CITATION, HIGHEST, RESPONSES, Change, Phase, WeekMean, items_for
from slackapp.rendering.entries import Support
from slackapp.rendering.environment import Renderer

BAR_WIDTH = 20  # characters of the longest bar in the chart (a mean of 5)
TREND_WEEKS = 12  # the most recent weeks shown


@dataclass(frozen=True)
class TrendWeek:
    """One week of the trend as shown: when it began, its mean to one decimal, and its bar."""

    began: datetime  # the week's Monday at noon in the person's zone, as a UTC instant for <!date>
    mean: str
    checks: int
    bar: str


def trend_weeks(means: Sequence[WeekMean], *, zone: ZoneInfo) -> list[TrendWeek]:
    shown = []
    for week in means[-TREND_WEEKS:]:
        filled = round(week.mean * BAR_WIDTH / HIGHEST)
        shown.append(
            TrendWeek(
                began=datetime.combine(week.week, time(12), tzinfo=zone).astimezone(UTC),
                mean=one_decimal(week.mean),
                checks=week.checks,
                bar="█" * filled + "░" * (BAR_WIDTH - filled),
            )
        )
    return shown


def one_decimal(value: Fraction) -> str:
    tenths = (value * 10 + Fraction(1, 2)).__floor__()  # half up, exactly: 3.25 -> 3.3
    return f"{tenths // 10}.{tenths % 10}"


def check_view(
    renderer: Renderer,
    *,
    phase: Phase,
    from_home: bool = False,
    language: str = "en",
    support: Support | None = None,
) -> dict[str, Any]:
    items, in_english = items_for(language)
    return renderer.view(
        "modals/self_check.json.j2",
        phase=phase.value,
        items=items,
        responses=RESPONSES,
        citation=CITATION,
        english_fallback=in_english,
        support=support,
        metadata=json.dumps({"check": phase.value, **({"from_home": True} if from_home else {})}),
    )


def phase_of_view(view: dict[str, Any]) -> Phase | None:
    """The phase a submitted check was rendered for (routing, never identity); None if unknown."""
    try:
        metadata = json.loads(str(view.get("private_metadata") or "{}"))
        return Phase(metadata.get("check")) if isinstance(metadata, dict) else None
    except (json.JSONDecodeError, ValueError):
        return None


def overview_view(
    renderer: Renderer,
    *,
    trend: Sequence[TrendWeek],
    before_and_after: bool,
    monthly: bool,
    thanks: bool = False,
) -> dict[str, Any]:
    return renderer.view(
        "modals/self_check_overview.json.j2",
        trend=trend,
        before_and_after=before_and_after,
        monthly=monthly,
        thanks=thanks,
        citation=CITATION,
    )


def change_view(renderer: Renderer, *, change: Change | None) -> dict[str, Any]:
    """The close of a kind moment taken with the check before and after: the change in plain words."""
    return renderer.view("modals/self_check_change.json.j2", change=change.value if change else None)


def check_reminder_message(renderer: Renderer) -> dict[str, Any]:
    return renderer.message("messages/self_check_reminder.json.j2")
