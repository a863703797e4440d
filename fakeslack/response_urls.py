"""Response URLs: each may be used a few times within a window (Slack: 5 times in 30 minutes)."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass

MAX_USES = 5
LIFETIME_SECONDS = 30 * 60


@dataclass
class _ResponseUrl:
    created: float
    uses: int = 0


class ResponseUrlRegistry:
    """Issues response URL ids and counts their uses."""

    def __init__(self, *, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._urls: dict[str, _ResponseUrl] = {}

    def new(self) -> str:
        with self._lock:
            url_id = secrets.token_urlsafe(12)
            self._urls[url_id] = _ResponseUrl(created=self._clock())
            return url_id

    def use(self, url_id: str) -> str | None:
        """Count one use; return None when allowed, else an error code for a 404 answer."""
        with self._lock:
            url = self._urls.get(url_id)
            if url is None:
                return "no_service"
            if self._clock() - url.created > LIFETIME_SECONDS:
                return "expired_url"
            if url.uses >= MAX_USES:
                return "used_url"
            url.uses += 1
            return None
