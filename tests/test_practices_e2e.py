"""The ten practices end to end: each wording reaches Slack valid and is kept; a person's next use of a
practice reads differently from their last; the close rotates; forged wordings and old entries are safe."""

from __future__ import annotations

import copy
import itertools
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from slackapp.practices.catalogue import ARRIVAL_CHOICES, PRACTICES, WORDINGS
from slackapp.rendering.limits import validate_view
from slackapp.store.reflections import add_reflection
from tests.conftest import TRANSPORTS, Kindly
from tests.support.journeys import open_journal, take_kind_moment, view_after
from tests.support.slack_requests import Person
from tests.support.views import all_text, button, fill, text_inputs

ALICE = Person("U0ALICE", "T0001", "alice")
BOB = Person("U0BOB", "T0001", "bob")
ARRIVAL_OF = {arrival.practice: arrival.key for arrival in ARRIVAL_CHOICES}


def open_practice(kindly: Kindly, practice: str, who: Person) -> dict[str, Any]:
    """/kindly, then the arrival that leads to `practice`: the practice view as Slack received it."""
    arrival = view_after(kindly, "views.open", lambda: kindly.slack.command("", who=who))
    reply = kindly.slack.view_submission(fill(arrival, {"arrival": ARRIVAL_OF[practice]}), who=who).json()
    assert reply["response_action"] == "update", reply
    view: dict[str, Any] = reply["view"]
    assert view["title"]["text"] == PRACTICES[practice].name
    return view


def keep(kindly: Kindly, view: dict[str, Any], who: Person, *, text: str = "kind words") -> dict[str, Any]:
    answers: dict[str, Any] = dict.fromkeys(text_inputs(view), text)
    if any(b.get("block_id") == "entry" for b in view["blocks"]):  # kintsugi: revisit the first entry
        (select,) = [b for b in view["blocks"] if b.get("block_id") == "entry"]
        answers["entry"] = select["element"]["options"][0]["value"]
    reply: dict[str, Any] = kindly.slack.view_submission(fill(view, answers), who=who).json()
    assert reply["response_action"] == "update", reply
    return reply


def words_of(view: dict[str, Any]) -> str:
    """What a person reads in a practice: its introduction and the questions with their placeholders."""
    intro = view["blocks"][0]["text"]["text"]
    asked = [
        (b["label"]["text"], b["element"].get("placeholder", {}).get("text", ""))
        for b in view["blocks"]
        if b["type"] == "input" and b["element"]["type"] == "plain_text_input"
    ]
    return json.dumps([intro, asked])


def wording_in(view: dict[str, Any]) -> int:
    wording: int = json.loads(view["private_metadata"]).get("wording", 0)
    return wording


@pytest.mark.parametrize("practice", list(PRACTICES))
def test_every_wording_of_every_practice_reaches_slack_valid_and_is_kept(
    kindly: Kindly, practice: str
) -> None:
    if PRACTICES[practice].revisits_entry:  # kintsugi mends one earlier entry per use
        for _ in range(WORDINGS):
            take_kind_moment(kindly, arrival="struggling", who=ALICE)
    seen = []
    for _ in range(WORDINGS):
        view = open_practice(kindly, practice, ALICE)
        validate_view(copy.deepcopy(view))
        seen.append(words_of(view))
        closing = keep(kindly, view, ALICE, text=f"for {practice}")
        assert "Kept privately in your journal" in all_text(closing["view"])
    assert len(set(seen)) == WORDINGS, "each use in a row showed another wording, until all were shown"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_mistake_leads_to_the_kind_coach(kindly: Kindly) -> None:
    arrival = view_after(kindly, "views.open", lambda: kindly.slack.command("", who=ALICE))
    (choices,) = [b for b in arrival["blocks"] if b.get("block_id") == "arrival"]
    offered = {option["text"]["text"]: option["value"] for option in choices["element"]["options"]}
    assert len(offered) <= 10
    mistake = offered["I made a mistake or fell short"]
    view = kindly.slack.view_submission(fill(arrival, {"arrival": mistake}), who=ALICE).json()["view"]
    assert view["title"]["text"] == "A kind coach"
    inputs = [b for b in view["blocks"] if b.get("block_id") in text_inputs(view)]
    assert [b["block_id"] for b in inputs] == ["what_happened", "kindness", "coach"]
    assert "coach" in inputs[-1]["label"]["text"].lower(), "it ends with the voice of a coach, not a critic"
    keep(kindly, view, ALICE, text="I sent the report with the wrong numbers")


def test_two_uses_in_a_row_read_differently_and_another_person_is_unaffected(kindly: Kindly) -> None:
    first = open_practice(kindly, "friends_words", ALICE)
    keep(kindly, first, ALICE)
    take_kind_moment(kindly, arrival="depleted", who=ALICE)  # another practice in between changes nothing
    second = open_practice(kindly, "friends_words", ALICE)
    assert words_of(second) != words_of(first)
    keep(kindly, second, ALICE)
    third = open_practice(kindly, "friends_words", ALICE)
    assert words_of(third) not in {words_of(first), words_of(second)}

    bobs_first = open_practice(kindly, "friends_words", BOB)
    assert words_of(bobs_first) == words_of(first), "Bob starts at the beginning, whatever Alice did"
    again = open_practice(kindly, "friends_words", ALICE)  # opened, not kept: not a use
    assert words_of(again) == words_of(third)


@pytest.mark.parametrize("forged", [99, -3, "2", None, [1]])
def test_a_forged_wording_is_kept_as_one_that_exists_and_the_next_use_still_opens(
    kindly: Kindly, forged: object
) -> None:
    view = open_practice(kindly, "comfort", ALICE)
    view["private_metadata"] = json.dumps({**json.loads(view["private_metadata"]), "wording": forged})
    keep(kindly, view, ALICE)
    after = open_practice(kindly, "comfort", ALICE)
    validate_view(copy.deepcopy(after))
    kept_as = WORDINGS - 1 if forged == 99 else 0  # too high: the last wording; anything else: the first
    assert wording_in(after) == (kept_as + 1) % WORDINGS


def test_the_close_rotates_and_never_says_deserve(kindly: Kindly) -> None:
    closes = [all_text(take_kind_moment(kindly, arrival="steady", who=ALICE)) for _ in range(4)]
    assert all(a != b for a, b in itertools.pairwise(closes)), closes
    assert not [close for close in closes if re.search("deserv", close, re.IGNORECASE)]
    assert not [close for close in closes if "You are enough" in close]


def test_an_entry_kept_before_the_critic_came_first_reads_with_a_plain_heading(kindly: Kindly) -> None:
    take_kind_moment(kindly, who=ALICE)  # Alice's data key, and a first entry
    services = kindly.runtime.services
    with services.sessions.begin() as session:
        add_reflection(
            session,
            services.vault,
            team_id=ALICE.team_id,
            user_id=ALICE.user_id,
            practice="friends_words",
            answers={"situation": "a week of deadlines", "words": "one thing at a time"},
            now=datetime.now(UTC),
        )
    journal = open_journal(kindly, ALICE)
    newest = button(journal, "journal_entry_open")["value"]
    entry = view_after(
        kindly,
        "views.push",
        lambda: kindly.slack.block_action("journal_entry_open", value=newest, view=journal, who=ALICE),
    )
    shown = all_text(entry)
    assert "What you were going through" in shown and "a week of deadlines" in shown
    assert "What a friend would say" in shown
