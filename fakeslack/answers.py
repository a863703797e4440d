"""What the fake sends back for one HTTP request."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
HTML_CONTENT_TYPE = "text/html; charset=utf-8"
DROPPED = 0  # the status of an answer that is never sent: the connection closes instead


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, body and headers, plus the Slack error it carries, if any."""

    status: int
    body: bytes
    content_type: str = JSON_CONTENT_TYPE
    headers: tuple[tuple[str, str], ...] = ()
    error: str | None = None

    @classmethod
    def ok(cls, payload: Mapping[str, Any]) -> Answer:
        """A JSON answer; `payload` should already contain `"ok": true`."""
        return cls(status=200, body=_dump(payload))

    @classmethod
    def slack_error(
        cls, error: str, *, status: int = 200, headers: tuple[tuple[str, str], ...] = ()
    ) -> Answer:
        """Slack's `{"ok": false, "error": ...}` answer (Slack uses HTTP 200 for most errors)."""
        return cls(status=status, body=_dump({"ok": False, "error": error}), headers=headers, error=error)

    @classmethod
    def text(cls, text: str, *, status: int = 200, error: str | None = None) -> Answer:
        """A plain-text answer, as response URLs and upload URLs send."""
        return cls(status=status, body=text.encode("utf-8"), content_type=TEXT_CONTENT_TYPE, error=error)

    @classmethod
    def dropped(cls, *, error: str) -> Answer:
        """No answer at all: the connection is closed, as a reset or an edge proxy giving up does."""
        return cls(status=DROPPED, body=b"", error=error)

    @classmethod
    def html(cls, status: int, reason: str, *, error: str) -> Answer:
        """An HTML error page, as an overloaded edge proxy answers."""
        page = f"<html><head><title>{status} {reason}</title></head><body><h1>{reason}</h1></body></html>"
        return cls(status=status, body=page.encode("utf-8"), content_type=HTML_CONTENT_TYPE, error=error)


def _dump(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")
