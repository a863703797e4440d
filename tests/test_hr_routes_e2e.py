"""Every HR route refuses everyone else the same way, and the list of HR routes is read from the tables.

A route marked `hr` in a listener table (listeners/routes.py) is checked by the one HR-lead check; this
suite sends each of them, signed, over real HTTP, as a member who is not an HR lead, so a route added to
a table as an HR route is covered without touching this file.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from slackapp.listeners import TABLES
from slackapp.listeners.routes import HrOnly, Kind, Over, Route
from slackapp.rendering.shoutouts import notice
from slackapp.store.audit import audit_entries
from slackapp.store.models import HrLead, TeamProgram
from tests.conftest import Kindly
from tests.support.journeys import view_after
from tests.support.programs import HANNA, open_team, start_program
from tests.support.slack_requests import Person, Reply
from tests.support.views import all_text, fill

ALICE = Person("U0ALICE", "T0001", "alice")  # a member, not an HR lead
TEAM = "C0TEAM"
HUB = {"id": "V0TEAM", "type": "modal", "callback_id": "team_hub", "hash": "1.team", "blocks": []}
SHOUTOUT_POST = {"type": "message", "ts": "1700000000.000100", "bot_id": "B0BOT0001", "blocks": []}
HR_ROUTES = [(kind, route) for kind, routes in TABLES for route in routes if route.hr is not None]
# The HR routes Kindly has today: a table may gain some, never silently lose one.
KNOWN_HR_ROUTES = {
    (Kind.COMMAND, "team"),
    (Kind.ACTION, "team_open"),
    (Kind.ACTION, "shoutout_settings_open"),
    (Kind.ACTION, "support_settings_open"),
    (Kind.ACTION, "program_new"),
    (Kind.ACTION, "program_toggle"),
    (Kind.ACTION, "program_delete"),
    (Kind.ACTION, "program_insights"),
    (Kind.ACTION, "hr_lead_add"),
    (Kind.ACTION, "hr_lead_remove"),
    (Kind.VIEW, "shoutout_settings"),
    (Kind.VIEW, "remove_shoutout"),
    (Kind.VIEW, "program_create"),
    (Kind.VIEW, "support_settings"),
    (Kind.SHORTCUT, "remove_shoutout"),
}


@pytest.fixture
def team(kindly: Kindly) -> Kindly:
    """A workspace whose admin (Hanna) runs a team program; Alice is one of its members."""
    kindly.fake.set_user(HANNA.user_id, tz="Asia/Tokyo", is_admin=True)
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    kindly.fake.set_channel_members(TEAM, [ALICE.user_id])
    assert start_program(kindly, channel=TEAM)["response_action"] == "update"
    return kindly


def refusal_of(kindly: Kindly) -> str:
    return str(notice(kindly.runtime.services.renderer, "not_hr")["text"])


def program_id(kindly: Kindly) -> str:
    with kindly.runtime.services.sessions.begin() as session:
        return str(session.scalars(select(TeamProgram.id)).one())


def answer_to_non_lead(kindly: Kindly, kind: Kind, route: Route, hr: HrOnly) -> str:
    """Send the route's request as Alice; the text of what she was shown."""
    slack = kindly.slack
    if kind is Kind.COMMAND:
        return _through_response_url(kindly, lambda: slack.command(route.key, who=ALICE))
    if kind is Kind.ACTION:
        value = program_id(kindly) if hr.over is Over.PROGRAM else None
        return all_text(
            view_after(
                kindly,
                "views.push",
                lambda: slack.block_action(route.key, value=value, view=HUB, who=ALICE),
            )
        )
    if kind is Kind.VIEW:
        crafted = {"type": "modal", "callback_id": route.key, "state": {"values": {}}}
        reply = slack.view_submission(crafted, who=ALICE).json()
        assert reply["response_action"] == "errors", route.key
        assert list(reply["errors"]) == [hr.errors_on], route.key
        return all_text(reply["errors"])
    if kind is Kind.SHORTCUT:
        return _through_response_url(
            kindly,
            lambda: slack.message_shortcut(route.key, message=SHOUTOUT_POST, channel="C0SHOUTS", who=ALICE),
        )
    raise AssertionError(f"no request of kind {kind} to send for the HR route {route.key}: add one here")


def _through_response_url(kindly: Kindly, send: Any) -> str:
    count = len(kindly.fake.calls("response_url")) + 1
    reply: Reply = send()
    assert reply.status == 200
    answer = kindly.fake.wait_for("response_url", count=count)[count - 1]
    assert answer.params.get("response_type") == "ephemeral"
    return all_text(answer.params)


def test_the_tables_mark_every_known_hr_route() -> None:
    assert {(kind, route.key) for kind, route in HR_ROUTES} >= KNOWN_HR_ROUTES


def test_a_member_gets_the_same_refusal_from_every_hr_route_and_nothing_changes(team: Kindly) -> None:
    team.idle()
    with team.runtime.services.sessions.begin() as session:
        audited = len(audit_entries(session, team_id="T0001"))
    refusal = refusal_of(team)
    for kind, route in HR_ROUTES:
        assert route.hr is not None
        assert refusal in answer_to_non_lead(team, kind, route, route.hr), (kind, route.key)
    team.idle()
    with team.runtime.services.sessions.begin() as session:
        assert session.scalars(select(TeamProgram.status)).one() == "active"
        assert session.scalars(select(HrLead)).all() == []
        assert len(audit_entries(session, team_id="T0001")) == audited


def test_creating_a_program_asks_slack_for_the_leads_profile_once_before_the_ack(kindly: Kindly) -> None:
    """The role check and the form's "today" (in the lead's zone, which Kindly does not know yet) share
    one users.info answer."""
    kindly.fake.set_user(HANNA.user_id, tz="Asia/Tokyo", is_admin=True)
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    kindly.fake.set_channel_members(TEAM, [ALICE.user_id])
    hub = open_team(kindly)
    form = view_after(
        kindly, "views.push", lambda: kindly.slack.block_action("program_new", view=hub, who=HANNA)
    )
    answers = {"name": "Weekly", "weekday": "0", "time": "10:00", "start": "2027-01-04", "themes": ["rest"]}
    submitted = fill(form, answers)
    submitted["state"]["values"]["channel"] = {
        "choice": {"type": "conversations_select", "selected_conversation": TEAM}
    }

    def profiles_of_hanna() -> int:
        return sum(1 for call in kindly.fake.calls("users.info") if call.params.get("user") == HANNA.user_id)

    before = profiles_of_hanna()
    kindly.fake.hold("conversations.members")  # the enrolment after the ack waits here
    try:
        assert kindly.slack.view_submission(submitted, who=HANNA).json()["response_action"] == "update"
        kindly.fake.wait_until_held("conversations.members")
        assert profiles_of_hanna() - before == 1
    finally:
        kindly.fake.release("conversations.members")
    kindly.idle()
