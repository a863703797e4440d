"""Themes of the weekly team prompt, in rotation (their copy: templates/messages/team_prompt.json.j2).

A program's week `w` (counted from its start date) has the theme `rotation[w % T]`, where the rotation is
the program's T chosen themes, and that theme's prompt number `(w // T) % PROMPTS_PER_THEME`: each theme
shows its prompts in turn, one each time its week comes around. So a program repeats a prompt only after
`T * PROMPTS_PER_THEME` weeks (40 with all ten themes); no rule can do better with fewer themes, since a
theme chosen alone has only its own prompts to give. The program form says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

THEMES: dict[str, str] = {
    "common_humanity": "Common humanity",
    "kindness": "Kindness to yourself",
    "rest": "Rest and comfort",
    "courage": "Courage and boundaries",
    "strengths": "Your strengths",
    "kintsugi": "Mending with gold",
    "mistakes": "Mistakes and setbacks",
    "flaws": "Flaws and all",
    "needs": "Meeting your own needs",
    "compassionate_image": "A compassionate presence",
}

# The practice a theme's "Take a kind moment" button opens (keys of practices/catalogue.py).
THEME_PRACTICES: dict[str, str] = {
    "common_humanity": "self_compassion_break",
    "kindness": "friends_words",
    "rest": "comfort",
    "courage": "courage",
    "strengths": "character_note",
    "kintsugi": "kintsugi",
    "mistakes": "kind_coach",
    "flaws": "flaws_and_all",
    "needs": "provide",
    "compassionate_image": "compassionate_image",
}

# How many prompts each theme has in team_prompt.json.j2 (a test holds the template to it).
PROMPTS_PER_THEME = 4

_MOMENT_SEPARATOR = ":"


@dataclass(frozen=True)
class WeekPrompt:
    """Which prompt a program sends in a given week: a theme, and the number of that theme's prompt."""

    theme: str
    number: int


def chosen_themes(keys: Sequence[str]) -> list[str]:
    """Known theme keys in catalogue order; all of them when none is chosen (or none is known any more)."""
    chosen = [key for key in THEMES if key in set(keys)]
    return chosen or list(THEMES)


def prompt_of_week(themes: Sequence[str], *, start: date, day: date) -> WeekPrompt:
    """The rotation: one theme a week, counted from the program's start date, each theme's prompts in turn."""
    rotation = chosen_themes(themes)
    weeks = max(0, (day - start).days // 7)
    return WeekPrompt(
        theme=rotation[weeks % len(rotation)], number=(weeks // len(rotation)) % PROMPTS_PER_THEME
    )


def weeks_before_a_prompt_repeats(themes: Sequence[str]) -> int:
    """How many weeks a program with these themes goes before it sends a prompt it has sent before."""
    return len(chosen_themes(themes)) * PROMPTS_PER_THEME


def moment_value(program_id: int, theme: str) -> str:
    """What a team prompt's "Take a kind moment" button carries: its program, and the week's theme."""
    return f"{program_id}{_MOMENT_SEPARATOR}{theme}"


@dataclass(frozen=True)
class MomentRequest:
    """A "Take a kind moment" button's value, read back: the program's id as written, and the practice of
    the theme it names (None for an unknown theme, or a value from before buttons named one)."""

    program_value: str
    practice: str | None


def read_moment_value(value: str) -> MomentRequest:
    """Read a team prompt's button value, old ("<program_id>") or new ("<program_id>:<theme>")."""
    program_value, _, theme = value.partition(_MOMENT_SEPARATOR)
    return MomentRequest(program_value=program_value, practice=THEME_PRACTICES.get(theme))
