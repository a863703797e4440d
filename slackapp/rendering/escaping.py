"""User text is data, never markup."""

from __future__ import annotations

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


def plain(text: object) -> SafeText:
    """For plain_text objects: Slack shows them literally, so nothing is escaped."""
    return SafeText(str(text))
