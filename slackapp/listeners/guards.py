"""Requests a listener could not act on safely are refused before any listener runs.

Slack always sends who is acting, and a trigger for anything that may open a view; a payload without
them is malformed (or crafted), and gets a 400 instead of a half-run listener.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

INTERACTIVE_WITH_TRIGGER = frozenset({"block_actions", "shortcut", "message_action"})


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


def register(app: App) -> None:
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
