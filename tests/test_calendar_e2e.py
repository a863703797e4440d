"""A person's own calendar: no reminder on their public holidays, none while their status says they are
away. Through signed requests and `kindly dispatch --now` ticks, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from slackapp.store.models import Member
from tests.conftest import TRANSPORTS, Kindly
from tests.support.journeys import open_remind, save_reminder, view_after
from tests.support.slack_requests import Person
from tests.support.views import all_text, fill

ALICE = Person("U0ALICE", "T0001", "alice")
THURSDAY_24_DECEMBER = datetime(2026, 12, 24, 12, tzinfo=UTC)
CHRISTMAS_NINE_BERLIN = datetime(2026, 12, 25, 8, tzinfo=UTC)  # a Friday
MONDAY_28_NINE_BERLIN = datetime(2026, 12, 28, 8, tzinfo=UTC)
WEEKDAYS = ("0", "1", "2", "3", "4")


@pytest.fixture
def berlin(kindly: Kindly) -> Kindly:
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    kindly.clock.set(THURSDAY_24_DECEMBER)
    return kindly


def dms_to(kindly: Kindly, who: Person = ALICE) -> int:
    return sum(
        1
        for call in kindly.fake.calls("chat.postMessage")
        if call.params.get("channel") == who.user_id and call.answered_error is None
    )


def shows_day(text: str, moment: datetime, words: str) -> bool:
    """The view names this moment: as Slack's date token, or in words."""
    return f"<!date^{int(moment.timestamp())}^" in text or words in text


def save_holidays(kindly: Kindly, *, skip: bool, place: str = "") -> dict[str, Any]:
    view = open_remind(kindly, ALICE)
    answers: dict[str, Any] = {"days": list(WEEKDAYS), "time": "09:00", "holidays": ["skip"] if skip else []}
    answers["holiday_place"] = place
    reply: dict[str, Any] = kindly.slack.view_submission(fill(view, answers), who=ALICE).json()
    return reply


def status_changed(
    kindly: Kindly, *, emoji: str = "", text: str = "", expires: datetime | None = None
) -> None:
    profile = {
        "status_emoji": emoji,
        "status_text": text,
        "status_expiration": int(expires.timestamp()) if expires else 0,
    }
    user = {"id": ALICE.user_id, "team_id": ALICE.team_id, "tz": "Europe/Berlin", "profile": profile}
    assert kindly.slack.event({"type": "user_status_changed", "user": user}, who=ALICE).status == 200
    kindly.idle()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_berlin_weekday_reminder_skips_christmas_and_comes_the_next_working_day(berlin: Kindly) -> None:
    reply = save_reminder(berlin, days=WEEKDAYS)

    # The next reminder shown is Monday the 28th: the 25th is a holiday in Germany, then the weekend.
    assert shows_day(all_text(reply["view"]), MONDAY_28_NINE_BERLIN, "Monday 28 December")
    assert berlin.dispatch(CHRISTMAS_NINE_BERLIN).sent == 0
    assert dms_to(berlin) == 0
    assert berlin.dispatch(MONDAY_28_NINE_BERLIN).sent == 1
    assert dms_to(berlin) == 1


def test_a_person_who_switches_holiday_skipping_off_gets_christmas_reminders(berlin: Kindly) -> None:
    reply = save_holidays(berlin, skip=False)
    assert reply["response_action"] == "update", reply

    assert shows_day(all_text(reply["view"]), CHRISTMAS_NINE_BERLIN, "Friday 25 December")
    assert berlin.dispatch(CHRISTMAS_NINE_BERLIN).sent == 1


def test_a_persons_own_country_wins_over_their_time_zone(berlin: Kindly) -> None:
    """Living in Berlin's zone but keeping Japan's holidays: Christmas is a working day, New Year's not."""
    assert save_holidays(berlin, skip=True, place="jp")["response_action"] == "update"

    assert berlin.dispatch(CHRISTMAS_NINE_BERLIN).sent == 1
    assert berlin.dispatch(datetime(2027, 1, 1, 8, tzinfo=UTC)).sent == 0  # 元日
    reopened = open_remind(berlin, ALICE)
    place = next(block for block in reopened["blocks"] if block.get("block_id") == "holiday_place")
    assert place["element"]["initial_value"] == "JP"


@pytest.mark.parametrize("place", ["XX", "DE-ZZ", "DEU", "<!channel>"])
def test_an_unknown_holiday_place_gets_a_field_error_and_changes_nothing(berlin: Kindly, place: str) -> None:
    reply = save_holidays(berlin, skip=True, place=place)

    assert reply["response_action"] == "errors"
    assert "country code" in reply["errors"]["holiday_place"]
    assert berlin.dispatch(CHRISTMAS_NINE_BERLIN).sent == 0  # nothing saved: no schedule at all


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_an_away_status_holds_reminders_until_it_clears(berlin: Kindly) -> None:
    berlin.clock.set(datetime(2027, 1, 3, 12, tzinfo=UTC))
    save_reminder(berlin, days=WEEKDAYS)
    monday, tuesday = datetime(2027, 1, 4, 8, tzinfo=UTC), datetime(2027, 1, 5, 8, tzinfo=UTC)

    status_changed(berlin, emoji=":palm_tree:", text="Back on Tuesday")  # no expiry: until cleared
    assert berlin.dispatch(monday).sent == 0
    assert berlin.dispatch(monday + timedelta(hours=3)).sent == 0  # past the grace window: skipped
    status_changed(berlin)  # cleared
    assert berlin.dispatch(tuesday).sent == 1
    assert dms_to(berlin) == 1


