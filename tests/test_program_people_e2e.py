"""Programs reach people, not accounts; enrolling a large channel never locks the database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from slackapp.jobs import housekeeping
from slackapp.store.models import Schedule
from tests.conftest import Kindly
from tests.support.journeys import finish_listeners, take_kind_moment
from tests.support.programs import HANNA, prompts_to, read_insights, start_program
from tests.support.slack_requests import Person
from tests.support.views import all_text

CHANNEL = "C0PADDED"
PEOPLE = [Person(f"U0REAL{number}", "T0001", f"real{number}") for number in range(1, 5)]  # 4 < k = 5
BOT = "U0BOT0001"  # Kindly's own bot user, as the fake Slack describes it
NOT_PEOPLE: dict[str, dict[str, Any]] = {
    "U0HELPERBOT": {"is_bot": True},
    "U0GONE": {"deleted": True},
    "U0GUEST": {"is_restricted": True},
    "U0SINGLE": {"is_restricted": True, "is_ultra_restricted": True},
    "USLACKBOT": {},  # Slack says Slackbot is not a bot
}
FIRST_PROMPTS = datetime(2027, 1, 4, 9, tzinfo=UTC)  # Monday 10:00 in Berlin
FIRST_WEEK_CLOSED = datetime(2027, 1, 12, 1, tzinfo=UTC)


def padded_channel(kindly: Kindly) -> Kindly:
    kindly.fake.set_user(HANNA.user_id, tz="Asia/Tokyo", is_admin=True)
    for person in PEOPLE:
        kindly.fake.set_user(person.user_id, tz="Europe/Berlin")
    for user_id, flags in NOT_PEOPLE.items():
        kindly.fake.set_user(user_id, tz="Europe/Berlin", **flags)
    accounts = [person.user_id for person in PEOPLE] + [*NOT_PEOPLE, BOT]
    kindly.fake.set_channel_members(CHANNEL, accounts)
    kindly.clock.set(datetime(2027, 1, 3, 12, tzinfo=UTC))
    return kindly


def enrolled(kindly: Kindly) -> set[str]:
    with kindly.runtime.services.sessions.begin() as session:
        return set(session.scalars(select(Schedule.user_id).where(Schedule.program_id.is_not(None))))


def dms_to(kindly: Kindly, user_id: str) -> int:
    return sum(1 for call in kindly.fake.calls("chat.postMessage") if call.params.get("channel") == user_id)


def test_a_channel_padded_with_bots_deleted_accounts_and_guests_stays_below_k(kindly: Kindly) -> None:
    team = padded_channel(kindly)
    assert start_program(team, channel=CHANNEL)["response_action"] == "update"
    assert enrolled(team) == {person.user_id for person in PEOPLE}
    for user_id in ("U0NEWBOT", "U0NEWGUEST"):  # accounts joining later are not enrolled or welcomed
        team.fake.set_user(user_id, is_bot=user_id == "U0NEWBOT", is_restricted=user_id == "U0NEWGUEST")
        team.slack.member_joined(channel=CHANNEL, who=Person(user_id, "T0001", "x"))
    team.slack.member_joined(channel=CHANNEL, who=Person(BOT, "T0001", "kindly"))
    team.clock.set(FIRST_PROMPTS)
    team.dispatch(FIRST_PROMPTS)
    assert sorted(prompts_to(team)) == sorted(person.user_id for person in PEOPLE)
    finish_listeners(team)
    for user_id in [*NOT_PEOPLE, BOT, "U0NEWBOT", "U0NEWGUEST"]:
        assert dms_to(team, user_id) == 0, user_id
    assert enrolled(team) == {person.user_id for person in PEOPLE}
    team.clock.set(FIRST_WEEK_CLOSED)
    housekeeping(team.runtime.services)
    shown = all_text(read_insights(team))
    assert "People in the program: fewer than 5" in shown
    assert "People in the program: 4" not in shown and "People in the program: 9" not in shown


def test_an_account_deactivated_later_leaves_the_program(kindly: Kindly) -> None:
    team = padded_channel(kindly)
    start_program(team, channel=CHANNEL)
    gone = PEOPLE[0]
    user = {"id": gone.user_id, "team_id": "T0001", "name": gone.name, "tz": "Europe/Berlin", "deleted": True}
    team.slack.event({"type": "user_change", "user": user, "event_ts": "1.0"}, who=gone)
    finish_listeners(team)
    assert gone.user_id not in enrolled(team)
    team.clock.set(FIRST_PROMPTS)
    team.dispatch(FIRST_PROMPTS)
    assert gone.user_id not in prompts_to(team)


def test_a_reflection_is_saved_while_a_large_channel_is_being_enrolled(kindly: Kindly) -> None:
    crowd = [f"U0M{number:04d}" for number in range(400)]
    for user_id in crowd:
        kindly.fake.set_user(user_id, tz="Europe/Berlin")
    kindly.fake.set_user(HANNA.user_id, tz="Asia/Tokyo", is_admin=True)
    kindly.fake.set_channel_members("C0LARGE", crowd)
    kindly.fake.hold("users.list", after=1)  # paused mid-paging: the second page is not answered yet
    assert start_program(kindly, channel="C0LARGE", wait=False)["response_action"] == "update"
    kindly.fake.wait_until_held("users.list")
    # Saved and closed warmly (take_kind_moment checks it), not refused with "database is locked".
    take_kind_moment(kindly, who=Person("U0WRITER", "T0001", "writer"), text="kept safe")
    published = len(kindly.fake.calls("views.publish"))
    kindly.fake.release("users.list")
    kindly.fake.wait_for("views.publish", count=published + 1, timeout=60)
    with kindly.runtime.services.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Schedule)) == len(crowd)
