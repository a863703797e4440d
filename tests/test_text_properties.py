"""Whatever a person types stays data: valid Block Kit, no mention or link, and still readable."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from slackapp.practices.answers import Problem, check_answers
from slackapp.practices.catalogue import PRACTICES, Practice
from slackapp.rendering import Renderer
from slackapp.rendering.entries import Answer, EntrySummary
from slackapp.rendering.environment import truncate
from slackapp.rendering.help import help_message
from slackapp.rendering.journal import entry_view
from slackapp.rendering.limits import MAX_MESSAGE_TEXT, MAX_TEXT, validate_message, validate_view
from tests.conftest import Kindly
from tests.support.blockkit import assert_no_mentions, mrkdwn_texts, plain_texts, unescape_mrkdwn
from tests.support.slack_requests import Person
from tests.support.views import buttons, fill

NASTY = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123>",
    "<#C1>",
    "<!subteam^S1>",
    "<https://evil.example|click>",
    "&amp;",
    "&lt;",
    "&gt;",
    "🌱💛👩‍👩‍👧‍👦",
    "مرحبا\u202e",
    "".join(chr(code) for code in range(0x20)),
    '"',
    "\\",
    '"}]}',
    "{{ x }}",
    "{% if x %}",
    "<" * 3001,
    "&" * 3000,
    "word " * 700,
    "x" * 3500,
]

user_text = st.one_of(
    st.text(),
    st.sampled_from(NASTY),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)), max_size=3).map("".join),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F)),
)

# What the store can hold: stripped, non-empty, within a text object (every Prompt allows <= 3000).
kept_text = user_text.map(lambda text: text.strip()[:MAX_TEXT].strip()).filter(bool)

MOMENT = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
RENDERER = Renderer()
TODAY = datetime(2026, 12, 3, tzinfo=UTC).date()


def readable(text: str) -> str:
    """What a reader sees of a mrkdwn text: the entities turned back into characters."""
    return unescape_mrkdwn(text)


# -- rendering level --------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    practice=st.sampled_from(list(PRACTICES.values())),
    kept=st.lists(kept_text, min_size=1, max_size=3),
    mended=st.booleans(),
)
def test_any_kept_answer_renders_as_plain_text_without_mentions(
    practice: Practice, kept: list[str], mended: bool
) -> None:
    labels = [prompt.heading for prompt in practice.prompts]
    answers = [Answer(label=labels[i % len(labels)], text=text) for i, text in enumerate(kept)]
    entry = EntrySummary("42", practice.key, practice.name, MOMENT, mended)

    view = entry_view(RENDERER, entry=entry, answers=answers, can_mend=not mended)

    validate_view(view)
    assert_no_mentions(view)
    shown = plain_texts(view)
    for text in kept:
        assert text in shown


@settings(max_examples=300, deadline=None)
@given(unknown=user_text, suggestion=st.sampled_from([None, "journal", "help"]))
def test_any_unknown_word_renders_a_help_message_without_mentions(
    unknown: str, suggestion: str | None
) -> None:
    message = help_message(RENDERER, today=TODAY, unknown=unknown, suggestion=suggestion)

    validate_message(message)
    assert_no_mentions(message)
    if unknown:
        shown = truncate(unknown, 60)
        assert shown in readable(message["text"])
        assert shown in readable(mrkdwn_texts(message)[0])


@pytest.mark.parametrize("word", ["&" * 8000, "<" * 10001, "x" * 40001])
def test_a_very_long_unknown_word_still_gets_help(word: str) -> None:
    message = help_message(RENDERER, today=TODAY, unknown=word, suggestion=None)
    assert len(message["text"]) <= MAX_MESSAGE_TEXT
    assert_no_mentions(message)


# -- domain level -----------------------------------------------------------------------------------


@st.composite
def submissions(draw: st.DrawFn) -> tuple[Practice, dict[str, str | None]]:
    practice = draw(st.sampled_from(list(PRACTICES.values())))
    keys = [prompt.key for prompt in practice.prompts]
    submitted = draw(
        st.dictionaries(
            st.one_of(st.sampled_from(keys), st.text(max_size=8)),
            st.one_of(st.none(), user_text, st.sampled_from(["", " ", "\n\t ", "y" * 1500, "y" * 1501])),
        )
    )
    return practice, submitted


@settings(max_examples=300, deadline=None)
@given(submission=submissions())
def test_each_answer_is_kept_exactly_or_named_as_a_problem(
    submission: tuple[Practice, dict[str, str | None]],
) -> None:
    practice, submitted = submission

    checked = check_answers(practice, submitted)

    keys = {prompt.key for prompt in practice.prompts}
    assert set(checked.answers) <= keys
    assert set(checked.problems) <= keys
    assert not set(checked.answers) & set(checked.problems)
    assert checked.ok is (not checked.problems)
    for prompt in practice.prompts:
        text = (submitted.get(prompt.key) or "").strip()
        if len(text) > prompt.max_length:
            assert checked.problems.get(prompt.key) is Problem.TOO_LONG
        elif not text and not prompt.optional:
            assert checked.problems.get(prompt.key) is Problem.EMPTY
        elif text:
            assert checked.answers.get(prompt.key) == text
        else:
            assert prompt.key not in checked.answers
            assert prompt.key not in checked.problems


# -- through the running app ------------------------------------------------------------------------

FRIENDS_WORDS = PRACTICES["friends_words"]
e2e_text = st.one_of(user_text, st.sampled_from(["   ", "\n\t", "y" * 1500, "y" * 1501]))
people = itertools.count()


def open_view(kindly: Kindly, method: str, send: Any) -> dict[str, Any]:
    """Send a request that makes Kindly call `method`, and return the view it sent."""
    before = len(kindly.fake.calls(method))
    reply = send()
    assert reply.status == 200
    call = kindly.fake.wait_for(method, count=before + 1)[-1]
    assert call.ok, call.answered_error
    view: dict[str, Any] = call.params["view"]
    return view


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    max_examples=20,
    deadline=None,
)
@given(critic=e2e_text, words=e2e_text)
def test_any_text_is_kept_or_refused_per_input_and_reads_back_safely(
    kindly: Kindly, critic: str, words: str
) -> None:
    who = Person(user_id=f"U0PROP{next(people):05d}")  # a fresh journal per example; nothing is reset
    arrival = open_view(kindly, "views.open", lambda: kindly.slack.command("", who=who))
    reply = kindly.slack.view_submission(fill(arrival, {"arrival": "self_critical"}), who=who)
    practice = reply.json()["view"]
    submitted = {"critic": critic, "words": words}

    reply = kindly.slack.view_submission(fill(practice, submitted), who=who)

    assert reply.status == 200
    body = reply.json()
    expected = check_answers(FRIENDS_WORDS, submitted)
    if not expected.ok:
        event("refused: " + ", ".join(sorted(problem.value for problem in expected.problems.values())))
        assert body["response_action"] == "errors"
        inputs = {block["block_id"] for block in practice["blocks"] if block["type"] == "input"}
        assert set(body["errors"]) == set(expected.problems) <= inputs
        for key, message in body["errors"].items():
            assert isinstance(message, str) and message.strip()
            if expected.problems[key] is Problem.TOO_LONG:
                assert "1500" in message
        return
    event("kept")
    assert body["response_action"] == "update"
    validate_view(body["view"])
    assert body["view"]["callback_id"] == "kind_moment_closed"

    journal = open_view(kindly, "views.open", lambda: kindly.slack.command("journal", who=who))
    (entry_id,) = [b["value"] for b in buttons(journal) if b["action_id"] == "journal_entry_open"]
    entry = open_view(
        kindly,
        "views.push",
        lambda: kindly.slack.block_action(
            "journal_entry_open", value=entry_id, view={**journal, "id": "V0JOURNAL"}, who=who
        ),
    )

    validate_view(entry)
    assert entry["callback_id"] == "journal_entry"
    assert_no_mentions(entry)
    shown = plain_texts(entry)
    for text in expected.answers.values():
        assert text in shown
