"""Insights that cannot be differenced: frozen snapshots of closed weeks, only prompt responses counted,
"Not for me" out of the denominators, k and complementary suppression for every figure, people only.

The adversary is an HR lead who reads insights before and after one person's action, hoping the
difference names it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from slackapp.jobs import housekeeping
from slackapp.store.crypto import derive_secret
from slackapp.store.feedback import KINDS, reaction_key
from slackapp.store.models import InsightSnapshot, PromptFeedback, Schedule, TeamProgram
from tests.conftest import Kindly
from tests.support.journeys import finish_listeners, take_kind_moment, view_after
from tests.support.programs import HANNA, open_team, press, prompts_to, read_insights, start_program
from tests.support.shoutouts import send
from tests.support.slack_requests import Person
from tests.support.views import all_text, buttons, fill

CHANNEL = "C0CARE"
PEOPLE = [Person(f"U0P{number:02d}", "T0001", f"p{number}") for number in range(1, 13)]
SUNDAY = datetime(2027, 1, 3, 12, tzinfo=UTC)
WEEK_HEADING = re.compile(r"\*Week of <!date\^\d+\^\{date_short\}\|(\d{4}-\d\d-\d\d)>\*")
FIRST_PROMPTS = datetime(2027, 1, 4, 9, tzinfo=UTC)  # Monday 10:00 in Berlin
SECOND_PROMPTS = FIRST_PROMPTS + timedelta(weeks=1)
FIRST_WEEK_CLOSED = datetime(2027, 1, 12, 1, tzinfo=UTC)  # the week of 4 January has ended everywhere
SECOND_WEEK_CLOSED = FIRST_WEEK_CLOSED + timedelta(weeks=1)


@pytest.fixture
def team(kindly: Kindly) -> Kindly:
    kindly.fake.set_user(HANNA.user_id, tz="Asia/Tokyo", is_admin=True)
    for person in PEOPLE:
        kindly.fake.set_user(person.user_id, tz="Europe/Berlin")
    kindly.fake.set_channel_members(CHANNEL, [person.user_id for person in PEOPLE])
    kindly.clock.set(SUNDAY)
    return kindly


def weeks_shown(insights: dict[str, Any]) -> dict[str, str]:
    """Each week's row by its first day (a date token's fallback), and the summary with its sparkline:
    every figure the view shows."""
    rows = {
        WEEK_HEADING.fullmatch(block["fields"][0]["text"]).group(1): "\n".join(  # type: ignore[union-attr]
            field["text"] for field in block["fields"][1:]
        )
        for block in insights["blocks"]
        if block.get("fields")
    }
    summary = ("*Took a kind moment from the prompt:*", "The same by week")
    lines = [line for line in all_text(insights).splitlines() if line.startswith(summary)]
    return {**rows, "sparkline": "\n".join(lines)}


def week_row(insights: dict[str, Any], week: str) -> str:
    """The text of one week's row ("2027-01-04"), or "" when the week is not shown."""
    return weeks_shown(insights).get(week, "")


def prompted_week(team: Kindly, at: datetime) -> None:
    team.clock.set(at)
    team.dispatch(at)


def forget(team: Kindly, person: Person) -> None:
    modal = view_after(team, "views.open", lambda: team.slack.command("forget-me", who=person))
    assert (
        team.slack.view_submission(fill(modal, {"confirm": "forget me"}), who=person).json()[
            "response_action"
        ]
        == "update"
    )


def lower_k_to_three(team: Kindly) -> None:
    hub = open_team(team)
    modal = view_after(
        team, "views.push", lambda: team.slack.block_action("support_settings_open", view=hub, who=HANNA)
    )
    submitted = fill(modal, {"support_text": ""})
    submitted["state"]["values"]["anonymity_k"] = {
        "choice": {"type": "static_select", "selected_option": {"value": "3"}}
    }
    assert team.slack.view_submission(submitted, who=HANNA).json()["response_action"] == "clear"