def test_an_away_status_ending_inside_the_grace_window_sends_the_reminder_when_it_ends(
    berlin: Kindly,
) -> None:
    berlin.clock.set(datetime(2027, 1, 3, 12, tzinfo=UTC))
    save_reminder(berlin, days=WEEKDAYS)
    monday = datetime(2027, 1, 4, 8, tzinfo=UTC)
    back = monday + timedelta(minutes=45)

    status_changed(berlin, text="Out of office", expires=back)
    report = berlin.dispatch(monday)
    assert (report.sent, report.deferred) == (0, 1)
    assert berlin.dispatch(back - timedelta(minutes=1)).sent == 0
    assert berlin.dispatch(back).sent == 1


@pytest.mark.parametrize(
    ("emoji", "text"),
    [
        (":face_with_thermometer:", ""),
        ("", "Im Urlaub bis 4.1."),
        ("", "休暇中です"),
        ("", "En congé 🌴"),
        ("", "de férias"),
    ],
)
def test_away_in_any_shipped_language_holds_the_reminder(berlin: Kindly, emoji: str, text: str) -> None:
    berlin.clock.set(datetime(2027, 1, 3, 12, tzinfo=UTC))
    save_reminder(berlin, days=WEEKDAYS)

    status_changed(berlin, emoji=emoji, text=text)

    assert berlin.dispatch(datetime(2027, 1, 4, 8, tzinfo=UTC)).sent == 0


@pytest.mark.parametrize(
    ("emoji", "text"),
    [
        (":house_with_garden:", "Working remotely"),  # Slack's own preset: at work, from home
        (":house:", "Working from home ☕ 在宅"),
        ("", "Planning the holiday party"),
        (":bento:", "昼休み"),  # lunch break
    ],
)
def test_a_status_that_is_not_away_changes_nothing(berlin: Kindly, emoji: str, text: str) -> None:
    berlin.clock.set(datetime(2027, 1, 3, 12, tzinfo=UTC))
    save_reminder(berlin, days=WEEKDAYS)

    status_changed(berlin, emoji=emoji, text=text)

    assert berlin.dispatch(datetime(2027, 1, 4, 8, tzinfo=UTC)).sent == 1


HANNA = Person("U0HANNA", "T0001", "hanna")  # an HR lead: a workspace admin
NEW_YEAR_NINE_BERLIN = datetime(2027, 1, 1, 8, tzinfo=UTC)  # a holiday in Germany and in Japan


def save_workspace_holidays(kindly: Kindly, country: str) -> dict[str, Any]:
    kindly.fake.set_user(HANNA.user_id, tz="Europe/Berlin", is_admin=True)
    hub = view_after(kindly, "views.open", lambda: kindly.slack.command("team", who=HANNA))
    hub = {**hub, "id": "V0TEAM", "hash": "1.team"}
    form = view_after(
        kindly, "views.push", lambda: kindly.slack.block_action("support_settings_open", view=hub, who=HANNA)
    )
    reply: dict[str, Any] = kindly.slack.view_submission(
        fill(form, {"holiday_country": country}), who=HANNA
    ).json()
    return reply


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_workspace_default_country_decides_for_people_who_chose_none(berlin: Kindly) -> None:
    """An HR lead sets Japan: a Berlin person's Christmas is a working day, and the Home says so."""
    assert save_workspace_holidays(berlin, "jp").get("response_action") in (None, "clear")
    reply = save_reminder(berlin, days=WEEKDAYS)

    assert shows_day(all_text(reply["view"]), CHRISTMAS_NINE_BERLIN, "Friday 25 December")
    assert berlin.dispatch(CHRISTMAS_NINE_BERLIN).sent == 1
    assert berlin.dispatch(NEW_YEAR_NINE_BERLIN).sent == 0


def test_a_persons_own_choice_wins_over_the_workspace_default(berlin: Kindly) -> None:
    save_workspace_holidays(berlin, "JP")
    assert save_holidays(berlin, skip=True, place="DE")["response_action"] == "update"

    assert berlin.dispatch(CHRISTMAS_NINE_BERLIN).sent == 0


@pytest.mark.parametrize("country", ["XX", "DE-BY", "12"])
def test_an_unknown_workspace_country_gets_a_field_error(berlin: Kindly, country: str) -> None:
    reply = save_workspace_holidays(berlin, country)

    assert reply["response_action"] == "errors"
    assert "two-letter country code" in reply["errors"]["holiday_country"]


def test_kindly_keeps_until_when_someone_is_away_never_their_status(berlin: Kindly) -> None:
    berlin.clock.set(datetime(2027, 1, 3, 12, tzinfo=UTC))
    save_reminder(berlin, days=WEEKDAYS)
    private_words = "Im Krankenhaus, Operation am Montag"

    status_changed(berlin, emoji=":face_with_thermometer:", text=private_words)

    with berlin.runtime.services.sessions.begin() as session:
        member = session.scalars(select(Member).where(Member.user_id == ALICE.user_id)).one()
        kept = {column.key: getattr(member, column.key) for column in Member.__table__.columns}
    assert kept["away_until"] is not None
    assert not [
        key for key, value in kept.items() if "Krankenhaus" in str(value) or "thermometer" in str(value)
    ]
