"""`/kindly` end to end: a signed slash command opens the modal, a practice is kept privately."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from slackapp.practices.catalogue import PRACTICES
from slackapp.store.models import Reflection
from slackapp.store.reflections import read_answers
from tests.conftest import TRANSPORTS, Kindly
from tests.support.database import raw_database_bytes
from tests.support.journeys import take_kind_moment, view_after
from tests.support.slack_requests import Person
from tests.support.views import all_text, fill, text_inputs


def open_arrival(kindly: Kindly, who: Person | None = None) -> dict[str, Any]:
    reply = kindly.slack.command("", who=who or Person())
    assert reply.status == 200
    call = kindly.fake.wait_for("views.open")[-1]
    view: dict[str, Any] = call.params["view"]
    return view


def test_kindly_opens_a_kind_moment_with_its_trigger(kindly: Kindly) -> None:
    reply = kindly.slack.command("")
    assert reply.status == 200
    (call,) = kindly.fake.wait_for("views.open")
    assert call.params["trigger_id"] == kindly.slack.last_trigger_id
    assert call.answered_error is None
    assert call.params["view"]["callback_id"] == "kind_moment_arrival"
    assert "crisis" in all_text(call.params["view"])


@pytest.mark.parametrize(
    ("arrival", "practice"),
    [
        ("struggling", "self_compassion_break"),
        ("fell_short", "kind_coach"),
        ("self_critical", "friends_words"),
        ("flaws", "flaws_and_all"),
        ("depleted", "comfort"),
        ("needing", "provide"),
        ("facing_something", "courage"),
        ("unsettled", "compassionate_image"),
        ("steady", "character_note"),
    ],
)
def test_each_practice_is_kept_encrypted(kindly: Kindly, arrival: str, practice: str) -> None:
    arrival_view = open_arrival(kindly)
    reply = kindly.slack.view_submission(fill(arrival_view, {"arrival": arrival}))
    assert reply.json()["response_action"] == "update"
    practice_view = reply.json()["view"]
    assert practice_view["title"]["text"] == PRACTICES[practice].name
    inputs = text_inputs(practice_view)
    assert 2 <= len(inputs) <= 3
    secret = f"my private words for {practice} 🌱"
    reply = kindly.slack.view_submission(fill(practice_view, {key: secret for key in inputs}))
    assert reply.status == 200
    closing = reply.json()
    assert closing["response_action"] == "update"
    assert closing["view"]["callback_id"] == "kind_moment_closed"
    assert "Kept privately in your journal" in all_text(closing["view"])
    assert secret.encode() not in raw_database_bytes(kindly.runtime.engine)
    author = Person()
    services = kindly.runtime.services
    with services.sessions.begin() as session:
        (kept,) = session.scalars(
            select(Reflection).where(
                Reflection.team_id == author.team_id, Reflection.user_id == author.user_id
            )
        )
        entry_id = str(kept.id)
        assert read_answers(session, services.vault, kept) == dict.fromkeys(inputs, secret)
    entry = view_after(
        kindly,
        "views.open",
        lambda: kindly.slack.block_action("journal_entry_open", value=entry_id, who=author),
    )
    assert secret in all_text(entry), "its author reads it back in the journal"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_kind_moment_started_on_the_home_tab_refreshes_the_tab_behind_it(kindly: Kindly) -> None:
    before = len(kindly.fake.calls("views.publish"))
    take_kind_moment(kindly, arrival="depleted", text="a long nap", from_home=True)
    home = kindly.fake.wait_for("views.publish", count=before + 1)[-1].params["view"]
    assert "Comfort" in all_text(home)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_kind_moment_from_a_channel_shows_on_the_home_tab_when_it_is_next_opened(kindly: Kindly) -> None:
    take_kind_moment(kindly, arrival="depleted", text="a long nap")
    assert kindly.fake.calls("views.publish") == []  # nobody is looking at the tab: no publish for nothing
    home = view_after(kindly, "views.publish", lambda: kindly.slack.home_opened())
    assert "Comfort" in all_text(home)
