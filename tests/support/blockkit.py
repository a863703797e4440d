"""Reading rendered Block Kit as Slack would: which text is mrkdwn, which is plain, what could ping."""

from __future__ import annotations

import re
from typing import Any

from slackapp.rendering.limits import walk_objects

# The only `<…>` markup Kindly writes itself: dates from slack_date, and the support link.
OUR_MARKUP = re.compile(r"<!date\^\d+\^[^|<>]*\|[^<>]*>|<https://findahelpline\.com\|[^<>]*>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_UNESCAPED = {"amp": "&", "lt": "<", "gt": ">"}
_LONE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt);)")


def text_objects(payload: dict[str, Any], kind: str) -> list[str]:
    """The text of every text object of `kind` ("plain_text" or "mrkdwn") in a view or message."""
    return [
        node["text"]
        for node in walk_objects(payload.get("blocks", []))
        if node.get("type") == kind and isinstance(node.get("text"), str)
    ]


def mrkdwn_texts(payload: dict[str, Any]) -> list[str]:
    """Every mrkdwn text, including a message's fallback `text` (Slack formats it as mrkdwn too)."""
    texts = text_objects(payload, "mrkdwn")
    fallback = payload.get("text")
    if "type" not in payload and isinstance(fallback, str):
        texts.append(fallback)
    return texts


def plain_texts(payload: dict[str, Any]) -> list[str]:
    return text_objects(payload, "plain_text")


def unescape_mrkdwn(text: str) -> str:
    """The inverse of escape_mrkdwn, in one pass (so `&amp;lt;` becomes `&lt;`, not `<`)."""
    return _ENTITY.sub(lambda match: _UNESCAPED[match.group(1)], text)


def assert_no_mentions(
    payload: dict[str, Any],
    *,
    allowed_mentions: frozenset[str] | set[str] = frozenset(),
    allowed_channels: frozenset[str] | set[str] = frozenset({"C0SHOUTS"}),
) -> None:
    """No mrkdwn text can form a mention, link or `<!channel>`: only our own `<…>` markup remains
    (dates, the support link, mentions of the people a shout-out names, its channel, quote marks)."""
    for text in mrkdwn_texts(payload):
        rest = OUR_MARKUP.sub("", text)
        for user_id in allowed_mentions:
            rest = rest.replace(f"<@{user_id}>", "")
        for channel in allowed_channels:
            rest = rest.replace(f"<#{channel}>", "")
        rest = re.sub(r"(?m)^>", "", rest)
        assert "<" not in rest, f"unescaped '<' in mrkdwn: {text!r}"
        assert ">" not in rest, f"unescaped '>' in mrkdwn: {text!r}"
        assert not _LONE_AMPERSAND.search(rest), f"unescaped '&' in mrkdwn: {text!r}"
