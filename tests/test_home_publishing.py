"""Publishing the App Home reads the store once and asks Slack only what the store cannot answer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import event

from slackapp.actor import Actor
from slackapp.flows.home import publish_home
from slackapp.store.hr_leads import add_hr_lead
from slackapp.store.members import get_member
from tests.conftest import BOT_TOKEN, Kindly
from tests.support.journeys import take_kind_moment, view_after
from tests.support.slack_requests import Person
from tests.support.views import all_text

ALICE = Person("U0ALICE", "T0001", "alice")
HANNA = Person("U0HANNA", "T0001", "hanna")


@contextmanager
def transactions_begun(kindly: Kindly) -> Iterator[list[int]]:
    """Counts the database transactions the app's engine begins meanwhile (SQLAlchemy's own event)."""
    begun: list[int] = []

    def count(_connection: Any) -> None:
        begun.append(1)

    kindly.idle()  # nothing left over from earlier requests
    event.listen(kindly.runtime.engine, "begin", count)
    try:
        yield begun
    finally:
        event.remove(kindly.runtime.engine, "begin", count)


def users_info_calls(kindly: Kindly, who: Person) -> int:
    return sum(1 for call in kindly.fake.calls("users.info") if call.params.get("user") == who.user_id)


def publish(kindly: Kindly, who: Person) -> dict[str, Any]:
    client = WebClient(token=BOT_TOKEN, base_url=kindly.fake.api_url)
    published = len(kindly.fake.calls("views.publish"))
    publish_home(kindly.runtime.services, client, Actor(team_id=who.team_id, user_id=who.user_id))
    (call,) = kindly.fake.calls("views.publish")[published:]
    view: dict[str, Any] = call.params["view"]
    return view


def test_publishing_the_home_tab_takes_one_transaction(kindly: Kindly) -> None:
    take_kind_moment(kindly, arrival="depleted", text="a long nap", who=ALICE)
    with transactions_begun(kindly) as begun:
        home = publish(kindly, ALICE)
    assert len(begun) == 1
    assert "Comfort" in all_text(home)  # what it read in that transaction: the recent entry


def test_a_named_hr_leads_home_asks_slack_nothing(kindly: Kindly) -> None:
    services = kindly.runtime.services
    with services.sessions.begin() as session:
        add_hr_lead(session, team_id=HANNA.team_id, user_id=HANNA.user_id, now=services.clock())
    asked = users_info_calls(kindly, HANNA)
    home = publish(kindly, HANNA)
    assert "For HR leads" in all_text(home)
    assert users_info_calls(kindly, HANNA) == asked


def test_an_admins_home_asks_slack_once_for_the_role(kindly: Kindly) -> None:
    kindly.fake.set_user(HANNA.user_id, is_admin=True)
    asked = users_info_calls(kindly, HANNA)
    home = publish(kindly, HANNA)
    assert "For HR leads" in all_text(home)
    assert users_info_calls(kindly, HANNA) == asked + 1


def test_a_newcomer_opening_home_is_looked_up_once(kindly: Kindly) -> None:
    """Their time zone and their role come from the same users.info answer."""
    kindly.fake.set_user(HANNA.user_id, tz="Asia/Tokyo", is_admin=True)
    home = view_after(kindly, "views.publish", lambda: kindly.slack.home_opened(who=HANNA))
    assert "For HR leads" in all_text(home)
    assert users_info_calls(kindly, HANNA) == 1
    with kindly.runtime.services.sessions.begin() as session:
        member = get_member(session, team_id=HANNA.team_id, user_id=HANNA.user_id)
        assert member is not None and member.tz == "Asia/Tokyo"
