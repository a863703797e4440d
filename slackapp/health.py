"""Readiness: the database answers, its migrations are at the latest revision, and Slack answers."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from slackapp.store.migrate import current_revision, head_revision
from slackapp.web import Readiness

log = logging.getLogger(__name__)

SLACK_RECHECK_SECONDS = 10.0


class DatabaseReadiness:
    """Call it for None when ready, or a short plain reason (no URL, no password) when not."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._head = head_revision()

    def __call__(self) -> str | None:
        try:
            current = current_revision(self._engine)
        except SQLAlchemyError as error:
            return f"database unreachable ({type(error).__name__})"
        if current != self._head:
            return (
                f"database at migration {current or 'none'}, not the latest {self._head}: run kindly migrate"
            )
        return None


class SlackReadiness:
    """Not ready until Slack has accepted the bot token once (auth.test); then ready for good.

    Until then it asks Slack at most every SLACK_RECHECK_SECONDS, so probes cannot flood Slack, and logs
    one line when the reason changes (not one per probe). Under OAuth there is no single token to check.
    """

    def __init__(
        self,
        client: WebClient,
        *,
        oauth: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._ready = oauth
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._reason: str | None = None
        self._checked_at: float | None = None
        self.workspace = "installed by OAuth" if oauth else "unknown (Slack has not answered)"

    def __call__(self) -> str | None:
        with self._lock:
            if self._ready:
                return None
            now = self._monotonic()
            if self._checked_at is None or now - self._checked_at >= SLACK_RECHECK_SECONDS:
                self._checked_at = now
                self._check()
            return self._reason

    def _check(self) -> None:
        try:
            identity = self._client.auth_test()
        except SlackApiError as error:
            reason = (
                f"Slack refused the bot token ({error.response.get('error')}): "
                "copy the Bot User OAuth Token again, or reinstall the app"
            )
        except OSError as error:
            reason = f"Slack API unreachable at {self._client.base_url} ({type(error).__name__})"
        else:
            self._ready, self._reason = True, None
            self.workspace = f"{identity.get('team')} ({identity.get('team_id')})"
            return
        if reason != self._reason:
            log.warning("not ready: %s; /healthz still answers, /readyz says why", reason)
        self._reason = reason


def first_reason(*checks: Readiness) -> Readiness:
    """One readiness from several: the first reason not to be ready, or None."""

    def check() -> str | None:
        return next((reason for reason in (c() for c in checks) if reason is not None), None)

    return check
