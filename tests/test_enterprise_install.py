"""Enterprise Grid: an org-wide install serves everyone in the org's workspaces, apart from other installs.

Payloads are shaped as Slack sends them to an org-wide app: the org's enterprise id beside the person's
workspace id, `is_enterprise_install: true`, and in events an `authorizations` entry with the org's id and
no team id. Kindly keeps an org-wide install's data under the org's id (one person, one user id across
the org's workspaces), and its uninstall removes exactly that.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import select

from fakeslack import FakeSlack
from slackapp.config import Settings
from slackapp.jobs import housekeeping
from slackapp.store.models import TeamProgram
from tests.conftest import UNINSTALL_GRACE, Kindly, running_kindly, settings_with_grace
from tests.support.journeys import open_journal, save_reminder, take_kind_moment, view_after
from tests.support.oauth import (
    BOT_REVOKED,
    UNINSTALLED,
    in_every_table,
    install,
    installations,
    pending_wipes,
    posted_to_at,
    scopes_holding,
    uninstall,
)
from tests.support.slack_requests import Person
from tests.support.views import all_text, buttons, fill

ORG = "E0ORG"
ANNA = Person("W0ANNA", "T0NORTH", "anna", enterprise_id=ORG, org_wide=True)  # a workspace of the org
BORIS = Person("W0BORIS", "T0SOUTH", "boris", enterprise_id=ORG, org_wide=True)  # another one of it
CARLA = Person("U0CARLA", "T0PLAIN", "carla")  # a workspace outside any org, with its own install
DANA = Person("W0DANA", "T0GRID", "dana", enterprise_id=ORG)  # a workspace of the org installed on its own
HANNA = Person("W0HANNA", "T0NORTH", "hanna", enterprise_id=ORG, org_wide=True)  # T0NORTH's admin
OLGA = Person("W0OLGA", "T0SOUTH", "olga", enterprise_id=ORG, org_wide=True)  # an admin of the whole org

SUNDAY_NOON = datetime(2027, 1, 3, 12, tzinfo=UTC)
MONDAY_NINE_BERLIN = datetime(2027, 1, 4, 8, tzinfo=UTC)
# Monday 4 January 2027, 10:00 local in each zone.
TEN_LOCAL = {
    "Asia/Tokyo": datetime(2027, 1, 4, 1, tzinfo=UTC),
    "Europe/Berlin": datetime(2027, 1, 4, 9, tzinfo=UTC),
    "America/New_York": datetime(2027, 1, 4, 15, tzinfo=UTC),
}
NORTH_ZONES = {  # people of HANNA's workspace
    "W0TYO1": "Asia/Tokyo",
    "W0NYC1": "America/New_York",
    "W0BER1": "Europe/Berlin",
    "W0NYC2": "America/New_York",
}


def install_org_and_plain(kindly: Kindly) -> Kindly:
    install(kindly, ORG)
    install(kindly, CARLA.team_id)
    for person in (ANNA, BORIS, CARLA, DANA):
        kindly.fake.set_user(person.user_id, tz="Europe/Berlin")
    kindly.clock.set(SUNDAY_NOON)
    return kindly


@pytest.fixture
def org_and_plain(distributed: Kindly) -> Iterator[Kindly]:
    """The org installed org-wide, and a plain workspace installed beside it."""
    yield install_org_and_plain(distributed)


@pytest.fixture
def org_and_plain_with_grace(distributed_with_grace: Kindly) -> Iterator[Kindly]:
    """The same, with an uninstall grace period (UNINSTALL_GRACE)."""
    yield install_org_and_plain(distributed_with_grace)


def journal_entries(view: dict[str, Any]) -> list[str]:
    return [b["value"] for b in buttons(view) if b["action_id"] == "journal_entry_open"]


def reminders_sent(kindly: Kindly) -> dict[str, str]:
    """Whom the dispatcher reminded, and with which bot token."""
    return {
        call.params["channel"]: call.params["token"]
        for call in kindly.fake.calls("chat.postMessage")
        if call.ok
    }


def test_an_org_wide_install_is_stored_as_the_orgs_with_no_workspace(distributed: Kindly) -> None:
    install(distributed, ORG)
    (exchange,) = distributed.fake.calls("oauth.v2.access")
    assert exchange.answer is not None
    assert exchange.answer["team"] is None and exchange.answer["enterprise"]["id"] == ORG
    assert exchange.answer["is_enterprise_install"] is True
    with distributed.runtime.engine.connect() as connection:
        for table in ("slack_installations", "slack_bots"):
            rows = connection.exec_driver_sql(
                f"SELECT enterprise_id, team_id, is_enterprise_install FROM {table}"  # noqa: S608
            ).all()
            assert [tuple(row) for row in rows] == [(ORG, None, True)]
    assert installations(distributed) == {ORG}


def test_people_in_two_workspaces_of_the_org_each_keep_their_own_journal(org_and_plain: Kindly) -> None:
    kindly = org_and_plain
    served_by = {ANNA: ORG, BORIS: ORG, CARLA: CARLA.team_id}  # the org's bot token, or the workspace's
    for person, installation in served_by.items():
        take_kind_moment(kindly, text=f"{person.name}'s private words", who=person)
        assert kindly.fake.calls("views.open")[-1].params["token"].startswith(f"xoxb-{installation}-")

    journals = {person: journal_entries(open_journal(kindly, person)) for person in (ANNA, BORIS, CARLA)}
    assert all(len(entries) == 1 for entries in journals.values())
    for owner, (entry,) in journals.items():
        for reader in (ANNA, BORIS, CARLA):
            shown = view_after(
                kindly,
                "views.open",
                partial(kindly.slack.block_action, "journal_entry_open", value=entry, who=reader),
            )
            assert (f"{owner.name}'s private words" in all_text(shown)) is (reader == owner)

    # The Home tab, from an event of the org (no team id in its authorization), shows the same journal.
    home = view_after(kindly, "views.publish", lambda: kindly.slack.home_opened(who=ANNA))
    assert journal_entries(home) == journals[ANNA]


def test_a_reminder_in_a_workspace_of_the_org_is_sent_with_the_orgs_token(org_and_plain: Kindly) -> None:
    kindly = org_and_plain
    for person in (ANNA, BORIS, CARLA):
        assert save_reminder(kindly, who=person)["response_action"] == "update"
    assert kindly.dispatch(MONDAY_NINE_BERLIN).sent == 3
    sent = reminders_sent(kindly)
    assert sent.keys() == {ANNA.user_id, BORIS.user_id, CARLA.user_id}
    assert sent[ANNA.user_id].startswith(f"xoxb-{ORG}-") and sent[BORIS.user_id].startswith(f"xoxb-{ORG}-")
    assert sent[CARLA.user_id].startswith(f"xoxb-{CARLA.team_id}-")


# The methods an org-level token must name a workspace for (`team_id`, "required if org token is used").
WORKSPACE_METHODS = ("users.list", "usergroups.list", "usergroups.users.list", "dnd.teamInfo")


def workspaces_named(kindly: Kindly) -> dict[str, set[str | None]]:
    """Per method that needs it, the `team_id`s Kindly named with the org's token (None: left out)."""
    named: dict[str, set[str | None]] = {}
    for method in WORKSPACE_METHODS:
        for call in kindly.fake.calls(method):
            if call.params["token"].startswith(f"xoxb-{ORG}-"):
                assert call.ok, (method, call.answered_error)
                named.setdefault(method, set()).add(call.params.get("team_id"))
    return named


