"""Web API method handlers, by method name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fakeslack.answers import Answer
from fakeslack.methods import chat, conversations, files, people, views
from fakeslack.methods.context import MethodContext

MethodHandler = Callable[[MethodContext, dict[str, Any]], Answer]

HANDLERS: Mapping[str, MethodHandler] = {
    "auth.test": people.auth_test,
    "oauth.v2.access": people.oauth_v2_access,
    "users.info": people.users_info,
    "dnd.info": people.dnd_info,
    "dnd.teamInfo": people.dnd_team_info,
    "users.list": people.users_list,
    "usergroups.list": people.usergroups_list,
    "usergroups.users.list": people.usergroups_users_list,
    "views.open": views.views_open,
    "views.push": views.views_push,
    "views.update": views.views_update,
    "views.publish": views.views_publish,
    "chat.postMessage": chat.chat_post_message,
    "chat.postEphemeral": chat.chat_post_ephemeral,
    "chat.update": chat.chat_update,
    "chat.delete": chat.chat_delete,
    "conversations.open": conversations.conversations_open,
    "conversations.members": conversations.conversations_members,
    "conversations.join": conversations.conversations_join,
    "files.getUploadURLExternal": files.files_get_upload_url_external,
    "files.completeUploadExternal": files.files_complete_upload_external,
    "files.delete": files.files_delete,
}

# Methods that authenticate with the app's client id and secret, or an app-level token, not a bot token.
NO_TOKEN_METHODS = frozenset({"oauth.v2.access", "oauth.v2.exchange", "api.test", "apps.connections.open"})

# Methods whose `team_id` (the workspace to act on) is "required if org token is used" in Slack's docs:
# an org-wide install's one token serves all the org's workspaces. Workspace tokens ignore the argument.
WORKSPACE_METHODS = frozenset(
    {"users.list", "usergroups.list", "usergroups.users.list", "dnd.info", "dnd.teamInfo"}
)


def answer_method(ctx: MethodContext, method: str, params: dict[str, Any]) -> Answer:
    """The answer for `method`; unknown methods answer `{"ok": true}` like a permissive Slack."""
    if method == "apps.connections.open" and ctx.connections_open is not None:  # checks its xapp- token
        return ctx.connections_open(params)
    handler = HANDLERS.get(method)
    if handler is None:
        return Answer.ok({"ok": True})
    if method in WORKSPACE_METHODS and people.is_org_token(params.get("token")) and not params.get("team_id"):
        return Answer.slack_error("missing_argument")
    return handler(ctx, params)
