"""The ephemeral help message, and the example dates it and other replies show."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from slackapp.rendering.environment import Renderer


def pause_example(today: date) -> date:
    """The date shown in `/kindly pause until …`: a few weeks after today, so the example always works."""
    return today + timedelta(weeks=3)


def help_message(
    renderer: Renderer, *, today: date, unknown: str | None = None, suggestion: str | None = None
) -> dict[str, Any]:
    return renderer.message(
        "messages/help.json.j2", unknown=unknown, suggestion=suggestion, pause_until=pause_example(today)
    )