def start_program(
    kindly: Kindly, answers: dict[str, str], *, channel: str | None = None, who: Person = HANNA
) -> None:
    """HANNA (or `who`) starts a Monday 10:00 program from the team settings (a user group is chosen in
    `answers`)."""
    hub = view_after(kindly, "views.open", lambda: kindly.slack.command("team", who=who))
    hub = {**hub, "id": "V0TEAM", "hash": "1.team"}
    modal = view_after(
        kindly, "views.push", lambda: kindly.slack.block_action("program_new", view=hub, who=who)
    )
    submitted = fill(
        modal, {"weekday": "0", "time": "10:00", "start": "2027-01-04", "themes": ["rest"], **answers}
    )
    if channel is not None:
        choice = {"type": "conversations_select", "selected_conversation": channel}
        submitted["state"]["values"]["channel"] = {"choice": choice}
    published = len(kindly.fake.calls("views.publish"))
    assert kindly.slack.view_submission(submitted, who=who).json()["response_action"] == "update"
    kindly.fake.wait_for("views.publish", count=published + 1)  # enrolled, Home refreshed


def prompts_sent(kindly: Kindly) -> list[str]:
    return [
        call.params["channel"]
        for call in kindly.fake.calls("chat.postMessage")
        if call.ok and "prompt_helped" in str(call.params.get("blocks"))
    ]


