"""The copy pass as a person meets it, through signed requests: Slack's error codes arrive as plain words,
dates arrive as Slack date tokens, and the team feature has one name on its buttons."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from slackapp.rendering.shoutouts import notice
from tests.conftest import Kindly
from tests.support.dates import day_token, moment_token
from tests.support.journeys import take_kind_moment, view_after
from tests.support.programs import HANNA, open_team, start_program
from tests.support.shoutouts import ALICE, CHANNEL, choose_channel, send
from tests.support.views import all_text, button, buttons

MONDAY = datetime(2027, 1, 4, 10, tzinfo=UTC)
TEAM = "C0TEAM"


@pytest.fixture
def hr(kindly: Kindly) -> Kindly:
    kindly.fake.set_user(HANNA.user_id, tz="Europe/Berlin", is_admin=True)
    kindly.clock.set(MONDAY)
    return kindly


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("is_archived", "That channel is archived. Please choose another one."),
        (
            "restricted_action",
            "Kindly couldn't post in that channel: this workspace only lets some people post in that"
            " channel. Please choose another one, or try again.",
        ),
        ("team_access_not_granted", "Kindly couldn't post in that channel: Slack couldn't do it just now."),
    ],
)
def test_a_shoutout_channel_kindly_cannot_post_in_is_refused_in_plain_words(
    hr: Kindly, code: str, words: str
) -> None:
    hr.fake.fail("chat.postMessage", code)
    reply = choose_channel(hr)
    assert reply["response_action"] == "errors"  # the form stays open, with what Hanna chose
    assert words in reply["errors"]["channel"]
    assert code not in reply["errors"]["channel"]


def test_the_team_page_names_each_program_button_and_shows_its_start_as_a_date_token(hr: Kindly) -> None:
    hr.fake.set_channel_members(TEAM, [ALICE.user_id])
    view_after(hr, "views.open", lambda: hr.slack.command("remind", who=HANNA))  # Kindly learns her zone
    assert start_program(hr, channel=TEAM, start="2027-01-11")["response_action"] == "update"
    hub = open_team(hr)
    labels = {found["action_id"]: found["text"]["text"] for found in buttons(hub)}
    assert labels["program_toggle"] == "Pause program"
    assert labels["program_insights"] == "See insights"
    assert labels["program_delete"] == "Delete program"
    assert labels["program_new"] == "New team program"
    delete = button(hub, "program_delete")
    assert delete["style"] == "danger" and delete["confirm"]["title"]["text"] == "Delete this team program?"
    assert "Team programs" in all_text(hub)
    # 10:00 is each member's own wall clock; the first day is a token for midday of that day where Hanna is.
    first_day = day_token(date(2027, 1, 11), "Europe/Berlin")
    assert f"Mondays at 10:00 in each member's own time zone, from {first_day}" in all_text(hub)


def test_an_entry_on_home_shows_when_it_was_written_as_a_token_and_opens_by_name(hr: Kindly) -> None:
    hr.fake.set_user(ALICE.user_id, tz="America/Los_Angeles")
    take_kind_moment(hr, who=ALICE)
    home = view_after(hr, "views.publish", lambda: hr.slack.home_opened(who=ALICE))
    assert f"{moment_token(MONDAY)}{{date_short_pretty}}|2027-01-04 10:00 UTC>" in all_text(home)
    assert button(home, "journal_entry_open")["text"]["text"] == "Open entry"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("is_archived", ": that channel is archived. So it went to <@U0BOB> privately instead."),
        ("restricted_action", ": this workspace only lets some people post in that channel. So it went"),
        ("fatal_error", ": Slack couldn't do it just now. So it went to <@U0BOB> privately instead."),
    ],
)
def test_a_shoutout_that_could_not_be_posted_tells_the_sender_why_in_plain_words(
    hr: Kindly, code: str, words: str
) -> None:
    assert choose_channel(hr)["response_action"] == "clear"  # the channel took the welcome message
    hr.fake.fail("chat.postMessage", code)
    assert send(hr)["response_action"] == "update"
    (update,) = hr.fake.wait_for("views.update")
    told = all_text(update.params["view"])
    assert f"It couldn't be posted in <#{CHANNEL}>{words}" in told
    assert code not in told


def test_when_slack_refuses_a_call_the_person_gets_kind_words_from_a_template(hr: Kindly) -> None:
    hr.fake.fail("views.open", "invalid_arguments")
    hr.slack.command("journal", who=ALICE)
    (reply,) = hr.fake.wait_for("response_url")
    sorry = notice(hr.runtime.services.renderer, "something_went_wrong")["text"]
    assert reply.params["text"] == sorry and reply.params["response_type"] == "ephemeral"
    assert "nothing you wrote was shared" in sorry and "invalid_arguments" not in all_text(reply.params)
