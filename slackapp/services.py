"""What listeners and jobs share: storage, encryption, rendering, the clock and jobs' Slack clients."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from slack_sdk import WebClient

from slackapp.recent import Recent
from slackapp.rendering import Renderer
from slackapp.rendering.entries import Support
from slackapp.store.crypto import Vault
from slackapp.store.db import SessionFactory
from slackapp.store.quota import QuotaBook

# How long a worker shows a workspace's support resources after an HR lead changed them in another one.
SUPPORT_REMEMBERED_SECONDS = 30.0


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    sessions: SessionFactory
    vault: Vault
    renderer: Renderer
    quota_secret: bytes  # keys the anonymous "this helped" taps of team prompts
    quota: QuotaBook  # the shout-out senders' daily counts, in memory only
    self_check: bool = False  # the private self-check is switched on (config.Settings.self_check)
    clock: Callable[[], datetime] = field(default=utc_now)
    # Waiting under Slack's rate limits; tests pass a virtual clock so that waits take no real time.
    monotonic: Callable[[], float] = field(default=time.monotonic)
    sleep: Callable[[float], None] = field(default=time.sleep)
    # A job's Slack client for a data scope (its installation's token under OAuth); None: jobs send nothing.
    slack_for: Callable[[str], WebClient] | None = None
    # Each workspace's support resources, read on every kind moment (flows/support.py).
    support: Recent[str, Support | None] = field(default_factory=lambda: Recent(SUPPORT_REMEMBERED_SECONDS))
