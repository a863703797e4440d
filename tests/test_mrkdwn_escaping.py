"""User text is data, never markup: what each escaping helper lets through to Slack's mrkdwn, and what not."""

from __future__ import annotations

from slackapp.rendering.escaping import (
    SafeText,
    blockquote,
    channel_link,
    escape_mrkdwn,
    is_linkable,
    join_markup,
    link,
    mention,
    plain,
    usergroup_mention,
)

INJECTION = "<!channel> & <@U0BOSS>"
ESCAPED = "&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;"


def test_slacks_three_control_characters_are_escaped_and_nothing_else() -> None:
    assert escape_mrkdwn(INJECTION) == ESCAPED
    assert escape_mrkdwn("*bold* _it_ ~x~ `code` | é 🌱") == "*bold* _it_ ~x~ `code` | é 🌱"


def test_joined_markup_escapes_every_part_but_our_own() -> None:
    joined = join_markup(SafeText("<@U0ME> says: "), INJECTION, 7)
    assert joined == f"<@U0ME> says: {ESCAPED}7" and isinstance(joined, SafeText)
    assert join_markup() == ""


def test_only_a_verified_user_id_becomes_a_mention() -> None:
    assert mention("U0ALICE1") == "<@U0ALICE1>" and mention("W0ALICE1") == "<@W0ALICE1>"
    assert isinstance(mention("U0ALICE1"), SafeText)
    for text in ("u0alice", "U0", "U0ALICE>", "<!channel>", "U0ALICE1 <!here>", "X0ALICE1", "U" + "A" * 32):
        assert mention(text) == escape_mrkdwn(text), text
        assert isinstance(mention(text), SafeText)


def test_only_a_channel_id_becomes_a_channel_link() -> None:
    for channel_id in ("C0SHOUTS", "G0PRIVATE", "D0DIRECT"):
        assert channel_link(channel_id) == f"<#{channel_id}>"
    for text in ("#general", "c0shouts", "C0", "C0X>|<!everyone>", "S0GROUP1"):
        assert channel_link(text) == escape_mrkdwn(text), text
    assert isinstance(channel_link("C0SHOUTS"), SafeText) and isinstance(channel_link("<x>"), SafeText)


def test_only_a_user_group_id_becomes_its_handle() -> None:
    assert usergroup_mention("S0TEAM12") == "<!subteam^S0TEAM12>"
    for text in ("s0team", "S0", "S0TEAM>", "@team", "U0ALICE1"):
        assert usergroup_mention(text) == escape_mrkdwn(text), text
    assert isinstance(usergroup_mention("S0TEAM12"), SafeText)
    assert isinstance(usergroup_mention("<x>"), SafeText)


def test_a_blockquote_quotes_every_line_and_escapes_the_words() -> None:
    assert blockquote("one <!here>\ntwo") == ">one &lt;!here&gt;\n>two"
    assert blockquote("") == ">" and isinstance(blockquote("x"), SafeText)


def test_only_a_plain_http_url_becomes_a_link_with_an_escaped_label() -> None:
    assert is_linkable("https://example.org/help?x=1") and is_linkable("http://example.org")
    for url in ("javascript:alert(1)", "https://x.org|<!channel>", "https://x.org/a b", "ftp://x.org", ""):
        assert not is_linkable(url), url
        assert link(url, "Help & <support>") == "Help &amp; &lt;support&gt;"
    assert link("https://example.org/a&b", "Help & <support>") == (
        "<https://example.org/a&amp;b|Help &amp; &lt;support&gt;>"
    )
    assert isinstance(link("https://example.org", "x"), SafeText)
    assert isinstance(link("nope", "x"), SafeText)


def test_plain_text_is_shown_literally() -> None:
    assert plain(INJECTION) == INJECTION and plain(7) == "7" and isinstance(plain("x"), SafeText)
