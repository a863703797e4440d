"""The messages around a person's export: deleting its files from Slack."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from slackapp.rendering.environment import Renderer

DeletionOutcome = Literal["deleted", "already", "retrying"]


def export_message(renderer: Renderer, *, export_id: uuid.UUID) -> dict[str, Any]:
    """Sent right after the export's files: a button that deletes them from Slack."""
    return renderer.message("messages/export_files.json.j2", export_id=str(export_id))


def export_deleted_message(renderer: Renderer, *, outcome: DeletionOutcome) -> dict[str, Any]:
    return renderer.message("messages/export_deleted.json.j2", outcome=outcome)
