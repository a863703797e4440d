"""Multi-workspace distribution: OAuth installs into our database, strict scoping, uninstall wipes one."""

from __future__ import annotations

from datetime import UTC, datetime, time
from functools import partial

from sqlalchemy import func, select

from slackapp.actor import Actor
from slackapp.scheduling.occurrences import EVERY_DAY
from slackapp.scheduling.reminders import save_reminder
from slackapp.store.models import Reflection
from tests.conftest import SIGNING_SECRET, Kindly
from tests.support.journeys import open_journal, take_kind_moment, view_after
from tests.support.oauth import install, installations
from tests.support.slack_requests import Person
from tests.support.views import all_text, button

ANNA = Person("U0ANNA", "T0AAA", "anna")  # workspace A
BORIS = Person("U0BORIS", "T0BBB", "boris")  # workspace B
ANNA_IN_B = Person("U0ANNA", "T0BBB", "anna")  # the same user id, forged into the other workspace


def test_two_workspaces_install_and_stay_apart_and_uninstalling_one_wipes_only_it(
    distributed: Kindly,
) -> None:
    kindly = distributed
    for team in ("T0AAA", "T0BBB"):
        install(kindly, team)
    assert installations(kindly) == {"T0AAA", "T0BBB"}
    assert [c.params.get("code") for c in kindly.fake.calls("oauth.v2.access")] == [
        "T0AAA:granted",
        "T0BBB:granted",
    ]

    take_kind_moment(kindly, text="anna's private words", who=ANNA)
    take_kind_moment(kindly, text="boris's private words", who=BORIS)
    anna_entry = button(open_journal(kindly, ANNA), "journal_entry_open")["value"]
    for stranger in (BORIS, ANNA_IN_B):
        shown = view_after(
            kindly,
            "views.open",
            partial(kindly.slack.block_action, "journal_entry_open", value=anna_entry, who=stranger),
        )
        assert "anna's private words" not in all_text(shown)

    # Each workspace's calls use its own installation's bot token.
    opened = [c for c in kindly.fake.calls("views.open") if c.ok]
    assert any("T0AAA" in c.params["token"] for c in opened) and any(
        "T0BBB" in c.params["token"] for c in opened
    )

    uninstalled = {"type": "app_uninstalled", "event_ts": "1.1"}
    assert kindly.slack.event(uninstalled, who=ANNA).status == 200
    kindly.settle()
    assert installations(kindly) == {"T0BBB"}
    with kindly.runtime.services.sessions.begin() as session:
        teams = set(session.scalars(select(Reflection.team_id)))
        assert teams == {"T0BBB"}
        assert session.scalar(select(func.count()).select_from(Reflection)) == 1


def test_the_dispatcher_sends_with_each_workspaces_own_token(distributed: Kindly) -> None:
    kindly = distributed
    install(kindly, "T0BBB")
    services = kindly.runtime.services
    start = datetime(2027, 1, 4, 0, tzinfo=UTC)
    with services.sessions.begin() as session:
        save_reminder(
            session, Actor("T0BBB", "U0BORIS"), weekdays=EVERY_DAY, at=time(9), paused_until=None, now=start
        )
    assert kindly.dispatch(datetime(2027, 1, 4, 9, tzinfo=UTC)).sent == 1
    (sent,) = kindly.fake.calls("chat.postMessage")
    assert sent.params["token"].startswith("xoxb-T0BBB-")


def test_a_request_from_a_workspace_that_never_installed_is_refused(distributed: Kindly) -> None:
    reply = distributed.slack.command("", who=Person("U0EVE", "T0EVIL", "eve"))
    assert distributed.fake.calls("views.open") == []
    assert reply.status in {200, 401}
    assert SIGNING_SECRET not in reply.body.decode()


def test_slack_is_asked_about_a_token_once_not_before_every_request(distributed: Kindly) -> None:
    kindly = distributed
    install(kindly, ANNA.team_id)
    before = len(kindly.fake.calls("auth.test"))
    take_kind_moment(kindly, text="first", who=ANNA)
    take_kind_moment(kindly, text="second", who=ANNA)
    open_journal(kindly, ANNA)
    assert len(kindly.fake.calls("auth.test")) - before <= 1  # six requests, one auth.test at most
