"""Strengths of character that a shout-out can celebrate: who someone is, not what they shipped."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    return "custom:" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40]


def workspace_strengths(extra: str) -> list[Strength]:
    """The catalogue plus a workspace's own strengths (one per line), without duplicates."""
    strengths = list(CATALOGUE)
    seen = {strength.name.lower() for strength in strengths}
    for line in extra.splitlines():
        name = " ".join(line.split())[:MAX_NAME]
        if name and name.lower() not in seen and _slug(name) != "custom:":
            seen.add(name.lower())
            strengths.append(Strength(_slug(name), name))
    return strengths[:100]  # a static select holds at most 100 options


def find_strength(key: str, extra: str) -> Strength | None:
    return next((strength for strength in workspace_strengths(extra) if strength.key == key), None)
