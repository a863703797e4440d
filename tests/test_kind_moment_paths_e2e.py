"""A kind moment's ways in, through and back: the first-time introduction to self-compassion, a practice
done in the head (no text kept), and "Choose a different practice" back to the arrival choice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from slackapp.store.models import Reflection
from slackapp.store.reflections import read_answers
from tests.conftest import TRANSPORTS, Kindly
from tests.support.journeys import save_reminder, view_after
from tests.support.slack_requests import Person
from tests.support.views import all_text, button, buttons, fill, text_inputs
from tests.test_reminders_e2e import MONDAY_NINE_BERLIN, SUNDAY_NOON, reminders_sent

ALICE = Person("U0ALICE", "T0001", "alice")
INTRODUCTION = "Shouldn't I be hard on myself to do better?"
IN_HEAD = {"in_head": ["in_head"]}


def arrival_of(kindly: Kindly, who: Person = ALICE) -> dict[str, Any]:
    return view_after(kindly, "views.open", lambda: kindly.slack.command("", who=who))


def practice_from(kindly: Kindly, arrival: str, who: Person = ALICE) -> dict[str, Any]:
    reply = kindly.slack.view_submission(fill(arrival_of(kindly, who), {"arrival": arrival}), who=who)
    answer: dict[str, Any] = reply.json()
    assert answer["response_action"] == "update", answer
    view: dict[str, Any] = answer["view"]
    return view


def submit(kindly: Kindly, practice: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    reply: dict[str, Any] = kindly.slack.view_submission(fill(practice, answers), who=ALICE).json()
    return reply


def kept(kindly: Kindly) -> list[dict[str, str]]:
    """The answers of each reflection Alice has kept."""
    services = kindly.runtime.services
    with services.sessions.begin() as session:
        rows = session.scalars(select(Reflection).where(Reflection.user_id == ALICE.user_id)).all()
        return [read_answers(session, services.vault, row) for row in rows]


def choices(view: dict[str, Any]) -> dict[str, Any]:
    (block,) = [block for block in view["blocks"] if block.get("block_id") == "arrival"]
    element: dict[str, Any] = block["element"]
    return element


def chosen_arrival(view: dict[str, Any]) -> str | None:
    option = choices(view).get("initial_option")
    return option["value"] if option else None


# What self-compassion is, and is not


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_the_introduction_comes_with_the_first_kind_moment_only(kindly: Kindly) -> None:
    first = arrival_of(kindly)
    assert INTRODUCTION in all_text(first)
    assert "lower standards" in all_text(first)
    assert chosen_arrival(first) is None, "the choices are right there: the introduction can be skipped"
    kindly.idle()
    assert INTRODUCTION not in all_text(arrival_of(kindly)), "never again unasked"
    from_home = view_after(
        kindly, "views.open", lambda: kindly.slack.block_action("kind_moment_open", who=ALICE)
    )
    assert INTRODUCTION not in all_text(from_home)
    assert INTRODUCTION in all_text(arrival_of(kindly, Person("U0BOB", "T0001", "bob"))), "per person"
    assert INTRODUCTION in all_text(arrival_of(kindly, Person("U0ALICE", "T0002", "alice"))), "per workspace"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_what_is_self_compassion_is_reachable_again_from_help_and_the_home_tab(kindly: Kindly) -> None:
    arrival_of(kindly)  # the introduction, seen once
    help_reply = kindly.slack.command("help", who=ALICE).json()
    assert button(help_reply, "self_compassion_open")["text"]["text"] == "What is self-compassion?"
    message = {"type": "message", "ts": "1.1", "blocks": help_reply["blocks"]}
    from_help = view_after(
        kindly,
        "views.open",
        lambda: kindly.slack.message_action("self_compassion_open", message=message, who=ALICE),
    )
    home = view_after(kindly, "views.publish", lambda: kindly.slack.home_opened(who=ALICE))
    assert button(home, "self_compassion_open")["text"]["text"] == "What is self-compassion?"
    from_home = view_after(
        kindly, "views.open", lambda: kindly.slack.block_action("self_compassion_open", who=ALICE)
    )
    for view in (from_help, from_home):
        assert view["callback_id"] == "what_is_self_compassion"
        assert INTRODUCTION in all_text(view) and "Isn't this going easy on myself?" in all_text(view)


def test_reading_it_on_the_home_tab_first_keeps_the_first_kind_moment_plain(kindly: Kindly) -> None:
    view_after(kindly, "views.open", lambda: kindly.slack.block_action("self_compassion_open", who=ALICE))
    kindly.idle()
    assert INTRODUCTION not in all_text(arrival_of(kindly))


# Done without writing


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_practice_done_in_the_head_is_kept_without_text_and_shown_as_such(kindly: Kindly) -> None:
    practice = practice_from(kindly, "struggling")
    reply = submit(kindly, practice, IN_HEAD)
    assert reply["response_action"] == "update", reply
    assert reply["view"]["callback_id"] == "kind_moment_closed"
    assert kept(kindly) == [{}], "one kind moment, and no text at all"
    home = view_after(kindly, "views.publish", lambda: kindly.slack.home_opened(who=ALICE))
    assert "Self-compassion break" in all_text(home) and "done in your head" in all_text(home)
    entry_id = button(home, "journal_entry_open")["value"]
    entry = view_after(
        kindly,
        "views.open",
        lambda: kindly.slack.block_action("journal_entry_open", value=entry_id, who=ALICE),
    )
    assert "Done in your head." in all_text(entry)
    assert "kintsugi_start" not in {b["action_id"] for b in buttons(entry)}, "nothing written to mend"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_moment_done_in_the_head_counts_for_the_reminder_that_follows(kindly: Kindly) -> None:
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    kindly.clock.set(SUNDAY_NOON)
    save_reminder(kindly, who=ALICE)
    kindly.clock.set(MONDAY_NINE_BERLIN - timedelta(hours=1))
    assert submit(kindly, practice_from(kindly, "depleted"), IN_HEAD)["response_action"] == "update"
    assert kindly.dispatch(MONDAY_NINE_BERLIN).skipped == {"already_reflected": 1}
    assert reminders_sent(kindly) == []


def test_an_empty_practice_without_the_tick_names_each_needed_answer_and_the_tick(kindly: Kindly) -> None:
    practice = practice_from(kindly, "struggling")
    reply = submit(kindly, practice, {})
    assert reply["response_action"] == "errors"
    assert set(reply["errors"]) == {"mindfulness", "kindness"}  # the break's one optional answer is not
    assert all("in my head" in message for message in reply["errors"].values())
    assert kept(kindly) == []


def test_words_typed_with_the_tick_stay_on_screen_until_the_person_says_which_they_meant(
    kindly: Kindly,
) -> None:
    practice = practice_from(kindly, "self_critical")
    words = dict.fromkeys(text_inputs(practice), "my own words")
    reply = submit(kindly, practice, {**words, **IN_HEAD})
    assert reply["response_action"] == "errors", "neither dropped nor kept silently"
    assert set(reply["errors"]) == {"in_head"} and "Uncheck" in reply["errors"]["in_head"]
    assert kept(kindly) == []
    assert submit(kindly, practice, words)["response_action"] == "update"
    assert kept(kindly) == [dict.fromkeys(text_inputs(practice), "my own words")]


def test_a_practice_says_which_answers_it_needs_though_slack_sees_every_answer_as_optional(
    kindly: Kindly,
) -> None:
    practice = practice_from(kindly, "struggling")
    answers = [block for block in practice["blocks"] if block.get("block_id") in text_inputs(practice)]
    assert all(block["optional"] for block in answers), "Slack would refuse a submission done in the head"
    needed = {block["block_id"] for block in answers if "hint" in block}
    assert needed == {"mindfulness", "kindness"}


# A way back


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_choose_a_different_practice_returns_to_the_arrival_with_the_earlier_choice(kindly: Kindly) -> None:
    practice = practice_from(kindly, "depleted")
    assert practice["title"]["text"] == "Comfort"
    back = button(practice, "kind_moment_back")
    assert back["text"]["text"] == "Choose a different practice"
    shown = fill(practice, {}, view_id="V0PRACTICE")
    kindly.slack.block_action("kind_moment_back", value=back["value"], who=ALICE, view=shown)
    (update,) = kindly.fake.wait_for("views.update")
    assert update.params["view_id"] == "V0PRACTICE" and update.answered_error is None
    arrival = update.params["view"]
    assert arrival["callback_id"] == "kind_moment_arrival"
    assert chosen_arrival(arrival) == "depleted"
    assert INTRODUCTION not in all_text(arrival), "the introduction was the first time only"
    other = kindly.slack.view_submission(fill(arrival, {"arrival": "steady"}), who=ALICE).json()
    assert other["view"]["title"]["text"] == "Character note"


@pytest.mark.parametrize("forged", ["no_such_arrival", "", "revisiting", '{"practice": "kintsugi"}' * 50])
def test_a_stale_or_forged_way_back_gives_the_arrival_with_nothing_chosen(
    kindly: Kindly, forged: str
) -> None:
    practice = fill(practice_from(kindly, "depleted"), {}, view_id="V0PRACTICE")
    reply = kindly.slack.block_action("kind_moment_back", value=forged, who=ALICE, view=practice)
    assert reply.status == 200
    (update,) = kindly.fake.wait_for("views.update")
    arrival = update.params["view"]
    assert arrival["callback_id"] == "kind_moment_arrival" and chosen_arrival(arrival) is None
    offered = {option["value"] for option in choices(arrival)["options"]}
    assert "revisiting" not in offered, "no entries of her own: nothing to revisit"


def test_a_way_back_pressed_outside_a_practice_starts_a_kind_moment_afresh(kindly: Kindly) -> None:
    arrival = view_after(
        kindly,
        "views.open",
        lambda: kindly.slack.block_action("kind_moment_back", value="depleted", who=ALICE),
    )
    assert arrival["callback_id"] == "kind_moment_arrival"


def test_kintsugi_done_in_the_head_mends_the_chosen_entry_and_offers_only_written_ones(
    kindly: Kindly,
) -> None:
    assert submit(kindly, practice_from(kindly, "depleted"), IN_HEAD)["response_action"] == "update"
    written = practice_from(kindly, "self_critical")
    submit(kindly, written, dict.fromkeys(text_inputs(written), "a hard week"))
    kintsugi = practice_from(kindly, "revisiting")
    (select_block,) = [block for block in kintsugi["blocks"] if block.get("block_id") == "entry"]
    (offered,) = select_block["element"]["options"]
    assert "A friend's words" in offered["text"]["text"], "the moment done in the head has nothing to mend"
    reply = submit(kindly, kintsugi, {"entry": offered["value"], **IN_HEAD})
    assert "Mended in gold." in all_text(reply["view"])
    journal = view_after(kindly, "views.open", lambda: kindly.slack.command("journal", who=ALICE))
    assert "mended in gold" in all_text(journal)
    assert kept(kindly).count({}) == 2, "the kintsugi done in the head keeps no text either"
