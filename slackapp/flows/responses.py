"""What a view submission is acknowledged with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ViewResponse:
    """What a view_submission acknowledges with: a new view, or field errors that keep the text."""

    response_action: str
    view: dict[str, Any] | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def ack_kwargs(self) -> dict[str, Any]:
        if self.response_action == "errors":
            return {"response_action": "errors", "errors": self.errors}
        if self.response_action == "clear":
            return {"response_action": "clear"}
        return {"response_action": self.response_action, "view": self.view}
