"""Kindly learns each person's language from Slack: users.info with include_locale when it first meets
them, and every user_change after. What Slack sends in a malformed shape is ignored, never stored."""

from __future__ import annotations

from typing import Any

import pytest

from slackapp.store.members import get_member
from tests.conftest import TRANSPORTS, Kindly
from tests.support.slack_requests import Person

ROSA = Person(user_id="U0ROSA", name="rosa")


def stored_locale(kindly: Kindly, who: Person) -> str | None:
    with kindly.runtime.services.sessions.begin() as session:
        member = get_member(session, team_id=who.team_id, user_id=who.user_id)
        assert member is not None, "Kindly has not met them"
        return member.locale


def profile_changed(kindly: Kindly, who: Person, **user: Any) -> None:
    changed = {"id": who.user_id, "team_id": who.team_id, "name": who.name, "tz": "Europe/Berlin", **user}
    assert (
        kindly.slack.event({"type": "user_change", "user": changed, "event_ts": "1.0"}, who=who).status == 200
    )
    kindly.idle()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_newcomers_locale_comes_from_users_info_and_follows_their_profile(kindly: Kindly) -> None:
    kindly.fake.set_user(ROSA.user_id, tz="Europe/Berlin", locale="de-DE")
    assert kindly.slack.home_opened(who=ROSA).status == 200
    kindly.idle()

    assert stored_locale(kindly, ROSA) == "de-DE"
    asked = [call for call in kindly.fake.calls("users.info") if call.params.get("user") == ROSA.user_id]
    assert asked and all(call.params.get("include_locale") in ("true", "1", True) for call in asked)

    profile_changed(kindly, ROSA, locale="pt-BR")
    assert stored_locale(kindly, ROSA) == "pt-BR"


@pytest.mark.parametrize(
    "sent", [None, "", {"lang": "fr"}, "x" * 40], ids=["absent", "empty", "object", "long"]
)
def test_a_malformed_locale_in_user_change_keeps_the_one_known(kindly: Kindly, sent: object) -> None:
    kindly.fake.set_user(ROSA.user_id, tz="Europe/Berlin", locale="fr-FR")
    assert kindly.slack.home_opened(who=ROSA).status == 200
    kindly.idle()

    profile_changed(kindly, ROSA, **({} if sent is None else {"locale": sent}))

    assert stored_locale(kindly, ROSA) == "fr-FR"
