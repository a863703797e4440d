"""Requests a listener could not act on safely are refused before any listener runs: Slack always sends
who is acting, and a trigger for anything that may open a view, so a payload without them is malformed (or
crafted) and gets a 400 instead of a half-run listener; a view submission or block action re-sent with the
same signature (a replay inside Slack's five-minute window, by whoever captured it) is answered without a
second effect."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse

INTERACTIVE_WITH_TRIGGER = frozenset({"block_actions", "shortcut", "message_action"})
# Interactions that change something; events have their own ledger (by event id), commands open views.
REPLAYABLE = frozenset({"view_submission", "block_actions"})
REPLAY_WINDOW = 6 * 60.0  # seconds: Bolt refuses a request timestamp older than five minutes


class RecentSignatures:
    """Digests of the signatures this process has seen within the replay window.

    Kept in memory, not in the database: a ledger row written before each interaction would cost a round
    trip before every acknowledgement, fail the acknowledgement while the database is held, and date an
    anonymous shout-out to the second for whoever reads the database. The cost: with several replicas, a
    replay that reaches another replica is not caught.
    """

    def __init__(self, *, window: float = REPLAY_WINDOW, clock: Callable[[], float] = time.monotonic) -> None:
        self._window = window
        self._clock = clock
        self._seen: dict[bytes, float] = {}
        self._lock = threading.Lock()

    def first_time(self, signature: str) -> bool:
        digest = hashlib.blake2b(signature.encode("utf-8"), digest_size=16).digest()
        now = self._clock()
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {key: until for key, until in self._seen.items() if until > now}
            until = self._seen.get(digest)
            if until is not None and until > now:
                return False
            self._seen[digest] = now + self._window
            return True


def _is_event(body: dict[str, Any]) -> bool:
    return body.get("type") in {"event_callback", "url_verification", "app_rate_limited"}


def _well_formed_actions(actions: Any) -> bool:
    return (
        isinstance(actions, list)
        and bool(actions)
        and all(isinstance(action, dict) and isinstance(action.get("action_id"), str) for action in actions)
    )


def _refuse(reason: str) -> BoltResponse:
    return BoltResponse(status=400, body=reason, headers={"content-type": "text/plain; charset=utf-8"})


def _signature(request: BoltRequest) -> str | None:
    values = request.headers.get("x-slack-signature") or []
    return values[0] if values and values[0] else None  # none in Socket Mode: the socket is authenticated


def register(app: App) -> None:
    recent = RecentSignatures()

    @app.middleware
    def require_actor_and_trigger(
        body: dict[str, Any],
        context: BoltContext,
        next: Callable[[], BoltResponse],
    ) -> BoltResponse | None:
        if _is_event(body):
            if body.get("type") == "event_callback" and not isinstance(body.get("event"), dict):
                return _refuse("an event callback carries an event object")
            return next()
        if body.get("type") in {"view_submission", "view_closed"} and not isinstance(body.get("view"), dict):
            return _refuse("a view submission carries a view object")
        if body.get("type") == "block_actions" and not _well_formed_actions(body.get("actions")):
            return _refuse("block actions carry actions with an action_id")
        if not isinstance(context.user_id, str) or not (context.team_id or context.enterprise_id):
            return _refuse("a Slack request names who is acting")
        needs_trigger = "command" in body or body.get("type") in INTERACTIVE_WITH_TRIGGER
        if needs_trigger and not (isinstance(body.get("trigger_id"), str) and body["trigger_id"]):
            return _refuse("a Slack request of this kind carries a trigger_id")
        return next()

    @app.middleware
    def refuse_replays(
        body: dict[str, Any], request: BoltRequest, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        signature = _signature(request)
        if body.get("type") not in REPLAYABLE or signature is None:
            return next()
        if recent.first_time(signature):
            return next()
        return BoltResponse(status=200, body="")  # what Slack would see for a no-op; nothing happens