def test_an_hr_lead_who_reads_before_and_after_ones_action_learns_nothing(team: Kindly) -> None:
    start_program(team, channel=CHANNEL)
    prompted_week(team, FIRST_PROMPTS)
    for person in PEOPLE[:6]:
        press(team, person, "kind_moment_open")
    for person in PEOPLE[:5]:
        press(team, person, "prompt_helped")
    for person in PEOPLE[6:9]:  # private kind moments, not from the prompt: never counted
        take_kind_moment(team, who=person)
    prompted_week(team, SECOND_PROMPTS)
    press(team, PEOPLE[9], "prompt_helped")  # during the open week: nothing may move
    team.clock.set(FIRST_WEEK_CLOSED)

    before = read_insights(team)
    closed = week_row(before, "2027-01-04")
    assert "People in the program: 12" in closed
    assert "Took a kind moment from the prompt: 6" in closed  # the 3 private ones are not there
    assert '"This helped": 5' in closed
    assert week_row(before, "2027-01-11") == ""  # the open week: no live counter

    # One person's action each, during the open week.
    leaver, private, forgotten, helper, opener, quitter = PEOPLE[0], PEOPLE[1], PEOPLE[2], *PEOPLE[3:6]
    team.fake.set_channel_members(CHANNEL, [p.user_id for p in PEOPLE if p != leaver])
    team.slack.member_left(channel=CHANNEL, who=leaver)
    take_kind_moment(team, who=private)
    forget(team, forgotten)
    press(team, helper, "prompt_helped")
    press(team, opener, "kind_moment_open")
    press(team, quitter, "prompt_opt_out")
    lower_k_to_three(team)
    finish_listeners(team)
    with team.runtime.services.sessions.begin() as session:  # every action has landed
        enrolled = set(session.scalars(select(Schedule.user_id).where(Schedule.program_id.is_not(None))))
    assert not {leaver.user_id, forgotten.user_id, quitter.user_id} & enrolled

    after = read_insights(team)
    assert weeks_shown(after) == weeks_shown(before)  # nothing about a closed week changed, nothing new
    assert week_row(after, "2027-01-11") == ""


def test_a_closed_week_is_counted_over_its_own_people_and_not_for_me_leaves_the_denominator(
    team: Kindly,
) -> None:
    start_program(team, channel=CHANNEL)
    prompted_week(team, FIRST_PROMPTS)
    prompted_week(team, SECOND_PROMPTS)
    team.clock.set(FIRST_WEEK_CLOSED)
    housekeeping(team.runtime.services)  # the first week is frozen as it closes, unread
    quitter = PEOPLE[11]
    press(team, quitter, "prompt_opt_out")
    for person in PEOPLE[:5]:
        press(team, person, "kind_moment_open")
    press(team, quitter, "kind_moment_open")  # no longer in the program: counts nothing
    team.clock.set(SECOND_WEEK_CLOSED)
    insights = read_insights(team)
    assert "People in the program: 12" in week_row(insights, "2027-01-04")
    second = week_row(insights, "2027-01-11")
    assert "People in the program: 11" in second
    assert "Took a kind moment from the prompt: 5" in second
    before = len(prompts_to(team))
    team.dispatch(SECOND_PROMPTS + timedelta(weeks=1))
    assert quitter.user_id not in prompts_to(team)[before:]
    with team.runtime.services.sessions.begin() as session:
        # The reactions a snapshot was counted from are gone; only the frozen figures stay.
        assert session.scalar(select(func.count()).select_from(PromptFeedback)) == 0
        assert session.scalar(select(func.count()).select_from(InsightSnapshot)) == 2


def test_every_figure_under_k_or_over_population_minus_k_is_not_shown(team: Kindly) -> None:
    start_program(team, channel=CHANNEL)
    prompted_week(team, FIRST_PROMPTS)
    for person in PEOPLE[:4]:  # 4 of 12: fewer than k = 5
        press(team, person, "kind_moment_open")
    for person in PEOPLE[:8]:  # 8 of 12: only 4 did not, fewer than k
        press(team, person, "prompt_helped")
    team.clock.set(FIRST_WEEK_CLOSED)
    row = week_row(read_insights(team), "2027-01-04")
    assert "People in the program: 12" in row
    assert "Took a kind moment from the prompt: not shown" in row
    assert '"This helped": not shown' in row
    assert "Shout-outs posted in the shout-out channel: not shown" in row  # nobody received one
    assert "4" not in row and "8" not in row


