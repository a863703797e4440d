"""The team-program form thinks ahead: it refuses what cannot work and says what will happen."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from slackapp.store.models import TeamProgram
from tests.conftest import Kindly
from tests.support.dates import day_token
from tests.support.journeys import view_after
from tests.support.programs import HANNA, open_team
from tests.support.slack_requests import Person
from tests.support.views import all_text, fill

CHANNEL = "C0FORM"
PEOPLE = ["U0ANA", "U0BEN", "U0CLE", "U0DAN", "U0EVE"]
OPTED_OUT = Person("U0EVE", "T0001", "eve")
NOT_PEOPLE: dict[str, dict[str, Any]] = {
    "U0HELPERBOT": {"is_bot": True},
    "U0GUEST": {"is_restricted": True},
    "U0GONE": {"deleted": True},
}
THURSDAY = datetime(2026, 12, 3, 18, tzinfo=UTC)  # Thursday 3 December in UTC, Friday 03:00 in Tokyo


def the_team(kindly: Kindly) -> Kindly:
    kindly.fake.set_user(HANNA.user_id, tz="Asia/Tokyo", is_admin=True)
    for user_id in PEOPLE:
        kindly.fake.set_user(user_id, tz="Europe/Berlin")
    for user_id, flags in NOT_PEOPLE.items():
        kindly.fake.set_user(user_id, tz="Europe/Berlin", **flags)
    kindly.fake.set_channel_members(CHANNEL, [*PEOPLE, *NOT_PEOPLE])
    kindly.clock.set(THURSDAY)
    return kindly


def program_form(kindly: Kindly) -> dict[str, Any]:
    hub = open_team(kindly)
    return view_after(
        kindly, "views.push", lambda: kindly.slack.block_action("program_new", view=hub, who=HANNA)
    )


def submit(kindly: Kindly, *, start: str, themes: list[str], weekday: str = "1") -> dict[str, Any]:
    """HANNA fills in the form for everyone in CHANNEL and presses Start; Slack's answer to the press."""
    answers = {"name": "Weekly kind moment", "weekday": weekday, "time": "10:00", "start": start}
    submitted = fill(program_form(kindly), {**answers, "themes": themes} if themes else answers)
    choice = {"type": "conversations_select", "selected_conversation": CHANNEL}
    submitted["state"]["values"]["channel"] = {"choice": choice}
    reply: dict[str, Any] = kindly.slack.view_submission(submitted, who=HANNA).json()
    return reply


def programs(kindly: Kindly) -> list[str]:
    with kindly.runtime.services.sessions.begin() as session:
        return list(session.scalars(select(TeamProgram.name)))


def test_a_start_date_in_the_past_is_refused_with_a_field_error(kindly: Kindly) -> None:
    team = the_team(kindly)
    # It is already Friday 4 December in Tokyo, where Hanna is: the 3rd has passed for her.
    reply = submit(team, start="2026-12-03", themes=["rest"])
    assert reply["response_action"] == "errors"
    assert reply["errors"] == {"start": "Please choose today or a later day."}  # a plain-text field: no date
    assert "view" not in reply  # the form stays open with everything she typed
    assert programs(team) == []


def test_the_form_offers_the_leads_own_today_and_accepts_it(kindly: Kindly) -> None:
    team = the_team(kindly)
    start = program_form(team)["blocks"][-2]["element"]["initial_date"]
    assert start == "2026-12-04"
    assert submit(team, start=start, themes=["rest"])["response_action"] == "update"
    team.fake.wait_for("views.publish", count=1)
    assert programs(team) == ["Weekly kind moment"]


def test_a_program_with_no_themes_is_refused_with_a_field_error(kindly: Kindly) -> None:
    team = the_team(kindly)
    reply = submit(team, start="2026-12-07", themes=[])
    assert reply["response_action"] == "errors"
    assert set(reply["errors"]) == {"themes"}
    assert programs(team) == []


def test_the_form_says_when_it_starts_and_how_many_people_it_reaches(kindly: Kindly) -> None:
    team = the_team(kindly)
    team.slack.block_action("team_prompts_toggle", who=OPTED_OUT)  # "Not for me", before the program
    team.fake.wait_for("views.publish", count=1)

    reply = submit(team, start="2026-12-07", themes=["rest", "kindness"])  # a Monday; Tuesdays chosen

    assert reply["response_action"] == "update"
    assert reply["view"]["clear_on_close"] is True  # Done closes the team page too, which is out of date
    before = all_text(reply["view"])
    starting = (
        f"Weekly on Tuesdays at each member's 10:00, starting {day_token(date(2026, 12, 8), 'Asia/Tokyo')}"
    )
    assert starting in before and "|2026-12-08>. Kindly is counting" in before
    update = team.fake.wait_for("views.update", count=1)[0]
    assert update.ok and update.params["view_id"] == "V0MODAL"  # the form itself, now the confirmation
    after = all_text(update.params["view"])
    # Five members, but one said no to team prompts; the bot, the guest and the deleted account are not
    # people.
    assert starting in after and "|2026-12-08>, 4 people." in after


def test_the_confirmation_says_so_when_slack_will_not_list_the_channel(kindly: Kindly) -> None:
    team = the_team(kindly)
    team.fake.fail("conversations.members", "channel_not_found")

    assert submit(team, start="2026-12-07", themes=["rest"])["response_action"] == "update"

    after = all_text(team.fake.wait_for("views.update", count=1)[0].params["view"])
    assert "Slack did not tell Kindly who is in <#C0FORM>, so nobody is enrolled yet" in after
    assert "people." not in after  # never "0 people", as if the channel were empty
