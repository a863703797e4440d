"""Checking what a person wrote before it is kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from slackapp.practices.catalogue import Practice


class Problem(Enum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class CheckedAnswers:
    answers: dict[str, str] = field(default_factory=dict)
    problems: dict[str, Problem] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_answers(practice: Practice, submitted: Mapping[str, str | None]) -> CheckedAnswers:
    """Keep the answers as typed (only outer whitespace trimmed); name each input that cannot be kept."""
    answers: dict[str, str] = {}
    problems: dict[str, Problem] = {}
    for prompt in practice.prompts:
        text = (submitted.get(prompt.key) or "").strip()
        if len(text) > prompt.max_length:
            problems[prompt.key] = Problem.TOO_LONG
        elif not text and not prompt.optional:
            problems[prompt.key] = Problem.EMPTY
        elif text:
            answers[prompt.key] = text
    return CheckedAnswers(answers=answers, problems=problems)
