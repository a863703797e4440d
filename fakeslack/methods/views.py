"""views.open, views.push, views.update, views.publish: check the trigger, echo the view."""

from __future__ import annotations

from typing import Any

from fakeslack.answers import Answer
from fakeslack.methods.context import MethodContext
from fakeslack.templates import template

_ECHOED_KEYS = (
    "type",
    "title",
    "submit",
    "close",
    "blocks",
    "private_metadata",
    "callback_id",
    "external_id",
    "clear_on_close",
    "notify_on_close",
)


def views_open(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    return _open_with_trigger(ctx, params, "views.open")


def views_push(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    return _open_with_trigger(ctx, params, "views.push")


def views_update(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    view = params.get("view")
    view_id = params.get("view_id")
    if not isinstance(view, dict) or not (view_id or params.get("external_id")):
        return Answer.slack_error("invalid_arguments")
    expected_hash = params.get("hash")
    if isinstance(view_id, str) and expected_hash:
        current = ctx.views.current_hash(view_id)
        if current is not None and current != expected_hash:
            return Answer.slack_error("hash_conflict")
    view_id = view_id if isinstance(view_id, str) and view_id else None
    return Answer.ok(_echo(ctx, "views.update", view, view_id=view_id))


def views_publish(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    view = params.get("view")
    if not isinstance(view, dict) or not params.get("user_id"):
        return Answer.slack_error("invalid_arguments")
    if view.get("type") != "home":
        return Answer.slack_error("invalid_arguments")
    return Answer.ok(_echo(ctx, "views.publish", view, view_id=None))


def _open_with_trigger(ctx: MethodContext, params: dict[str, Any], method: str) -> Answer:
    view = params.get("view")
    trigger = params.get("trigger_id") or params.get("interactivity_pointer")
    if not isinstance(view, dict) or not isinstance(trigger, str):
        return Answer.slack_error("invalid_arguments")
    error = ctx.triggers.exchange(trigger)
    if error is not None:
        return Answer.slack_error(error)
    return Answer.ok(_echo(ctx, method, view, view_id=None))


def _echo(
    ctx: MethodContext, method: str, submitted: dict[str, Any], *, view_id: str | None
) -> dict[str, Any]:
    answer = template(method)
    echoed: dict[str, Any] = answer["view"]
    for key in _ECHOED_KEYS:
        echoed.pop(key, None)
    echoed.update({"private_metadata": "", "callback_id": "", "external_id": ""})
    echoed.update({k: submitted[k] for k in _ECHOED_KEYS if k in submitted})
    new_id = view_id or ctx.ids.new_id("V")
    view_hash = ctx.ids.new_view_hash()
    echoed.update(
        {
            "id": new_id,
            "team_id": ctx.workspace.team_id,
            "app_installed_team_id": ctx.workspace.team_id,
            "state": {"values": {}},
            "hash": view_hash,
            "root_view_id": new_id,
            "app_id": ctx.workspace.app_id,
            "bot_id": ctx.workspace.bot_id,
        }
    )
    ctx.views.remember(new_id, view_hash)
    return answer
