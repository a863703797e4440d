"""files.getUploadURLExternal, files.completeUploadExternal (upload URLs on the fake) and files.delete."""

from __future__ import annotations

from typing import Any

from fakeslack.answers import Answer
from fakeslack.methods.context import MethodContext
from fakeslack.templates import template
from fakeslack.uploads import Deletion, PendingFile


def files_get_upload_url_external(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    filename = params.get("filename")
    try:
        length = int(params.get("length") or 0)
    except ValueError:
        return Answer.slack_error("invalid_arguments")
    if not filename or length < 1:
        return Answer.slack_error("invalid_arguments")
    file_id = ctx.ids.new_id("F")
    ctx.uploads.announce(PendingFile(file_id=file_id, filename=str(filename), length=length))
    answer = template("files.getUploadURLExternal")
    answer.update({"upload_url": f"{ctx.base_url()}upload/{file_id}", "file_id": file_id})
    return Answer.ok(answer)


def files_complete_upload_external(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    files = params.get("files")
    if not isinstance(files, list) or not files:
        return Answer.slack_error("invalid_arguments")
    answered: list[dict[str, Any]] = []
    data = ctx.uploads.data()
    for item in files:
        file_id = item.get("id") if isinstance(item, dict) else None
        pending = ctx.uploads.announced(file_id) if isinstance(file_id, str) else None
        if pending is None or file_id not in data:
            return Answer.slack_error("file_not_found")
        answered.append(
            {
                "id": file_id,
                "created": int(ctx.wall_clock()),
                "name": pending.filename,
                "title": item.get("title") or pending.filename,
                "user": ctx.workspace.bot_user_id,
                "size": len(data[file_id]),
            }
        )
    answer = template("files.completeUploadExternal")
    answer["files"] = answered
    return Answer.ok(answer)


def files_delete(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    """`{"ok": true}`; `file_not_found` for an id Slack never had, `file_deleted` for one already gone."""
    file_id = params.get("file")
    if not isinstance(file_id, str) or not file_id:
        return Answer.slack_error("invalid_arguments")
    outcome = ctx.uploads.delete(file_id)
    if outcome is not Deletion.DELETED:
        return Answer.slack_error(outcome.value)
    return Answer.ok(template("files.delete"))
