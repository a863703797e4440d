"""Uninstall grace period: tokens go at once, the data waits (sending nothing) for a reinstall, then goes.

KINDLY_UNINSTALL_GRACE_DAYS=30 here (the `distributed_with_grace` fixture); the default of deleting at
once is covered by test_oauth_e2e.py and test_enterprise_install.py. Everything goes through signed
requests, the real OAuth flow against FakeSlack, dispatcher ticks and the housekeeping job.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from slackapp.jobs import housekeeping
from slackapp.store.models import Schedule
from tests.conftest import UNINSTALL_GRACE, Kindly
from tests.support.journeys import save_reminder, take_kind_moment
from tests.support.oauth import (
    BOT_REVOKED,
    UNINSTALLED,
    in_every_table,
    install,
    installations,
    pending_wipes,
    posted_to_at,
    scopes_holding,
    stored_tokens,
    uninstall,
)
from tests.support.shoutouts import ALICE, BOB, CHANNEL, HANNA, choose_channel, send
from tests.support.slack_requests import Person

ANNA = Person("U0ANNA", "T0AAA", "anna")  # workspace A, which uninstalls
AMIR = Person("U0AMIR", "T0AAA", "amir")  # also in A; Slack refuses to reach him (account_inactive)
BORIS = Person("U0BORIS", "T0BBB", "boris")  # workspace B, which stays

SUNDAY_NOON = datetime(2027, 1, 3, 12, tzinfo=UTC)
UNINSTALLED_AT = datetime(2027, 1, 3, 13, tzinfo=UTC)


@pytest.fixture
def two_workspaces(distributed_with_grace: Kindly) -> Kindly:
    """A and B installed; ANNA and BORIS each took a kind moment and want reminders at nine on weekdays."""
    kindly = distributed_with_grace
    for team in (ANNA.team_id, BORIS.team_id):
        install(kindly, team)
    for person in (ANNA, AMIR, BORIS):
        kindly.fake.set_user(person.user_id, tz="Europe/Berlin")
    kindly.clock.set(SUNDAY_NOON)
    for person in (ANNA, BORIS):
        take_kind_moment(kindly, text=f"{person.name}'s private words", who=person)
        assert save_reminder(kindly, who=person)["response_action"] == "update"
    return kindly


def nine_berlin(day: int) -> datetime:
    """09:00 on that day of January 2027 in Berlin, where everyone is (Monday is the 4th)."""
    return datetime(2027, 1, day, 8, tzinfo=UTC)


def housekeeping_as_of(kindly: Kindly, moment: datetime) -> None:
    """The housekeeping job (`kindly purge` runs the same) as of `moment`."""
    kindly.clock.set(moment)
    housekeeping(kindly.runtime.services)


def stopped_reasons(kindly: Kindly, team_id: str) -> dict[str, str | None]:
    with kindly.runtime.services.sessions.begin() as session:
        schedules = session.scalars(select(Schedule).where(Schedule.team_id == team_id))
        return {schedule.user_id: schedule.stopped_reason for schedule in schedules}


@pytest.mark.parametrize(
    "events",
    [[UNINSTALLED], [BOT_REVOKED], [BOT_REVOKED, UNINSTALLED]],
    ids=["app_uninstalled", "tokens_revoked", "both-as-slack-sends-them"],
)
def test_uninstalling_deletes_the_tokens_at_once_and_the_data_only_after_the_grace_period(
    two_workspaces: Kindly, events: list[dict[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    kindly = two_workspaces
    caplog.set_level(logging.INFO, logger="slackapp")
    tokens_of_a = {token for token in stored_tokens(kindly) if token.startswith(f"xoxb-{ANNA.team_id}-")}
    assert tokens_of_a

    kindly.clock.set(UNINSTALLED_AT)
    uninstall(kindly, ANNA, events)

    assert installations(kindly) == {BORIS.team_id}
    assert not tokens_of_a & stored_tokens(kindly)
    assert scopes_holding(kindly) == in_every_table(ANNA.team_id, BORIS.team_id)
    assert pending_wipes(kindly) == {ANNA.team_id: UNINSTALLED_AT + UNINSTALL_GRACE}
    assert stopped_reasons(kindly, ANNA.team_id) == {ANNA.user_id: "uninstalled"}
    assert stopped_reasons(kindly, BORIS.team_id) == {BORIS.user_id: None}

    # Nothing at all reaches Slack for the uninstalled workspace; the other one gets its reminders.
    seen = len(kindly.fake.calls())
    assert posted_to_at(kindly, nine_berlin(4)) == [BORIS.user_id]
    assert posted_to_at(kindly, nine_berlin(5)) == [BORIS.user_id]
    assert all(
        call.params["token"].startswith(f"xoxb-{BORIS.team_id}-") for call in kindly.fake.calls()[seen:]
    )

    housekeeping_as_of(kindly, UNINSTALLED_AT + timedelta(days=29))
    assert scopes_holding(kindly) == in_every_table(ANNA.team_id, BORIS.team_id)
    assert pending_wipes(kindly).keys() == {ANNA.team_id}

    housekeeping_as_of(kindly, UNINSTALLED_AT + timedelta(days=31))
    assert scopes_holding(kindly) == in_every_table(BORIS.team_id)
    assert pending_wipes(kindly) == {}
    assert stopped_reasons(kindly, BORIS.team_id) == {BORIS.user_id: None}
    assert "the data of 1 uninstalled workspaces whose grace period ended" in caplog.text
    assert "private words" not in caplog.text


def test_reinstalling_within_the_grace_period_keeps_the_data_and_restarts_the_reminders(
    two_workspaces: Kindly,
) -> None:
    kindly = two_workspaces
    # AMIR wants his reminder on Saturdays; Slack refuses the first one: it stops for a reason of its own.
    assert save_reminder(kindly, days=("5",), who=AMIR)["response_action"] == "update"
    assert posted_to_at(kindly, nine_berlin(4)) == [ANNA.user_id, BORIS.user_id]
    kindly.fake.fail("chat.postMessage", "account_inactive")
    assert kindly.dispatch(nine_berlin(9)).failed == {"account_inactive": 1}

    uninstalled_at = nine_berlin(9) + timedelta(hours=4)
    kindly.clock.set(uninstalled_at)
    uninstall(kindly, ANNA)
    assert stopped_reasons(kindly, ANNA.team_id) == {
        ANNA.user_id: "uninstalled",
        AMIR.user_id: "account_inactive",
    }
    assert posted_to_at(kindly, nine_berlin(11)) == [BORIS.user_id]

    kindly.clock.set(nine_berlin(11) + timedelta(hours=4))
    install(kindly, ANNA.team_id)
    assert installations(kindly) == {ANNA.team_id, BORIS.team_id}
    assert pending_wipes(kindly) == {}
    assert stopped_reasons(kindly, ANNA.team_id) == {ANNA.user_id: None, AMIR.user_id: "account_inactive"}

    # At its next time ANNA's reminder is sent again, with the new installation's token.
    assert posted_to_at(kindly, nine_berlin(12)) == [ANNA.user_id, BORIS.user_id]
    (again,) = [c for c in kindly.fake.calls("chat.postMessage") if c.params["channel"] == ANNA.user_id][-1:]
    assert again.params["token"].startswith(f"xoxb-{ANNA.team_id}-")
    assert again.params["token"] in stored_tokens(kindly)

    housekeeping_as_of(kindly, uninstalled_at + timedelta(days=31))
    assert scopes_holding(kindly) == in_every_table(ANNA.team_id, BORIS.team_id)


def test_a_scope_that_is_installed_again_is_never_wiped_even_if_its_wipe_was_left_pending(
    two_workspaces: Kindly,
) -> None:
    kindly = two_workspaces
    kindly.clock.set(UNINSTALLED_AT)
    uninstall(kindly, ANNA)
    # The reinstall saved its installation, but its clean-up never ran (the process died in between).
    with kindly.runtime.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO slack_bots (client_id, app_id, team_id, bot_token, bot_id, bot_user_id,"
                " is_enterprise_install, installed_at)"
                " SELECT client_id, app_id, :team, 'xoxb-T0AAA-again', bot_id, bot_user_id,"
                " is_enterprise_install, installed_at FROM slack_bots WHERE team_id = :other",
            ),
            {"team": ANNA.team_id, "other": BORIS.team_id},
        )
    assert pending_wipes(kindly).keys() == {ANNA.team_id}

    housekeeping_as_of(kindly, UNINSTALLED_AT + timedelta(days=31))

    assert scopes_holding(kindly) == in_every_table(ANNA.team_id, BORIS.team_id)
    assert pending_wipes(kindly) == {}
    assert stopped_reasons(kindly, ANNA.team_id) == {ANNA.user_id: None}


def test_an_uninstalled_workspace_gets_no_shoutout_digest_until_it_reinstalls(
    distributed_with_grace: Kindly,
) -> None:
    kindly = distributed_with_grace
    install(kindly, HANNA.team_id)
    for person in (ALICE, BOB, HANNA):
        kindly.fake.set_user(person.user_id, tz="Europe/Berlin", is_admin=person == HANNA)
    kindly.clock.set(nine_berlin(4))
    assert choose_channel(kindly, mode="digest", day="4")["response_action"] == "clear"  # Fridays 15:00
    assert send(kindly)["response_action"] == "update"  # waits for the digest

    uninstall(kindly, HANNA)
    friday_digest = datetime(2027, 1, 8, 14, tzinfo=UTC)
    seen = len(kindly.fake.calls("chat.postMessage"))
    assert kindly.dispatch(friday_digest).digests == 0
    assert len(kindly.fake.calls("chat.postMessage")) == seen

    kindly.clock.set(friday_digest + timedelta(days=1))
    install(kindly, HANNA.team_id)
    assert kindly.dispatch(friday_digest + timedelta(days=7)).digests == 1
    assert [c.params["channel"] for c in kindly.fake.calls("chat.postMessage")[seen:]] == [
        CHANNEL,
        BOB.user_id,
    ]
