"""HR leads and team prompts end to end: roles, delivery at each member's own time, aggregate insights."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import func, select

from slackapp.store.audit import audit_entries
from slackapp.store.models import PromptFeedback, Schedule, TeamProgram, Workspace
from tests.conftest import Kindly
from tests.support.journeys import view_after
from tests.support.programs import HANNA, open_team, prompts_to
from tests.support.programs import start_program as start_team_program
from tests.support.slack_requests import Person
from tests.support.views import all_text, button, fill

ALICE = Person("U0ALICE", "T0001", "alice")
TEAM = "C0TEAM"
ZONES = {
    "Europe/Berlin": ["U0BER1", "U0BER2", "U0BER3"],
    "America/New_York": ["U0NYC1", "U0NYC2"],
    "Asia/Tokyo": ["U0TYO1", "U0TYO2"],
}
MEMBERS = [user for users in ZONES.values() for user in users]
SUNDAY = datetime(2027, 1, 3, 12, tzinfo=UTC)
# Monday 4 January 2027, 10:00 local in each zone.
TEN_LOCAL = {
    "Asia/Tokyo": datetime(2027, 1, 4, 1, tzinfo=UTC),
    "Europe/Berlin": datetime(2027, 1, 4, 9, tzinfo=UTC),
    "America/New_York": datetime(2027, 1, 4, 15, tzinfo=UTC),
}


@pytest.fixture
def team(kindly: Kindly) -> Kindly:
    kindly.fake.set_user(HANNA.user_id, tz="Asia/Tokyo", is_admin=True)
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    for zone, users in ZONES.items():
        for user in users:
            kindly.fake.set_user(user, tz=zone)
    kindly.fake.set_channel_members(TEAM, MEMBERS)
    kindly.clock.set(SUNDAY)
    return kindly


def start_program(kindly: Kindly, *, channel: str = TEAM, who: Person = HANNA) -> dict[str, Any]:
    return start_team_program(kindly, channel=channel, who=who)


def test_a_program_reaches_each_member_at_ten_in_their_own_zone_exactly_once(team: Kindly) -> None:
    assert start_program(team)["response_action"] == "update"
    opted_out = ZONES["Europe/Berlin"][2]
    team.slack.block_action("team_prompts_toggle", who=Person(opted_out, "T0001", "quiet"))
    team.fake.wait_for("views.publish", count=2)
    for zone in ("Asia/Tokyo", "Europe/Berlin", "America/New_York"):
        before = len(prompts_to(team))
        team.dispatch(TEN_LOCAL[zone])
        team.dispatch(TEN_LOCAL[zone])  # a second tick at the same instant sends nothing more
        sent = prompts_to(team)[before:]
        expected = [user for user in ZONES[zone] if user != opted_out]
        assert sorted(sent) == sorted(expected), zone
    assert opted_out not in prompts_to(team)


def test_a_member_who_joins_gets_an_intro_and_then_the_next_prompt(team: Kindly) -> None:
    start_program(team)
    newcomer = Person("U0NEW", "T0001", "newcomer")
    team.fake.set_user(newcomer.user_id, tz="Europe/Berlin")
    team.slack.member_joined(channel=TEAM, who=newcomer)
    intro = next(
        call for call in team.fake.wait_for("chat.postMessage") if call.params["channel"] == newcomer.user_id
    )
    assert "No team prompts for me" in all_text(intro.params)
    team.dispatch(TEN_LOCAL["Europe/Berlin"])
    assert newcomer.user_id in prompts_to(team)
    team.slack.member_left(channel=TEAM, who=newcomer)
    team.settle()
    with team.runtime.services.sessions.begin() as session:
        assert session.scalars(select(Schedule).where(Schedule.user_id == newcomer.user_id)).first() is None


def first_prompt_in_berlin(team: Kindly) -> tuple[Person, dict[str, Any]]:
    """A program started and its first prompt sent: a Berlin member and the prompt message they got."""
    start_program(team)
    team.dispatch(TEN_LOCAL["Europe/Berlin"])
    person = Person(ZONES["Europe/Berlin"][0], "T0001", "b1")
    prompt = next(c for c in team.fake.calls("chat.postMessage") if c.params["channel"] == person.user_id)
    return person, {"type": "message", "ts": "1.1", "blocks": prompt.params["blocks"]}


def test_the_prompt_buttons_count_anonymously_and_opt_out(team: Kindly) -> None:
    person, message = first_prompt_in_berlin(team)
    helped = button(message, "prompt_helped")
    for _ in range(3):  # tapping again the same week counts once
        team.slack.message_action("prompt_helped", message=message, who=person, value=helped["value"])
    thanks = team.fake.wait_for("response_url", count=3)
    assert "counted anonymously" in all_text(thanks[0].params)
    team.slack.message_action("prompt_opt_out", message=message, who=person, value=helped["value"])
    replaced = team.fake.wait_for("response_url", count=4)[3]
    assert replaced.params["replace_original"] is True
    before = len(prompts_to(team))
    team.dispatch(TEN_LOCAL["Europe/Berlin"] + timedelta(weeks=1))
    assert person.user_id not in prompts_to(team)[before:]


def test_this_helped_counts_only_the_programs_own_people(team: Kindly) -> None:
    person, message = first_prompt_in_berlin(team)
    value = button(message, "prompt_helped")["value"]
    team.slack.message_action("prompt_helped", message=message, who=ALICE, value=value)  # not in the channel
    team.slack.message_action("prompt_helped", message=message, who=person, value=value)
    team.fake.wait_for("response_url", count=2)
    with team.runtime.services.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(PromptFeedback)) == 1


def test_non_hr_members_are_refused_every_admin_action_even_when_crafted(team: Kindly) -> None:
    team.slack.command("team", who=ALICE)
    (refusal,) = team.fake.wait_for("response_url")
    assert "only an HR lead" in all_text(refusal.params)
    start_program(team)
    with team.runtime.services.sessions.begin() as session:
        program_id = str(session.scalars(select(TeamProgram.id)).one())
    fake_hub = {"id": "V0TEAM", "type": "modal", "callback_id": "team_hub", "hash": "1.team", "blocks": []}
    for action_id, value in [
        ("program_toggle", program_id),
        ("program_delete", program_id),
        ("program_insights", program_id),
        ("hr_lead_remove", HANNA.user_id),
        ("support_settings_open", None),
        ("program_new", None),
        ("team_open", None),
    ]:
        refused = view_after(
            team,
            "views.push",
            partial(team.slack.block_action, action_id, value=value, view=fake_hub, who=ALICE),
        )
        assert "only an HR lead" in all_text(refused), action_id
    with team.runtime.services.sessions.begin() as session:
        program = session.scalars(select(TeamProgram)).one()
        assert program.status == "active"
    crafted = {"type": "modal", "callback_id": "program_create", "state": {"values": {}}}
    assert team.slack.view_submission(crafted, who=ALICE).json()["response_action"] == "errors"
    crafted_support = {"type": "modal", "callback_id": "support_settings", "state": {"values": {}}}
    assert team.slack.view_submission(crafted_support, who=ALICE).json()["response_action"] == "errors"


def test_every_admin_change_is_audited(team: Kindly) -> None:
    start_program(team)
    hub = open_team(team)
    program = button(hub, "program_toggle")["value"]
    view_after(
        team,
        "views.update",
        lambda: team.slack.block_action("program_toggle", value=program, view=hub, who=HANNA),
    )
    add = {
        "type": "users_select",
        "action_id": "hr_lead_add",
        "block_id": "hr_lead_add",
        "selected_user": ALICE.user_id,
    }
    updates = len(team.fake.calls("views.update"))
    team.slack.post_payload(
        team.slack._interaction(
            "block_actions", HANNA, container={"type": "view", "view_id": "V0TEAM"}, view=hub, actions=[add]
        )
    )
    team.fake.wait_for("views.update", count=updates + 1)
    with team.runtime.services.sessions.begin() as session:
        actions = [(e.actor_id, e.action) for e in audit_entries(session, team_id="T0001")]
    assert (HANNA.user_id, "program_created") in actions
    assert (HANNA.user_id, "program_paused") in actions
    assert (HANNA.user_id, "hr_lead_added") in actions
    # Alice, now named HR lead, may open the team settings.
    assert open_team(team, ALICE)["callback_id"] == "team_hub"


def test_a_five_thousand_member_channel_is_enrolled_after_the_ack_within_the_tier(team: Kindly) -> None:
    big = [f"U{number:05d}" for number in range(5000)]
    for user in big:
        team.fake.set_user(user, tz="Europe/Berlin")
    team.fake.set_channel_members("C0BIG", big, page_size=200)
    team.fake.hold("conversations.members")
    hub = open_team(team)
    modal = view_after(
        team, "views.push", lambda: team.slack.block_action("program_new", view=hub, who=HANNA)
    )
    answers = {"name": "Everyone", "weekday": "0", "time": "10:00", "start": "2027-01-04", "themes": ["rest"]}
    submitted = fill(modal, answers)
    submitted["state"]["values"]["channel"] = {
        "choice": {"type": "conversations_select", "selected_conversation": "C0BIG"}
    }
    # The ack arrives while Slack has not even answered the first page of members.
    assert team.slack.view_submission(submitted, who=HANNA).json()["response_action"] == "update"
    assert [c for c in team.fake.calls("conversations.members") if c.ok] == []
    team.fake.release("conversations.members")
    team.fake.wait_for("views.publish", count=1, timeout=60)
    pages = team.fake.calls("conversations.members")
    assert len(pages) == 25 and all(call.ok for call in pages)
    # Paced under Tier 4 (100+ per minute): 25 pages take at least 9 s of (virtual) time after the burst,
    # then users.list (Tier 2, 20+ per minute) tells people from other accounts, 3 s a page after its burst.
    people_pages = len(team.fake.calls("users.list"))
    assert people_pages >= 25
    assert sum(team.time.sleeps) >= (25 - 10) / (100 / 60) + (people_pages - 3) / (20 / 60) - 0.01
    with team.runtime.services.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Schedule)) == 5000


def test_support_resources_set_by_hr_appear_on_every_reflection_surface(team: Kindly) -> None:
    hub = open_team(team)
    modal = view_after(
        team, "views.push", lambda: team.slack.block_action("support_settings_open", view=hub, who=HANNA)
    )
    submitted = fill(modal, {"support_text": "Our EAP is free: 0800 123 456 <!channel>"})
    values = submitted["state"]["values"]
    values["support_url"] = {"answer": {"type": "url_text_input", "value": "https://eap.example/help"}}
    values["retention_days"] = {"answer": {"type": "number_input", "value": "365"}}
    values["anonymity_k"] = {"choice": {"type": "static_select", "selected_option": {"value": "2"}}}
    assert team.slack.view_submission(submitted, who=HANNA).json()["response_action"] == "clear"
    arrival = view_after(team, "views.open", lambda: team.slack.command("", who=ALICE))
    shown = all_text(arrival)
    assert "Our EAP is free: 0800 123 456 &lt;!channel&gt;" in shown
    assert "<https://eap.example/help|Support resources>" in shown
    assert "not a crisis service" in shown
    with team.runtime.services.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        assert workspace.retention_days == 365 and workspace.anonymity_k == 3  # never below 3


def test_members_of_two_programs_due_in_one_tick_each_get_their_own_programs_prompt(team: Kindly) -> None:
    first, second = ZONES["Europe/Berlin"][:2], ZONES["Europe/Berlin"][2:]
    team.fake.set_channel_members("C0FIRST", first)
    team.fake.set_channel_members("C0SECOND", second)
    start_team_program(team, channel="C0FIRST", name="Kindness circle")
    start_team_program(team, channel="C0SECOND", name="Pause club")

    team.dispatch(TEN_LOCAL["Europe/Berlin"])  # both programs' prompts in one tick

    named = {
        call.params["channel"]: all_text(call.params)
        for call in team.fake.calls("chat.postMessage")
        if call.ok and "prompt_helped" in str(call.params.get("blocks"))
    }
    assert set(named) == set(first + second)
    assert all("Kindness circle" in named[user] and "Pause club" not in named[user] for user in first)
    assert all("Pause club" in named[user] and "Kindness circle" not in named[user] for user in second)
