"""One HR lead's setting cannot break a surface for everyone: each is bounded by what its surface shows
after escaping, refused at the form with a field error (Slack keeps the text on screen), and an older value
beyond the bounds is shortened or left out when shown, never fatal."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from slackapp.store.models import TeamProgram, Workspace
from tests.conftest import Kindly
from tests.support.journeys import take_kind_moment, view_after
from tests.support.slack_requests import Person
from tests.support.views import all_text, fill

HANNA = Person("U0HANNA", "T0001", "hanna")  # an HR lead: a workspace admin
ALICE = Person("U0ALICE", "T0001", "alice")
CRISIS_LINE = "not a crisis service"
# Escapes to 4,000 characters: past the 3,000 Slack shows in one text, so today every /kindly fails.
ANGLES = "<" * 1000


@pytest.fixture
def team(kindly: Kindly) -> Kindly:
    kindly.fake.set_user(HANNA.user_id, tz="Europe/Berlin", is_admin=True)
    return kindly


def open_from_team(kindly: Kindly, action_id: str) -> dict[str, Any]:
    hub = view_after(kindly, "views.open", lambda: kindly.slack.command("team", who=HANNA))
    hub = {**hub, "id": "V0TEAM", "hash": "1.team"}
    return view_after(kindly, "views.push", lambda: kindly.slack.block_action(action_id, view=hub, who=HANNA))


def save_support(kindly: Kindly, *, text: str, url: str = "") -> dict[str, Any]:
    answers = {"support_text": text, **({"support_url": url} if url else {})}
    submitted = fill(open_from_team(kindly, "support_settings_open"), answers)
    reply: dict[str, Any] = kindly.slack.view_submission(submitted, who=HANNA).json()
    return reply


def stored(kindly: Kindly) -> Workspace | None:
    with kindly.runtime.services.sessions.begin() as session:
        return session.scalars(select(Workspace)).one_or_none()


def store_directly(kindly: Kindly, **values: str) -> None:
    """As an earlier version (or a crafted write) left it, past today's bounds."""
    save_support(kindly, text="Our EAP: 0800 123")
    with kindly.runtime.services.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        for name, value in values.items():
            setattr(workspace, name, value)


def arrival_text(kindly: Kindly, who: Person = ALICE) -> str:
    return all_text(view_after(kindly, "views.open", lambda: kindly.slack.command("", who=who)))


def test_a_support_text_that_escapes_past_what_slack_shows_is_refused_at_the_form(team: Kindly) -> None:
    assert save_support(team, text="Our EAP: 0800 123")["response_action"] == "clear"

    reply = save_support(team, text=ANGLES)

    assert reply["response_action"] == "errors" and set(reply["errors"]) == {"support_text"}
    assert "1,000" in reply["errors"]["support_text"]
    workspace = stored(team)
    assert workspace is not None and workspace.support_text == "Our EAP: 0800 123"
    assert "Our EAP: 0800 123" in arrival_text(team)


@pytest.mark.parametrize(
    "url",
    [
        "https://eap.example/get help",
        "https://eap.example/<!channel>",
        "https://eap.example/a|b",
        "javascript:alert(1)",
        "eap.example/help",
        "https://eap.example/" + "a" * 490,
    ],
    ids=["space", "markup", "pipe", "scheme", "no-scheme", "too-long"],
)
def test_a_malformed_support_link_is_refused_with_a_field_error_not_dropped(team: Kindly, url: str) -> None:
    reply = save_support(team, text="Our EAP: 0800 123", url=url)

    assert reply["response_action"] == "errors" and set(reply["errors"]) == {"support_url"}
    assert stored(team) is None  # nothing saved, the form keeps what was typed


def test_the_longest_support_settings_the_form_accepts_show_on_every_surface(team: Kindly) -> None:
    longest_text, longest_url = "&" * 300, "https://eap.example/?" + "&a" * 79  # 1,500 and 495 shown
    assert save_support(team, text=longest_text, url=longest_url)["response_action"] == "clear"

    shown = arrival_text(team)
    assert "&amp;" * 300 in shown and CRISIS_LINE in shown and "|Support resources>" in shown
    take_kind_moment(team, who=ALICE)  # the practice (with the support line) opens and the words are kept
    home = view_after(team, "views.publish", lambda: team.slack.home_opened(who=ALICE))
    assert CRISIS_LINE in all_text(home)
    assert "&" * 300 in all_text(open_from_team(team, "support_settings_open"))


def test_a_support_text_stored_past_the_bounds_is_shortened_and_every_kind_moment_still_opens(
    team: Kindly,
) -> None:
    store_directly(team, support_text=ANGLES, support_url="https://eap.example/a b")

    shown = arrival_text(team)
    assert "&lt;" * 100 in shown and "…" in shown and CRISIS_LINE in shown
    assert "eap.example" not in shown  # a link that cannot be shown is left out
    take_kind_moment(team, who=ALICE)  # the practice (with the support line) opens and the words are kept
    home = view_after(team, "views.publish", lambda: team.slack.home_opened(who=ALICE))
    assert CRISIS_LINE in all_text(home)
    # The HR lead can still open the form to fix it.
    form = open_from_team(team, "support_settings_open")
    assert "<" * 1000 in all_text(form)


def save_shoutout_settings(kindly: Kindly, *, blocked: str = "", strengths: str = "") -> dict[str, Any]:
    view = open_from_team(kindly, "shoutout_settings_open")
    answers = {
        "mode": "immediate",
        "digest_day": "4",
        "digest_time": "15:00",
        "blocked_words": blocked,
        "extra_strengths": strengths,
    }
    reply: dict[str, Any] = kindly.slack.view_submission(fill(view, answers), who=HANNA).json()
    return reply


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"blocked": "word\n" * 401}, "blocked_words"),
        ({"strengths": "Craftsmanship\n" + "x" * 61}, "extra_strengths"),
        ({"strengths": "\n".join(f"Strength {n}" for n in range(89))}, "extra_strengths"),
    ],
    ids=["blocked-words-too-long", "a-strength-too-long", "too-many-strengths"],
)
def test_word_lists_the_forms_could_not_show_are_refused_with_a_field_error(
    team: Kindly, answers: dict[str, str], field: str
) -> None:
    reply = save_shoutout_settings(team, **answers)

    assert reply["response_action"] == "errors" and set(reply["errors"]) == {field}
    assert stored(team) is None


def test_word_lists_stored_past_the_bounds_still_open_the_settings_and_the_shoutout_form(
    team: Kindly,
) -> None:
    store_directly(team, blocked_words="word\n" * 1000, extra_strengths="Craftsmanship\n" * 500)

    form = open_from_team(team, "shoutout_settings_open")
    assert "Craftsmanship" in all_text(form)
    shoutout = view_after(team, "views.open", lambda: team.slack.command("shoutout", who=ALICE))
    assert "Craftsmanship" in all_text(shoutout)


def test_a_program_name_longer_than_its_surfaces_show_is_refused_at_the_form(team: Kindly) -> None:
    modal = open_from_team(team, "program_new")
    answers = {"name": "<" * 30, "weekday": "0", "time": "10:00", "start": "2027-01-04", "themes": ["rest"]}
    submitted = fill(modal, answers)
    choice = {"type": "conversations_select", "selected_conversation": "C0TEAM"}
    submitted["state"]["values"]["channel"] = {"choice": choice}

    reply = team.slack.view_submission(submitted, who=HANNA).json()

    assert reply["response_action"] == "errors" and set(reply["errors"]) == {"name"}
    with team.runtime.services.sessions.begin() as session:
        assert session.scalars(select(TeamProgram)).first() is None
