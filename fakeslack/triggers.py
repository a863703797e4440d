"""Trigger ids: valid once, within a few seconds of the interaction that created them."""

from __future__ import annotations

import itertools
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Trigger:
    created: float
    used: bool = False


class TriggerRegistry:
    """Issues trigger ids and checks them as views.open / views.push do."""

    def __init__(self, *, ttl_seconds: float, clock: Callable[[], float]) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._triggers: dict[str, _Trigger] = {}
        self._serial = itertools.count(1)

    def new(self) -> str:
        with self._lock:
            trigger_id = f"{next(self._serial)}.{secrets.randbelow(10**10)}.{secrets.token_hex(16)}"
            self._triggers[trigger_id] = _Trigger(created=self._clock())
            return trigger_id

    def exchange(self, trigger_id: str) -> str | None:
        """Use the trigger up; return None when that worked, else Slack's error code."""
        with self._lock:
            trigger = self._triggers.get(trigger_id)
            if trigger is None:
                return "invalid_trigger_id"
            if trigger.used:
                return "exchanged_trigger_id"
            if self._clock() - trigger.created > self._ttl:
                return "expired_trigger_id"
            trigger.used = True
            return None
