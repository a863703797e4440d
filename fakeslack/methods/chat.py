"""chat.postMessage, chat.postEphemeral, chat.update, chat.delete: echo channel, ts and content."""

from __future__ import annotations

from typing import Any

from fakeslack.answers import Answer
from fakeslack.methods.context import MethodContext
from fakeslack.templates import template

_CONTENT_KEYS = ("text", "blocks", "attachments", "metadata", "thread_ts")


def chat_post_message(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    channel = _channel(ctx, params)
    if channel is None:
        return Answer.slack_error("channel_not_found")
    if not any(params.get(k) for k in ("text", "blocks", "attachments")):
        return Answer.slack_error("no_text")
    ts = ctx.ids.new_ts()
    answer = template("chat.postMessage")
    message = {
        "type": "message",
        "subtype": "bot_message",
        "user": ctx.workspace.bot_user_id,
        "bot_id": ctx.workspace.bot_id,
        "app_id": ctx.workspace.app_id,
        "team": ctx.workspace.team_id,
        "ts": ts,
        **{k: params[k] for k in _CONTENT_KEYS if k in params},
    }
    message.setdefault("text", "")
    answer.update({"channel": channel, "ts": ts, "message": message})
    return Answer.ok(answer)


def chat_post_ephemeral(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    if not params.get("channel"):
        return Answer.slack_error("channel_not_found")
    if not params.get("user"):
        return Answer.slack_error("user_not_in_channel")
    answer = template("chat.postEphemeral")
    answer["message_ts"] = ctx.ids.new_ts()
    return Answer.ok(answer)


def chat_update(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    channel, ts = params.get("channel"), params.get("ts")
    if not channel or not ts:
        return Answer.slack_error("message_not_found")
    answer = template("chat.update")
    message = {"user": ctx.workspace.bot_user_id, **{k: params[k] for k in _CONTENT_KEYS if k in params}}
    message.setdefault("text", "")
    answer.update({"channel": channel, "ts": ts, "text": message["text"], "message": message})
    return Answer.ok(answer)


def chat_delete(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    channel, ts = params.get("channel"), params.get("ts")
    if not channel or not ts:
        return Answer.slack_error("message_not_found")
    answer = template("chat.delete")
    answer.update({"channel": channel, "ts": ts})
    return Answer.ok(answer)


def _channel(ctx: MethodContext, params: dict[str, Any]) -> str | None:
    """Posting to a user id posts to the DM with them, as Slack does."""
    channel = params.get("channel")
    if not isinstance(channel, str) or not channel:
        return None
    if channel[0] in "UW":
        return ctx.directory.dm_channel(channel)[0]
    return channel
