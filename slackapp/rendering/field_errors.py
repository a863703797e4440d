"""Field errors of the HR lead's forms and of forget-me; their words are in text/form_error.txt.j2."""

from __future__ import annotations

from typing import Any

from slackapp.rendering.environment import Renderer


def form_error(renderer: Renderer, problem: str, **context: Any) -> str:
    """The plain words for one field's `problem`, filled in from `context` (limits, examples)."""
    return renderer.text("text/form_error.txt.j2", problem=problem, **context)