def test_a_team_program_of_a_workspace_of_the_org_reaches_its_members_at_their_own_ten(
    org_and_plain: Kindly,
) -> None:
    kindly = org_and_plain
    kindly.fake.set_user(HANNA.user_id, tz="Asia/Tokyo", is_admin=True, team_id=HANNA.team_id)
    for user, zone in NORTH_ZONES.items():
        kindly.fake.set_user(user, tz=zone)  # people Kindly has never seen: their zones come from Slack
    kindly.fake.set_usergroup("S0CARE", "care", ["W0TYO1", "W0NYC1"])
    kindly.fake.set_channel_members("C0NORTH", ["W0BER1", "W0NYC2"])
    ten_berlin = TEN_LOCAL["Europe/Berlin"]
    kindly.fake.set_dnd(
        "W0BER1",
        False,
        next_dnd_start_ts=int((ten_berlin - timedelta(hours=9)).timestamp()),
        next_dnd_end_ts=int((ten_berlin + timedelta(minutes=30)).timestamp()),
    )

    start_program(kindly, {"name": "Care circle", "usergroup": "S0CARE"})
    start_program(kindly, {"name": "North team"}, channel="C0NORTH")
    for at, expected in [
        (TEN_LOCAL["Asia/Tokyo"], ["W0TYO1"]),
        (ten_berlin, []),  # W0BER1 is in Do Not Disturb until 10:30
        (ten_berlin + timedelta(minutes=30), ["W0BER1"]),
        (TEN_LOCAL["America/New_York"], ["W0NYC1", "W0NYC2"]),
    ]:
        before = len(prompts_sent(kindly))
        kindly.dispatch(at)
        assert sorted(prompts_sent(kindly)[before:]) == expected, at

    # With the org's one token, every call that needs a workspace named HANNA's, where the audiences are.
    assert workspaces_named(kindly) == {method: {HANNA.team_id} for method in WORKSPACE_METHODS}


def test_do_not_disturb_defers_reminders_in_each_workspace_of_the_org(org_and_plain: Kindly) -> None:
    kindly = org_and_plain
    dnd_end = MONDAY_NINE_BERLIN + timedelta(minutes=45)
    for person in (ANNA, BORIS, CARLA):
        save_reminder(kindly, who=person)
        kindly.fake.set_dnd(
            person.user_id,
            False,
            next_dnd_start_ts=int((MONDAY_NINE_BERLIN - timedelta(hours=8)).timestamp()),
            next_dnd_end_ts=int(dnd_end.timestamp()),
        )
    # An event of the org names no workspace: what a request of ANNA's said is kept.
    assert kindly.slack.user_changed(tz="Europe/Berlin", who=ANNA).status == 200
    kindly.settle()

    assert kindly.dispatch(MONDAY_NINE_BERLIN).deferred == 3
    assert kindly.dispatch(dnd_end - timedelta(minutes=1)).sent == 0
    assert kindly.dispatch(dnd_end).sent == 3
    # The org's token asked each person's own workspace; CARLA's workspace token named none, as before.
    asked = {(c.params["users"], c.params.get("team_id")) for c in kindly.fake.calls("dnd.teamInfo") if c.ok}
    assert asked == {(ANNA.user_id, ANNA.team_id), (BORIS.user_id, BORIS.team_id), (CARLA.user_id, None)}


@pytest.mark.parametrize("event", [UNINSTALLED, BOT_REVOKED], ids=["app_uninstalled", "tokens_revoked"])
@pytest.mark.parametrize(
    "named",
    [ANNA, Person("W0ADMIN", ORG, "admin", enterprise_id=ORG)],
    ids=["naming-a-workspace-of-the-org", "naming-the-org"],
)
def test_uninstalling_the_org_removes_its_tokens_and_data_and_keeps_the_other_install(
    org_and_plain: Kindly, event: dict[str, Any], named: Person
) -> None:
    kindly = org_and_plain
    for person in (ANNA, BORIS, CARLA):
        take_kind_moment(kindly, text="words", who=person)
        save_reminder(kindly, who=person)
    assert scopes_holding(kindly) == in_every_table(ORG, CARLA.team_id)

    # As Slack sends it once the tokens are gone: no `authorizations`, so nothing says "org-wide".
    assert kindly.slack.event(event, who=named, authorized=False).status == 200
    kindly.settle()

    assert installations(kindly) == {CARLA.team_id}
    with kindly.runtime.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT team_id FROM slack_installations").all()
        assert [row[0] for row in rows] == [CARLA.team_id]
    assert scopes_holding(kindly) == in_every_table(CARLA.team_id)
    assert kindly.dispatch(MONDAY_NINE_BERLIN).sent == 1
    assert list(reminders_sent(kindly)) == [CARLA.user_id]


