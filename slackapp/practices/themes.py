"""Themes of the weekly team prompt, in rotation (their copy: templates/messages/team_prompt.json.j2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

THEMES: dict[str, str] = {
    "common_humanity": "Common humanity",
    "kindness": "Kindness to yourself",
    "rest": "Rest and comfort",
    "courage": "Courage and boundaries",
    "strengths": "Your strengths",
    "kintsugi": "Mending with gold",
}


def chosen_themes(keys: Sequence[str]) -> list[str]:
    """Known theme keys in catalogue order; all of them when none is chosen."""
    chosen = [key for key in THEMES if key in set(keys)]
    return chosen or list(THEMES)


def theme_of_week(themes: Sequence[str], *, start: date, day: date) -> str:
    """The rotation: one theme a week, counted from the program's start date."""
    rotation = chosen_themes(themes)
    weeks = max(0, (day - start).days // 7)
    return rotation[weeks % len(rotation)]
