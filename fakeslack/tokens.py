"""Token checks: missing, malformed or revoked tokens answer like Slack."""

from __future__ import annotations

import threading


class TokenRegistry:
    """Any `xox...` token is valid until revoked."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revoked: dict[str, str] = {}

    def revoke(self, token: str, *, error: str) -> None:
        with self._lock:
            self._revoked[token] = error

    def check(self, token: str | None) -> str | None:
        """None when the token is acceptable, else Slack's error code."""
        if not token:
            return "not_authed"
        if not token.startswith("xox"):
            return "invalid_auth"
        with self._lock:
            return self._revoked.get(token)

    def revoked_error(self, token: str) -> str | None:
        """The error a revoked token of any kind (`xox…`, `xapp-…`) answers, or None."""
        with self._lock:
            return self._revoked.get(token)