def test_a_workspace_of_an_org_installed_on_its_own_is_served_and_uninstalled_on_its_own(
    org_and_plain: Kindly,
) -> None:
    kindly = org_and_plain
    install(kindly, f"{ORG}/{DANA.team_id}")
    for person in (DANA, ANNA):
        save_reminder(kindly, who=person)
    assert kindly.dispatch(MONDAY_NINE_BERLIN).sent == 2
    assert reminders_sent(kindly)[DANA.user_id].startswith(f"xoxb-{DANA.team_id}-")

    assert kindly.slack.event(UNINSTALLED, who=DANA, authorized=False).status == 200
    kindly.settle()
    assert installations(kindly) == {ORG, CARLA.team_id}
    assert scopes_holding(kindly)["schedules"] == {ORG}


def with_a_north_team_program(kindly: Kindly) -> None:
    """HANNA's Monday 10:00 program for C0NORTH (W0BER1 in Berlin, W0NYC2 in New York)."""
    kindly.fake.set_user(HANNA.user_id, tz="Asia/Tokyo", is_admin=True, team_id=HANNA.team_id)
    for user, zone in NORTH_ZONES.items():
        kindly.fake.set_user(user, tz=zone)
    kindly.fake.set_channel_members("C0NORTH", ["W0BER1", "W0NYC2"])
    start_program(kindly, {"name": "North team"}, channel="C0NORTH")


def test_with_a_grace_period_an_uninstalled_org_gets_nothing_and_a_reinstall_restarts_its_prompts(
    org_and_plain_with_grace: Kindly,
) -> None:
    kindly = org_and_plain_with_grace
    with_a_north_team_program(kindly)
    for person in (ANNA, CARLA):
        take_kind_moment(kindly, text="words", who=person)
        save_reminder(kindly, who=person)
    holding = scopes_holding(kindly)

    # Both events, naming a workspace of the org as Slack may: the org-wide install is the one removed.
    uninstall(kindly, ANNA)
    assert installations(kindly) == {CARLA.team_id}
    assert pending_wipes(kindly) == {ORG: SUNDAY_NOON + UNINSTALL_GRACE}
    assert scopes_holding(kindly) == holding == in_every_table(ORG, CARLA.team_id)

    monday = [MONDAY_NINE_BERLIN, *TEN_LOCAL.values()]
    assert [posted_to_at(kindly, at) for at in monday] == [[CARLA.user_id], [], [], []]

    kindly.clock.set(TEN_LOCAL["America/New_York"] + timedelta(hours=1))  # Monday, after all of those
    install(kindly, ORG)
    assert pending_wipes(kindly) == {}
    assert posted_to_at(kindly, MONDAY_NINE_BERLIN + timedelta(days=1)) == [CARLA.user_id, ANNA.user_id]
    next_monday = [TEN_LOCAL[zone] + timedelta(days=7) for zone in ("Europe/Berlin", "America/New_York")]
    # No tick since Tuesday: the reminders of 09:00 next Monday, inside the grace window, go with it.
    expected = [sorted([CARLA.user_id, ANNA.user_id, "W0BER1"]), ["W0NYC2"]]
    assert [posted_to_at(kindly, at) for at in next_monday] == expected
    assert sorted(prompts_sent(kindly)) == ["W0BER1", "W0NYC2"]  # the prompts, each once, with ORG's token
    prompts = [
        c for c in kindly.fake.calls("chat.postMessage") if c.params["channel"] in ("W0BER1", "W0NYC2")
    ]
    assert all(c.params["token"].startswith(f"xoxb-{ORG}-") for c in prompts)

    kindly.clock.set(SUNDAY_NOON + UNINSTALL_GRACE + timedelta(days=1))
    housekeeping(kindly.runtime.services)
    assert scopes_holding(kindly) == in_every_table(ORG, CARLA.team_id)


