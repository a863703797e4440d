"""Strengths of character that a shout-out can celebrate: who someone is, not what they shipped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from slackapp.practices.blocked_words import plain_letters

MAX_NAME = 60  # fits Slack's 75-character option text with room for an emoji


@dataclass(frozen=True)
class Strength:
    key: str
    name: str
    emoji: str = ":sparkles:"


CATALOGUE: tuple[Strength, ...] = (
    Strength("kindness", "Kindness", ":hugging_face:"),
    Strength("tenacity", "Tenacity", ":mountain:"),
    Strength("courage", "Courage", ":lion_face:"),
    Strength("curiosity", "Curiosity", ":mag:"),
    Strength("patience", "Patience", ":hourglass_flowing_sand:"),
    Strength("honesty", "Honesty", ":gem:"),
    Strength("generosity", "Generosity", ":gift:"),
    Strength("humour", "Humour", ":smile:"),
    Strength("adventure", "Adventure", ":compass:"),
    Strength("resilience", "Resilience", ":seedling:"),
    Strength("fairness", "Fairness", ":scales:"),
    Strength("humility", "Humility", ":leaves:"),
)


def _slug(name: str) -> str:
    """A custom strength's key: its name in plain letters, so a look-alike spelling gets the same key."""
    return "custom:" + re.sub(r"[\W_]+", "-", plain_letters(name)).strip("-")[:40]


BUILT_IN_SLUGS = frozenset(_slug(strength.name) for strength in CATALOGUE)


def workspace_strengths(extra: str) -> list[Strength]:
    """The catalogue plus a workspace's own strengths (one per line), without duplicates.

    A custom strength whose key would be a built-in one's or another custom one's (the same name with
    other case, punctuation or look-alike letters) is left out: one key, one strength.
    """
    strengths = list(CATALOGUE)
    taken = set(BUILT_IN_SLUGS)
    for line in extra.splitlines():
        name = " ".join(line.split())[:MAX_NAME]
        key = _slug(name)
        if name and key != "custom:" and key not in taken:
            taken.add(key)
            strengths.append(Strength(key, name))
    return strengths[:100]  # a static select holds at most 100 options


def find_strength(key: str, extra: str) -> Strength | None:
    return next((strength for strength in workspace_strengths(extra) if strength.key == key), None)
