"""Everything a Web API method handler may read or change."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fakeslack.answers import Answer
from fakeslack.directory import Directory
from fakeslack.ids import IdFactory
from fakeslack.triggers import TriggerRegistry
from fakeslack.uploads import UploadStore
from fakeslack.workspace import Workspace


class ViewStore:
    """Hashes of views the fake has answered, so views.update can detect a stale `hash`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hashes: dict[str, str] = {}

    def remember(self, view_id: str, view_hash: str) -> None:
        with self._lock:
            self._hashes[view_id] = view_hash

    def current_hash(self, view_id: str) -> str | None:
        with self._lock:
            return self._hashes.get(view_id)


@dataclass(frozen=True)
class MethodContext:
    workspace: Workspace
    directory: Directory
    ids: IdFactory
    triggers: TriggerRegistry
    uploads: UploadStore
    base_url: Callable[[], str]
    wall_clock: Callable[[], float]
    views: ViewStore = field(default_factory=ViewStore)
    connections_open: Callable[[dict[str, Any]], Answer] | None = None  # Socket Mode (socket_mode.py)


def flag(params: dict[str, Any], name: str) -> bool:
    """A boolean parameter as Slack reads it from forms (`true`/`1`) or JSON."""
    value = params.get(name)
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1"}
    return bool(value)