def test_with_a_grace_period_an_uninstalled_orgs_data_goes_when_it_ends_and_only_its(
    org_and_plain_with_grace: Kindly,
) -> None:
    kindly = org_and_plain_with_grace
    for person in (ANNA, BORIS, CARLA):
        take_kind_moment(kindly, text="words", who=person)
        save_reminder(kindly, who=person)

    uninstall(kindly, Person("W0ADMIN", ORG, "admin", enterprise_id=ORG))  # events naming the org
    assert pending_wipes(kindly) == {ORG: SUNDAY_NOON + UNINSTALL_GRACE}
    assert posted_to_at(kindly, MONDAY_NINE_BERLIN) == [CARLA.user_id]

    kindly.clock.set(SUNDAY_NOON + UNINSTALL_GRACE - timedelta(days=1))
    housekeeping(kindly.runtime.services)
    assert scopes_holding(kindly) == in_every_table(ORG, CARLA.team_id)
    kindly.clock.set(SUNDAY_NOON + UNINSTALL_GRACE + timedelta(days=1))
    housekeeping(kindly.runtime.services)
    assert scopes_holding(kindly) == in_every_table(CARLA.team_id)
    assert pending_wipes(kindly) == {}


def test_the_second_event_of_an_org_uninstall_holds_nothing_more(
    org_and_plain_with_grace: Kindly, settings: Settings, fake_slack: FakeSlack
) -> None:
    """Slack sends both events, maybe to two replicas: once one removed the org's install, the other finds
    nothing stored for the workspace it names, and holds (or wipes) nothing for it."""
    kindly = org_and_plain_with_grace
    save_reminder(kindly, who=ANNA)
    uninstall(kindly, ANNA, [BOT_REVOKED])
    with contextmanager(running_kindly)(settings_with_grace(settings), fake_slack) as replica:
        uninstall(replica, ANNA, [UNINSTALLED])
    assert pending_wipes(kindly) == {ORG: SUNDAY_NOON + UNINSTALL_GRACE}
    assert scopes_holding(kindly)["schedules"] == {ORG}


def programs_by_name(kindly: Kindly) -> dict[str, TeamProgram]:
    with kindly.runtime.services.sessions.begin() as session:
        return {program.name: program for program in session.scalars(select(TeamProgram))}


def hr_action(kindly: Kindly, action_id: str, *, value: str | None, who: Person) -> str:
    """The text of the view an HR action from the team hub pushed."""
    hub = {"id": "V0TEAM", "type": "modal", "callback_id": "team_hub", "hash": "1.team", "blocks": []}
    pushed = view_after(
        kindly, "views.push", partial(kindly.slack.block_action, action_id, value=value, view=hub, who=who)
    )
    return all_text(pushed)


REFUSED = "only an HR lead"


def test_a_workspace_admin_in_an_org_wide_install_is_an_hr_lead_for_that_workspace_only(
    org_and_plain: Kindly,
) -> None:
    kindly = org_and_plain
    with_a_north_team_program(kindly)  # HANNA, T0NORTH's admin, runs her workspace's program
    kindly.fake.set_user(OLGA.user_id, tz="Europe/Berlin", team_id=OLGA.team_id, org_admin=True)
    kindly.fake.set_channel_members("C0SOUTH", [BORIS.user_id])
    start_program(kindly, {"name": "South team"}, channel="C0SOUTH", who=OLGA)
    programs = programs_by_name(kindly)
    north, south = str(programs["North team"].id), str(programs["South team"].id)

    # Her own workspace's program is hers to lead...
    assert REFUSED not in hr_action(kindly, "program_insights", value=north, who=HANNA)
    # ...nothing of the org's, nor another workspace's.
    for action_id, value in [
        ("program_insights", south),
        ("program_toggle", south),
        ("program_delete", south),
        ("support_settings_open", None),
        ("shoutout_settings_open", None),
        ("hr_lead_remove", OLGA.user_id),
    ]:
        assert REFUSED in hr_action(kindly, action_id, value=value, who=HANNA), action_id
    crafted = {"type": "modal", "callback_id": "support_settings", "state": {"values": {}}}
    assert kindly.slack.view_submission(crafted, who=HANNA).json()["response_action"] == "errors"
    assert {p.name: p.status for p in programs_by_name(kindly).values()} == {
        "North team": "active",
        "South team": "active",
    }
    # Her admin flags are her workspace's: acting from another workspace of the org, she is a member.
    kindly.slack.command("team", who=replace(HANNA, team_id=OLGA.team_id))
    (refusal,) = kindly.fake.wait_for("response_url")
    assert REFUSED in all_text(refusal.params)

    # The org's admin leads the whole org.
    for action_id, value in [("program_insights", north), ("support_settings_open", None)]:
        assert REFUSED not in hr_action(kindly, action_id, value=value, who=OLGA), action_id
