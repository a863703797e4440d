"""The journal: a person sees their own reflections, and nobody else's, even with forged ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from slackapp.store.reflections import add_reflection
from tests.conftest import TRANSPORTS, Kindly
from tests.support.journeys import open_journal, take_kind_moment, view_after
from tests.support.slack_requests import Person
from tests.support.views import all_text, button, buttons, fill

ALICE = Person("U0ALICE", "T0001", "alice")
BOB = Person("U0BOB", "T0001", "bob")
ALICE_ELSEWHERE = Person("U0ALICE", "T0OTHER", "alice")


def seed(kindly: Kindly, who: Person, count: int) -> None:
    services = kindly.runtime.services
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    with services.sessions.begin() as session:
        for number in range(count):
            add_reflection(
                session,
                services.vault,
                team_id=who.team_id,
                user_id=who.user_id,
                practice="comfort",
                answers={"need": f"entry {number}"},
                now=start + timedelta(days=number),
            )


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_journal_lists_own_reflections_newest_first_and_opens_them(kindly: Kindly) -> None:
    take_kind_moment(kindly, arrival="depleted", text="first, a long nap")
    take_kind_moment(kindly, arrival="steady", text="second, patience")
    journal = open_journal(kindly)
    entries = [b["text"]["text"] for b in journal["blocks"] if b.get("accessory", {}).get("action_id")]
    assert entries[0].startswith("*Character note*") and entries[1].startswith("*Comfort*")
    open_button = button(journal, "journal_entry_open")
    entry = view_after(
        kindly,
        "views.push",
        lambda: kindly.slack.block_action("journal_entry_open", value=open_button["value"], view=journal),
    )
    assert "second, patience" in all_text(entry)
    assert "A strength of character" in all_text(entry)  # the heading, whichever wording asked


def test_another_person_sees_none_of_it_even_with_a_forged_entry_id(kindly: Kindly) -> None:
    take_kind_moment(kindly, text="alice's private words", who=ALICE)
    alice_entry = button(open_journal(kindly, ALICE), "journal_entry_open")["value"]
    for stranger in (BOB, ALICE_ELSEWHERE):
        journal = open_journal(kindly, stranger)
        assert "Nothing here yet" in all_text(journal)
        shown = view_after(
            kindly,
            "views.open",
            partial(kindly.slack.block_action, "journal_entry_open", value=alice_entry, who=stranger),
        )
        assert "alice's private words" not in all_text(shown)
        assert "isn't in your journal" in all_text(shown)


def test_a_forged_kintsugi_submission_cannot_mend_someone_elses_entry(kindly: Kindly) -> None:
    take_kind_moment(kindly, text="alice's hard day", who=ALICE)
    take_kind_moment(kindly, text="bob's hard day", who=BOB)
    alice_entry = button(open_journal(kindly, ALICE), "journal_entry_open")["value"]
    bob_entry = button(open_journal(kindly, BOB), "journal_entry_open")["value"]
    kintsugi = view_after(
        kindly, "views.open", lambda: kindly.slack.block_action("kintsugi_start", value=bob_entry, who=BOB)
    )
    forged = fill(kintsugi, {"entry": bob_entry, "lesson": "stolen lesson"})
    forged["state"]["values"]["entry"]["choice"]["selected_option"]["value"] = alice_entry
    reply = kindly.slack.view_submission(forged, who=BOB).json()
    assert reply["response_action"] == "errors" and "entry" in reply["errors"]


def test_journal_pages_past_ten(kindly: Kindly) -> None:
    seed(kindly, ALICE, 12)
    journal = open_journal(kindly, ALICE)
    assert len([b for b in buttons(journal) if b["action_id"] == "journal_entry_open"]) == 10
    older = button(journal, "journal_page")
    assert older["text"]["text"] == "Older entries"
    page_two = view_after(
        kindly,
        "views.update",
        lambda: kindly.slack.block_action("journal_page", value=older["value"], view=journal),
    )
    assert len([b for b in buttons(page_two) if b["action_id"] == "journal_entry_open"]) == 2
    pages = [b["text"]["text"] for b in buttons(page_two) if b["action_id"] == "journal_page"]
    assert pages == ["Newer entries"]


def test_kintsugi_mends_an_entry_in_gold(kindly: Kindly) -> None:
    take_kind_moment(kindly, arrival="struggling", text="the launch went badly")
    journal = open_journal(kindly)
    entry_id = button(journal, "journal_entry_open")["value"]
    entry = view_after(
        kindly,
        "views.push",
        lambda: kindly.slack.block_action("journal_entry_open", value=entry_id, view=journal),
    )
    mend = button(entry, "kintsugi_start")
    kintsugi = view_after(
        kindly,
        "views.push",
        lambda: kindly.slack.block_action(
            "kintsugi_start", value=mend["value"], view={**entry, "id": "V0ENTRY"}
        ),
    )
    select = next(b for b in kintsugi["blocks"] if b.get("block_id") == "entry")
    assert select["element"]["initial_option"]["value"] == entry_id
    reply = kindly.slack.view_submission(fill(kintsugi, {"entry": entry_id, "lesson": "I can ask for help"}))
    assert "Mended in gold." in all_text(reply.json()["view"])
    journal = open_journal(kindly)
    assert "mended in gold" in all_text(journal)
    mended = view_after(
        kindly,
        "views.push",
        lambda: kindly.slack.block_action("journal_entry_open", value=entry_id, view=journal),
    )
    assert "Mended in gold" in all_text(mended)
    assert "kintsugi_start" not in [b["action_id"] for b in buttons(mended)]


def test_kintsugi_is_offered_on_arrival_once_there_is_something_to_revisit(kindly: Kindly) -> None:
    first = view_after(kindly, "views.open", lambda: kindly.slack.command(""))
    assert "revisiting" not in all_text(first)
    take_kind_moment(kindly, text="something hard")
    arrival = view_after(kindly, "views.open", lambda: kindly.slack.command(""))
    reply = kindly.slack.view_submission(fill(arrival, {"arrival": "revisiting"})).json()
    assert reply["response_action"] == "update"
    assert any(b.get("block_id") == "entry" for b in reply["view"]["blocks"])
