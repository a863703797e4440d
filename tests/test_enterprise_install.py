"""Enterprise Grid: an org-wide install serves everyone in the org's workspaces, apart from other installs.

Payloads are shaped as Slack sends them to an org-wide app: the org's enterprise id beside the person's
workspace id, `is_enterprise_install: true`, and in events an `authorizations` entry with the org's id and
no team id. Kindly keeps an org-wide install's data under the org's id (one person, one user id across
the org's workspaces), and its uninstall removes exactly that.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest
from sqlalchemy import select

from slackapp.store.models import DataKey, Member, Reflection, Schedule
from tests.conftest import Kindly
from tests.support.journeys import open_journal, save_reminder, take_kind_moment, view_after
from tests.support.oauth import install, installations
from tests.support.slack_requests import Person
from tests.support.views import all_text, buttons

ORG = "E0ORG"
ANNA = Person("W0ANNA", "T0NORTH", "anna", enterprise_id=ORG, org_wide=True)  # a workspace of the org
BORIS = Person("W0BORIS", "T0SOUTH", "boris", enterprise_id=ORG, org_wide=True)  # another one of it
CARLA = Person("U0CARLA", "T0PLAIN", "carla")  # a workspace outside any org, with its own install
DANA = Person("W0DANA", "T0GRID", "dana", enterprise_id=ORG)  # a workspace of the org installed on its own

SUNDAY_NOON = datetime(2027, 1, 3, 12, tzinfo=UTC)
MONDAY_NINE_BERLIN = datetime(2027, 1, 4, 8, tzinfo=UTC)


@pytest.fixture
def org_and_plain(distributed: Kindly) -> Iterator[Kindly]:
    """The org installed org-wide, and a plain workspace installed beside it."""
    install(distributed, ORG)
    install(distributed, CARLA.team_id)
    for person in (ANNA, BORIS, CARLA, DANA):
        distributed.fake.set_user(person.user_id, tz="Europe/Berlin")
    distributed.clock.set(SUNDAY_NOON)
    yield distributed


def journal_entries(view: dict[str, Any]) -> list[str]:
    return [b["value"] for b in buttons(view) if b["action_id"] == "journal_entry_open"]


def reminders_sent(kindly: Kindly) -> dict[str, str]:
    """Whom the dispatcher reminded, and with which bot token."""
    return {
        call.params["channel"]: call.params["token"]
        for call in kindly.fake.calls("chat.postMessage")
        if call.ok
    }


PERSONAL_DATA = (DataKey, Member, Reflection, Schedule)


def scopes_holding(kindly: Kindly) -> dict[str, set[str]]:
    """The data scopes (team ids) that have rows, per table of personal data."""
    with kindly.runtime.services.sessions.begin() as session:
        return {model.__tablename__: set(session.scalars(select(model.team_id))) for model in PERSONAL_DATA}


def in_every_table(*scopes: str) -> dict[str, set[str]]:
    return {model.__tablename__: set(scopes) for model in PERSONAL_DATA}


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


UNINSTALLED = {"type": "app_uninstalled", "event_ts": "1614847360.124850"}
BOT_REVOKED = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT0001"]}, "event_ts": "1.2"}


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
