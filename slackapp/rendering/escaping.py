"""User text is data, never markup."""

from __future__ import annotations

import re

_MRKDWN_CONTROL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class SafeText(str):
    """Text that is already safe for its destination (our own mrkdwn, or a plain_text value)."""

    __slots__ = ()


def escape_mrkdwn(text: str) -> str:
    """Escape Slack's three control characters, so no mention, link or `<!channel>` can form."""
    return text.translate(_MRKDWN_CONTROL)


def join_markup(*parts: object) -> SafeText:
    """Concatenate, escaping every part that is not already SafeText."""
    return SafeText(
        "".join(part if isinstance(part, SafeText) else escape_mrkdwn(str(part)) for part in parts)
    )


_USER_ID = re.compile(r"[UW][A-Z0-9]{2,31}")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,31}")
_USERGROUP_ID = re.compile(r"S[A-Z0-9]{2,31}")


def mention(user_id: str) -> SafeText:
    """A real mention of a Slack user id we verified; anything else is shown as escaped text."""
    return SafeText(f"<@{user_id}>") if _USER_ID.fullmatch(user_id) else SafeText(escape_mrkdwn(user_id))


def channel_link(channel_id: str) -> SafeText:
    return (
        SafeText(f"<#{channel_id}>")
        if _CHANNEL_ID.fullmatch(channel_id)
        else SafeText(escape_mrkdwn(channel_id))
    )


def usergroup_mention(usergroup_id: str) -> SafeText:
    """A user group as Slack shows it (its @handle), for an id Slack gave us; anything else escaped."""
    if _USERGROUP_ID.fullmatch(usergroup_id):
        return SafeText(f"<!subteam^{usergroup_id}>")
    return SafeText(escape_mrkdwn(usergroup_id))


def blockquote(text: str) -> SafeText:
    """User text as a mrkdwn quote: our `>` on each line, their words escaped."""
    return SafeText("\n".join(">" + escape_mrkdwn(line) for line in text.splitlines() or [""]))


_SAFE_URL = re.compile(r"https?://[^\s<>|]+")


def is_linkable(url: str) -> bool:
    """Whether `link` makes a link of this URL: a plain http(s) URL, nothing Slack would read as markup."""
    return _SAFE_URL.fullmatch(url) is not None


def link(url: str, label: str) -> SafeText:
    """A link to a URL an admin configured, only when it is a plain http(s) URL; else the escaped label."""
    if is_linkable(url):
        return SafeText(f"<{escape_mrkdwn(url)}|{escape_mrkdwn(label)}>")
    return SafeText(escape_mrkdwn(label))


def plain(text: object) -> SafeText:
    """For plain_text objects: Slack shows them literally, so nothing is escaped."""
    return SafeText(str(text))
