"""auth.test, oauth.v2.access, users.info, dnd.info: the bot and the people around it."""

from __future__ import annotations

import re
from typing import Any

from fakeslack.answers import Answer
from fakeslack.directory import DndStatus, UserProfile
from fakeslack.methods.context import MethodContext, flag
from fakeslack.templates import template

_HOUR = 3600


# Tokens the fake issued through OAuth name what they were installed into: xoxb-<team or org id>-…
_INSTALLED_TOKEN = re.compile(r"xoxb-([TE][A-Z0-9]+)-")
# What an OAuth code installs into: "<team id>:…" a workspace, "<enterprise id>:…" a whole Enterprise Grid
# org (org-wide), "<enterprise id>/<team id>:…" one workspace of an org; anything else the fake's workspace.
_INSTALL_CODE = re.compile(r"^(?:(?P<org>E[A-Z0-9]+)/?)?(?P<team>T[A-Z0-9]+)?:")


def installed_into(token: object) -> str | None:
    match = _INSTALLED_TOKEN.match(str(token or ""))
    return match.group(1) if match else None


def is_org_token(token: object) -> bool:
    """A token the fake issued for an org-wide install (xoxb-E…-): one token for all the org's workspaces."""
    return (installed_into(token) or "").startswith("E")


def auth_test(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    ws = ctx.workspace
    installed = installed_into(params.get("token")) or ws.team_id
    answer = template("auth.test")
    answer.update(
        {
            "url": ws.url,
            "team": ws.team_name,
            "user": "kindly",
            "team_id": installed,
            "user_id": ws.bot_user_id,
            "bot_id": ws.bot_id,
        }
    )
    if is_org_token(params.get("token")):
        answer.update(enterprise_id=installed, is_enterprise_install=True)
    return Answer.ok(answer)


def oauth_v2_access(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    if not params.get("code"):
        return Answer.slack_error("invalid_code")
    ws = ctx.workspace
    match = _INSTALL_CODE.match(str(params["code"]))
    org_id, team_id = (match["org"], match["team"]) if match else (None, None)
    if org_id is None:
        team_id = team_id or ws.team_id
    answer = template("oauth.v2.access")
    answer.update(
        {
            "access_token": f"xoxb-{team_id or org_id}-{ctx.ids.new_id('')}-fake",
            "bot_user_id": ws.bot_user_id,
            "app_id": ws.app_id,
            # An org-wide install has no team: the org admin adds the app to its workspaces later.
            "team": {"name": f"{ws.team_name} {team_id}", "id": team_id} if team_id else None,
            "enterprise": {"name": f"Org {org_id}", "id": org_id} if org_id else None,
            "is_enterprise_install": team_id is None,
        }
    )
    # The installing person's own token, as unique as a real one.
    answer["authed_user"]["access_token"] = f"xoxp-{team_id or org_id}-{ctx.ids.new_id('')}-fake"
    return Answer.ok(answer)


def users_info(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    user_id = params.get("user")
    if not isinstance(user_id, str) or not user_id:
        return Answer.slack_error("user_not_found")
    answer = template("users.info")
    user: dict[str, Any] = answer["user"]
    user["id"] = user_id
    user["team_id"] = user["profile"]["team"] = ctx.workspace.team_id
    profile = ctx.directory.user(user_id) or _own_bot_user(ctx, user_id)
    if profile is not None:
        _apply(user, profile)
    else:
        # Someone the test did not describe is an ordinary member, not an admin (the docs' example is).
        user.update(is_admin=False, is_owner=False, is_primary_owner=False)
    org = installed_into(params.get("token"))
    if org is not None and org.startswith("E"):
        # To an org-wide install Slack describes the person's place in the org too.
        user["enterprise_user"] = {
            "id": user_id,
            "enterprise_id": org,
            "enterprise_name": f"Org {org}",
            "is_admin": bool(profile and profile.org_admin),
            "is_owner": False,
            "is_primary_owner": False,
            "teams": [user["team_id"]],
        }
    if flag(params, "include_locale"):
        user["locale"] = profile.locale if profile is not None else "en-US"
    return Answer.ok(answer)


def _dnd_status(ctx: MethodContext, user_id: str) -> DndStatus:
    status = ctx.directory.dnd(user_id) if user_id else None
    if status is None:
        # Not in DND: the next scheduled DND starts in 12 hours and lasts 8.
        start = int(ctx.wall_clock()) + 12 * _HOUR
        status = DndStatus(snooze_enabled=False, next_dnd_start_ts=start, next_dnd_end_ts=start + 8 * _HOUR)
    return status


def dnd_info(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    user_id = params.get("user")
    status = _dnd_status(ctx, user_id if isinstance(user_id, str) else "")
    answer = template("dnd.info")
    answer.update(
        {
            "dnd_enabled": status.dnd_enabled,
            "next_dnd_start_ts": status.next_dnd_start_ts,
            "next_dnd_end_ts": status.next_dnd_end_ts,
            "snooze_enabled": status.snooze_enabled,
        }
    )
    if status.snooze_enabled:
        end = status.snooze_endtime or int(ctx.wall_clock()) + _HOUR
        answer["snooze_endtime"] = end
        answer["snooze_remaining"] = max(0, end - int(ctx.wall_clock()))
    return Answer.ok(answer)


def _apply(user: dict[str, Any], profile: UserProfile) -> None:
    user.update(
        {
            "name": profile.name,
            "real_name": profile.real_name,
            "tz": profile.tz,
            "tz_label": profile.tz_label,
            "tz_offset": profile.tz_offset,
            "is_admin": profile.is_admin,
            "is_owner": profile.is_owner,
            "is_primary_owner": profile.is_owner and profile.is_admin,
            "is_bot": profile.is_bot,
            "deleted": profile.deleted,
            "is_restricted": profile.is_restricted,
            "is_ultra_restricted": profile.is_ultra_restricted,
        }
    )
    if profile.team_id is not None:
        user["team_id"] = user["profile"]["team"] = profile.team_id
    names = {"real_name": profile.real_name, "display_name": profile.name}
    user["profile"].update(names)
    user["profile"].update({f"{k}_normalized": v for k, v in names.items()})
    user["profile"]["email"] = f"{profile.name}@example.com"


def dnd_team_info(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    """DND windows for up to 50 users (no snooze details, as in Slack's answer)."""
    raw = params.get("users")
    users = [user for user in str(raw or "").split(",") if user]
    if not users:
        return Answer.slack_error("no_users_provided")
    if len(users) > 50:
        return Answer.slack_error("too_many_users")
    answer: dict[str, Any] = {"ok": True, "users": {}}
    for user_id in users:
        status = _dnd_status(ctx, user_id)
        answer["users"][user_id] = {
            "dnd_enabled": status.dnd_enabled,
            "next_dnd_start_ts": status.next_dnd_start_ts,
            "next_dnd_end_ts": status.next_dnd_end_ts,
        }
    return Answer.ok(answer)


def _own_bot_user(ctx: MethodContext, user_id: str) -> UserProfile | None:
    """The app's own bot user, as Slack describes it to the app (a bot, in UTC)."""
    if user_id != ctx.workspace.bot_user_id:
        return None
    return UserProfile(user_id, "kindly", "Kindly", "UTC", "Coordinated Universal Time", 0, is_bot=True)


def users_list(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    """Configured people and the app's own bot user, 200 a page at most, with cursors like Slack's."""
    people = ctx.directory.users()
    bot = _own_bot_user(ctx, ctx.workspace.bot_user_id)
    if bot is not None and all(profile.user_id != bot.user_id for profile in people):
        people.append(bot)
    try:
        start = int(str(params.get("cursor") or "0"), 10)
        limit = max(1, min(int(params.get("limit") or 200), 200))
    except ValueError:
        return Answer.slack_error("invalid_cursor")
    members = []
    for profile in people[start : start + limit]:
        user: dict[str, Any] = {"id": profile.user_id, "team_id": ctx.workspace.team_id, "profile": {}}
        _apply(user, profile)
        members.append(user)
    end = start + limit
    next_cursor = str(end) if end < len(people) else ""
    return Answer.ok({"ok": True, "members": members, "response_metadata": {"next_cursor": next_cursor}})


def usergroups_list(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    groups = [
        {"id": group_id, "handle": handle, "name": handle, "user_count": len(members)}
        for group_id, (handle, members) in sorted(ctx.directory.usergroups().items())
    ]
    return Answer.ok({"ok": True, "usergroups": groups})


def usergroups_users_list(ctx: MethodContext, params: dict[str, Any]) -> Answer:
    group = ctx.directory.usergroups().get(str(params.get("usergroup") or ""))
    if group is None:
        return Answer.slack_error("no_such_subteam")
    return Answer.ok({"ok": True, "users": list(group[1])})
