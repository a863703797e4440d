"""The ephemeral help message."""

from __future__ import annotations

from typing import Any

from slackapp.rendering.environment import Renderer


def help_message(
    renderer: Renderer, *, unknown: str | None = None, suggestion: str | None = None
) -> dict[str, Any]:
    return renderer.message("messages/help.json.j2", unknown=unknown, suggestion=suggestion)
