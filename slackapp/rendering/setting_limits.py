"""How much of each workspace setting its surface can show. Slack counts text after escaping, and `<`
becomes `&lt;`: a setting is bounded by its escaped length, refused at the form beyond that, and shortened
(never fatal) when an older value is longer."""

from __future__ import annotations

from slackapp.rendering.escaping import escape_mrkdwn

SUPPORT_TEXT_MAX = 1000  # the support form's max_length
# Escaped: the text shares one 3000-character context element with the link and Kindly's own words.
SUPPORT_TEXT_SHOWN_MAX = 1500
SUPPORT_URL_MAX = 500  # escaped, its share of that element (and the column's width)
PROGRAM_NAME_MAX = 80  # escaped: the program form's max_length and the column's width
WORD_LIST_MAX = 2000  # blocked words and extra strengths: the settings form's max_length


def shown_length(text: str) -> int:
    return len(escape_mrkdwn(text))


def shorten_shown(text: str, limit: int) -> str:
    """`text` if its escaped form fits in `limit` characters, else its longest start that does, with '…'."""
    if shown_length(text) <= limit:
        return text
    kept: list[str] = []
    used = 1  # the ellipsis
    for character in text:
        used += shown_length(character)
        if used > limit:
            break
        kept.append(character)
    return "".join(kept).rstrip() + "…"
