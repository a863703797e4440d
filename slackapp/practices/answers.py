"""Checking what a person wrote before it is kept.

Every practice can be done "in my head": then nothing typed is kept, and nothing needs typing. Slack's
client enforces an input that is not optional, so the views mark every answer optional and this module
decides what a practice needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from slackapp.practices.catalogue import Practice

IN_HEAD = "in_head"  # the block (and option) of "I did this in my head"


class Problem(Enum):
    EMPTY = "empty"  # a needed answer left blank, and the practice not done in the head either
    TOO_LONG = "too_long"
    WRITTEN_IN_HEAD = "written_in_head"  # "in my head" ticked, yet words typed: which did they mean?


@dataclass(frozen=True)
class CheckedAnswers:
    answers: dict[str, str] = field(default_factory=dict)
    problems: dict[str, Problem] = field(default_factory=dict)
    in_head: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def check_answers(
    practice: Practice, submitted: Mapping[str, str | None], *, in_head: bool = False
) -> CheckedAnswers:
    """Keep the answers as typed (only outer whitespace trimmed); name each input that cannot be kept.

    Done in the head, a practice keeps no text; words typed as well are neither dropped nor kept
    silently: the tick gets a problem, and the words stay on screen until the person says which they meant.
    """
    typed = {prompt.key: (submitted.get(prompt.key) or "").strip() for prompt in practice.prompts}
    if in_head:
        if any(typed.values()):
            return CheckedAnswers(problems={IN_HEAD: Problem.WRITTEN_IN_HEAD}, in_head=True)
        return CheckedAnswers(in_head=True)
    answers: dict[str, str] = {}
    problems: dict[str, Problem] = {}
    for prompt in practice.prompts:
        text = typed[prompt.key]
        if len(text) > prompt.max_length:
            problems[prompt.key] = Problem.TOO_LONG
        elif not text and not prompt.optional:
            problems[prompt.key] = Problem.EMPTY
        elif text:
            answers[prompt.key] = text
    return CheckedAnswers(answers=answers, problems=problems)
