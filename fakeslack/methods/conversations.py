"""conversations.open, conversations.members, conversations.join."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fakeslack.answers import Answer
from fakeslack.methods.context import MethodContext
from fakeslack.templates import template

_MAX_LIMIT = 1000


def conversations_open(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    users = [u.strip() for u in str(params.get("users") or "").split(",") if u.strip()]
    if params.get("channel"):
        answer = template("conversations.open")
        answer["channel"] = {"id": params["channel"]}
        return Answer.ok(answer)
    if not users:
        return Answer.slack_error("users_list_not_supplied")
    if len(users) > 8:
        return Answer.slack_error("too_many_users")
    answer = template("conversations.open")
    if len(users) == 1:
        channel_id, already_open = ctx.directory.dm_channel(users[0])
    else:
        channel_id, already_open = ctx.directory.dm_channel(",".join(sorted(users)))
        channel_id = "G" + channel_id[1:]
    answer.update({"no_op": already_open, "already_open": already_open, "channel": {"id": channel_id}})
    return Answer.ok(answer)


def conversations_members(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    channel = ctx.directory.channel_members(str(params.get("channel") or ""))
    if channel is None:
        return Answer.slack_error("channel_not_found")
    try:
        limit = int(params.get("limit") or 100)
    except ValueError:
        return Answer.slack_error("invalid_limit")
    start = _decode_cursor(str(params.get("cursor") or ""))
    if start is None or start > len(channel.members):
        return Answer.slack_error("invalid_cursor")
    page = max(1, min(limit, _MAX_LIMIT, channel.page_size))
    end = start + page
    answer = template("conversations.members")
    answer["members"] = list(channel.members[start:end])
    next_cursor = _encode_cursor(end) if end < len(channel.members) else ""
    answer["response_metadata"] = {"next_cursor": next_cursor}
    return Answer.ok(answer)


def conversations_join(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    channel_id = params.get("channel")
    if not isinstance(channel_id, str) or not channel_id:
        return Answer.slack_error("channel_not_found")
    joined = ctx.directory.join(channel_id, ctx.workspace.bot_user_id)
    answer = template("conversations.join")
    answer["channel"]["id"] = channel_id
    if joined:
        answer.pop("warning", None)
        answer.pop("response_metadata", None)
    return Answer.ok(answer)


def _encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _decode_cursor(cursor: str) -> int | None:
    if not cursor:
        return 0
    try:
        kind, _, value = base64.b64decode(cursor, validate=True).decode().partition(":")
        return int(value) if kind == "offset" else None
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
