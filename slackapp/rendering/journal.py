"""The journal, one entry, and the App Home."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slackapp.practices.reminders import ReminderState
from slackapp.rendering.entries import Answer, EntrySummary, Support
from slackapp.rendering.environment import Renderer
from slackapp.rendering.self_check import TrendWeek
from slackapp.rendering.shoutouts import ShoutoutItem

PAGE_SIZE = 10
HOME_RECENT = 5
HOME_RECEIVED = 5


def journal_view(
    renderer: Renderer,
    *,
    entries: Sequence[EntrySummary],
    page: int,
    total: int,
    support: Support | None = None,
) -> dict[str, Any]:
    return renderer.view(
        "modals/journal.json.j2",
        entries=entries,
        page=page,
        total=total,
        has_newer=page > 0,
        has_older=(page + 1) * PAGE_SIZE < total,
        support=support,
    )


def entry_view(
    renderer: Renderer,
    *,
    entry: EntrySummary,
    answers: Sequence[Answer],
    can_mend: bool,
    support: Support | None = None,
) -> dict[str, Any]:
    return renderer.view(
        "modals/entry.json.j2", entry=entry, answers=answers, can_mend=can_mend, support=support
    )


def entry_missing_view(renderer: Renderer) -> dict[str, Any]:
    return renderer.view("modals/entry_missing.json.j2")


@dataclass(frozen=True)
class HomeContext:
    """Everything the person's own App Home shows."""

    recent: Sequence[EntrySummary]
    reminders: ReminderState
    received: Sequence[ShoutoutItem] = ()
    receives_shoutouts: bool = True
    team_prompts: bool = True
    is_hr: bool = False
    support: Support | None = None
    check_trend: Sequence[TrendWeek] | None = ()  # their own self-check's weekly means; None: check off


def home_view(renderer: Renderer, *, home: HomeContext) -> dict[str, Any]:
    return renderer.view(
        "home/home.json.j2",
        home=home,
        recent=home.recent,
        state=home.reminders,
        support=home.support,
        trend=home.check_trend or (),
    )