def test_receiving_team_prompts_again_on_the_home_tab_joins_the_program_again(team: Kindly) -> None:
    start_program(team, channel=CHANNEL)
    prompted_week(team, FIRST_PROMPTS)
    person = PEOPLE[0]
    published = len(team.fake.calls("views.publish"))
    press(team, person, "prompt_opt_out")
    team.fake.wait_for("views.publish", count=published + 1)  # the Home tab now offers prompts again
    with team.runtime.services.sessions.begin() as session:
        assert session.scalars(select(Schedule).where(Schedule.user_id == person.user_id)).first() is None
    team.slack.block_action("team_prompts_toggle", who=person)
    team.fake.wait_for("views.publish", count=published + 2)
    before = len(prompts_to(team))
    team.dispatch(SECOND_PROMPTS)
    assert person.user_id in prompts_to(team)[before:]


def every_programs_insights(team: Kindly) -> list[dict[str, Any]]:
    hub = open_team(team)
    values = [found["value"] for found in buttons(hub) if found["action_id"] == "program_insights"]
    return [insights_of(team, hub, value) for value in values]


def insights_of(team: Kindly, hub: dict[str, Any], value: str) -> dict[str, Any]:
    return view_after(
        team,
        "views.push",
        lambda: team.slack.block_action("program_insights", value=value, view=hub, who=HANNA),
    )


def test_two_programs_that_differ_by_one_person_do_not_tell_what_that_person_received(team: Kindly) -> None:
    victim, others = PEOPLE[0], PEOPLE[1:]
    team.fake.set_channel_members("C0COPY", [person.user_id for person in others])
    start_program(team, channel=CHANNEL)
    start_program(team, channel="C0COPY")  # the HR lead's copy of the channel, without the victim
    team.clock.set(FIRST_PROMPTS)
    for recipient in PEOPLE[:5]:  # no shout-out channel: each goes to its recipient alone, in private
        assert send(team, who=PEOPLE[11], to=recipient.user_id)["response_action"] == "update"
    assert send(team, who=PEOPLE[10], to=PEOPLE[5].user_id)["response_action"] == "update"
    team.idle()

    team.clock.set(FIRST_WEEK_CLOSED)
    with_victim, without_victim = (week_row(view, "2027-01-04") for view in every_programs_insights(team))
    assert "People in the program: 12" in with_victim and "People in the program: 11" in without_victim
    shown = [
        row.split("Shout-outs posted in the shout-out channel: ")[1].split("\n")[0]
        for row in (with_victim, without_victim)
    ]
    assert shown[0] == shown[1] or "not shown" in shown, f"{victim.name} received {shown}: the difference"


def test_forget_me_leaves_no_reaction_that_the_master_key_holder_could_recompute(team: Kindly) -> None:
    victim, other = PEOPLE[0], PEOPLE[1]
    start_program(team, channel=CHANNEL)
    prompted_week(team, FIRST_PROMPTS)
    for person in (victim, other):
        press(team, person, "prompt_helped")
        press(team, person, "kind_moment_open")
    team.idle()
    secret = derive_secret(team.runtime.settings, "kindly shout-out quota")  # what the key holder can do

    def stored_keys() -> set[str]:
        with team.runtime.services.sessions.begin() as session:
            return set(session.scalars(select(PromptFeedback.key)))

    def keys_of(person: Person) -> set[str]:
        with team.runtime.services.sessions.begin() as session:
            program_id = session.scalars(select(TeamProgram.id)).one()
        week = FIRST_PROMPTS.date()
        return {
            reaction_key(secret, kind=kind, program_id=program_id, user_id=person.user_id, week=week)
            for kind in KINDS
        }

    assert keys_of(victim) | keys_of(other) <= stored_keys()
    forget(team, victim)
    team.idle()
    assert keys_of(other) <= stored_keys()  # the week is still open: the others' reactions wait for it
    assert keys_of(victim) & stored_keys() == set()
