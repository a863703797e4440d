"""The private self-check end to end: signed requests to the real app, answers read back from what reached
the fake Slack and from the database (where they are sealed)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from slackapp.jobs import housekeeping
from slackapp.practices.self_check import ITEMS
from slackapp.store.models import Schedule, SelfCheck, SelfCheckSettings, Workspace
from slackapp.store.schedules import CHECK_IN
from tests.conftest import Kindly
from tests.support.database import raw_database_bytes
from tests.support.journeys import finish_listeners, take_kind_moment, view_after
from tests.support.programs import HANNA, open_team, press, prompt_of, read_insights, start_program
from tests.support.slack_requests import Person
from tests.support.views import all_text, button, fill, text_inputs

ME = Person()
TUESDAY = datetime(2027, 1, 5, 10, tzinfo=UTC)
CHANNEL = "C0CARE"
PEOPLE = [Person(f"U0P{number:02d}", "T0001", f"p{number}") for number in range(1, 13)]


def answers(*values: int) -> dict[str, str]:
    return {item.key: str(value) for item, value in zip(ITEMS, values, strict=True)}


def overview(kindly: Kindly, who: Person = ME) -> dict[str, Any]:
    view = view_after(kindly, "views.open", lambda: kindly.slack.command("check-in", who=who))
    return {**view, "id": "V0CHECKIN", "hash": "1.checkin"}


def open_check(kindly: Kindly, who: Person = ME) -> dict[str, Any]:
    """The Home tab's "Check in now"."""
    return view_after(kindly, "views.open", lambda: kindly.slack.block_action("self_check_start", who=who))


def take_check(kindly: Kindly, *values: int, who: Person = ME) -> dict[str, Any]:
    reply: dict[str, Any] = kindly.slack.view_submission(
        fill(open_check(kindly, who), answers(*values)), who=who
    ).json()
    assert reply["response_action"] == "update", reply
    return reply


def stored(kindly: Kindly, model: Any = SelfCheck) -> int:
    with kindly.runtime.services.sessions.begin() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def week_lines(view: dict[str, Any]) -> list[str]:
    return [line for line in all_text(view).splitlines() if line.startswith("• Week of")]


def turn_on_before_and_after(kindly: Kindly, who: Person = ME) -> dict[str, Any]:
    page = overview(kindly, who)
    return view_after(
        kindly,
        "views.update",
        lambda: kindly.slack.block_action("self_check_before_after", value="on", view=page, who=who),
    )


def test_check_in_shows_the_citation_and_that_it_is_not_a_diagnosis(kindly: Kindly) -> None:
    page = overview(kindly)
    assert page["callback_id"] == "self_check_overview"
    text = all_text(page)
    assert "not a diagnosis" in text
    assert "10.1007/s12671-020-01505-4" in text
    assert "before and after a kind moment:* off" in text  # off by default
    assert "monthly reminder to check in:* off" in text
    check = view_after(kindly, "views.push", lambda: kindly.slack.block_action("self_check_start", view=page))
    assert [b["label"]["text"] for b in check["blocks"] if b["type"] == "input"] == [i.text for i in ITEMS]
    assert "not a diagnosis" in all_text(check)


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ((5, 1, 5, 1, 1, 5), "5.0"),  # every reversed item at 1 counts as 5
        ((1, 5, 1, 5, 5, 1), "1.0"),
        ((1, 1, 1, 1, 1, 1), "3.0"),  # 1+5+1+5+5+1 over 6
        ((4, 2, 3, 5, 1, 2), "3.2"),  # 4+4+3+1+5+2 = 19 over 6
        ((2, 4, 4, 2, 3, 5), "3.3"),  # 2+2+4+4+3+5 = 20 over 6
    ],
)
def test_a_check_is_scored_as_published(kindly: Kindly, values: tuple[int, ...], shown: str) -> None:
    kindly.clock.set(TUESDAY)
    thanked = take_check(kindly, *values)["view"]
    assert "Thank you for checking in." in all_text(thanked)
    (line,) = week_lines(thanked)
    assert "2027-01-04" in line  # the week's Monday, as a Slack date each reader sees in their own format
    assert line.endswith(f">: {shown} (1 check-in)")


@pytest.mark.parametrize(
    ("forge", "problem"),
    [
        ({"sscs_5": None}, "Choose whichever is closest"),  # an item left out
        ({"sscs_2": "7"}, "one of the five answers"),  # out of range
        ({"sscs_4": "0"}, "one of the five answers"),
        ({"sscs_6": "<!channel>"}, "one of the five answers"),  # a forged option
    ],
)
def test_a_bad_answer_keeps_the_check_on_screen_with_a_field_error_and_keeps_nothing(
    kindly: Kindly, forge: dict[str, str | None], problem: str
) -> None:
    check = open_check(kindly)
    submitted = fill(check, answers(3, 3, 3, 3, 3, 3))
    for key, value in forge.items():
        if value is None:
            del submitted["state"]["values"][key]
        else:
            submitted["state"]["values"][key]["choice"]["selected_option"] = {
                "text": {"type": "plain_text", "text": value},
                "value": value,
            }
    reply = kindly.slack.view_submission(submitted).json()
    assert reply["response_action"] == "errors"
    assert list(reply["errors"]) == list(forge)
    assert problem in next(iter(reply["errors"].values()))
    assert stored(kindly) == 0


def test_a_check_opened_and_closed_leaves_nothing_stored(kindly: Kindly) -> None:
    turn_on_before_and_after(kindly)
    open_check(kindly)
    before = view_after(kindly, "views.open", lambda: kindly.slack.command(""))
    assert before["callback_id"] == "self_check"
    finish_listeners(kindly)
    assert stored(kindly) == 0


@pytest.mark.parametrize(
    ("after", "words"),
    [
        ((3, 3, 2, 4, 3, 3), "You're a little kinder to yourself than when you started."),  # 2 -> 16/6
        ((4, 2, 4, 2, 2, 4), "You're kinder to yourself now than when you started."),  # 2 -> 4
        ((2, 4, 2, 4, 4, 2), "about the same as when you started"),  # 2 -> 2
        ((1, 5, 1, 5, 5, 1), "it's okay. Go gently with yourself."),  # 2 -> 1: never a judgement
    ],
)
def test_a_kind_moment_starts_and_ends_with_the_check_and_closes_with_the_change(
    kindly: Kindly, after: tuple[int, ...], words: str
) -> None:
    plain = view_after(kindly, "views.open", lambda: kindly.slack.command(""))
    assert plain["callback_id"] == "kind_moment_arrival", "off by default"
    assert "before and after a kind moment:* on" in all_text(turn_on_before_and_after(kindly))

    before = view_after(kindly, "views.open", lambda: kindly.slack.command(""))
    assert before["callback_id"] == "self_check"
    arrival = kindly.slack.view_submission(fill(before, answers(2, 4, 2, 4, 4, 2))).json()["view"]
    assert arrival["callback_id"] == "kind_moment_arrival"
    practice = kindly.slack.view_submission(fill(arrival, {"arrival": "self_critical"})).json()["view"]
    inputs = text_inputs(practice)
    ending = kindly.slack.view_submission(fill(practice, dict.fromkeys(inputs, "words"))).json()["view"]
    assert ending["callback_id"] == "self_check"
    assert "after your kind moment" in all_text(ending)
    closing = kindly.slack.view_submission(fill(ending, answers(*after))).json()
    assert closing["response_action"] == "update"
    assert words in all_text(closing["view"])
    assert stored(kindly) == 2


def test_the_trend_shows_weekly_means_over_several_weeks_on_check_in_and_home(kindly: Kindly) -> None:
    kindly.fake.set_user(ME.user_id, tz="Europe/Berlin")  # weeks are the person's own
    view_after(kindly, "views.publish", lambda: kindly.slack.home_opened())
    kindly.clock.set(TUESDAY)
    take_check(kindly, 5, 1, 5, 1, 1, 5)  # 5
    kindly.clock.set(TUESDAY + timedelta(days=2))
    take_check(kindly, 3, 3, 3, 3, 3, 3)  # 3: the week of 4 January averages 4
    kindly.clock.set(TUESDAY + timedelta(weeks=2))  # no check in the week of 11 January
    take_check(kindly, 4, 2, 3, 5, 1, 2)  # 19/6
    kindly.clock.set(TUESDAY + timedelta(weeks=4))
    take_check(kindly, 1, 5, 1, 5, 5, 1)  # 1
    finish_listeners(kindly)

    page = overview(kindly)
    lines = week_lines(page)
    assert [line.split(">: ")[1] for line in lines] == [
        "4.0 (2 check-ins)",
        "3.2 (1 check-in)",
        "1.0 (1 check-in)",
    ]
    assert ["2027-01-04" in lines[0], "2027-01-18" in lines[1], "2027-02-01" in lines[2]] == [True] * 3
    chart = next(b["text"]["text"] for b in page["blocks"] if b["type"] == "section" and "█" in str(b))
    assert [row.split("` ")[1].split()[0] for row in chart.splitlines()] == ["4.0", "3.2", "1.0"]
    assert all_text(page).index("Your weekly average") < all_text(page).index("█")  # text first

    home = view_after(kindly, "views.publish", lambda: kindly.slack.home_opened())
    assert week_lines(home) == lines


def test_the_monthly_reminder_comes_on_the_first_monday_and_can_be_stopped_from_itself(
    kindly: Kindly,
) -> None:
    kindly.fake.set_user(ME.user_id, tz="Europe/Berlin")
    kindly.clock.set(datetime(2027, 1, 20, tzinfo=UTC))
    page = overview(kindly)
    on = view_after(
        kindly, "views.update", lambda: kindly.slack.block_action("self_check_monthly", value="on", view=page)
    )
    assert "monthly reminder to check in:* on" in all_text(on)
    kindly.dispatch(datetime(2027, 1, 27, 8, tzinfo=UTC))  # a Wednesday: nothing
    assert not kindly.fake.calls("chat.postMessage")

    kindly.clock.set(datetime(2027, 1, 29, tzinfo=UTC))
    take_kind_moment(kindly)  # a kind moment since does not make a check-in unwelcome
    kindly.dispatch(datetime(2027, 2, 1, 8, 0, 30, tzinfo=UTC))  # the first Monday, 9:00 in Berlin
    (sent,) = kindly.fake.wait_for("chat.postMessage")
    assert sent.params["channel"] == ME.user_id
    assert "monthly check-in" in sent.params["text"]
    message = {
        "type": "message",
        "ts": "1.1",
        "blocks": json.loads(sent.params["blocks"])
        if isinstance(sent.params["blocks"], str)
        else sent.params["blocks"],
    }
    assert button(message, "self_check_start")
    kindly.slack.message_action(
        "self_check_monthly", message=message, value=button(message, "self_check_monthly")["value"]
    )
    (reply,) = kindly.fake.wait_for("response_url")
    assert "no more monthly check-in reminders" in json.dumps(reply.params)
    with kindly.runtime.services.sessions.begin() as session:
        assert session.scalars(select(Schedule).where(Schedule.kind == CHECK_IN)).all() == []
    kindly.dispatch(datetime(2027, 3, 1, 8, 0, 30, tzinfo=UTC))
    assert len(kindly.fake.calls("chat.postMessage")) == 1


def test_the_database_holds_no_answer_in_clear_and_export_and_forget_me_cover_the_checks(
    kindly: Kindly,
) -> None:
    kindly.clock.set(TUESDAY)
    turn_on_before_and_after(kindly)
    take_check(kindly, 4, 2, 3, 5, 1, 2)
    kindly.clock.advance(timedelta(hours=1))
    take_check(kindly, 2, 4, 4, 2, 3, 5)
    finish_listeners(kindly)
    raw = raw_database_bytes(kindly.runtime.engine)
    assert b'"a":[' not in raw and b"[4,2,3,5,1,2]" not in raw and b'"alone"' not in raw

    kindly.slack.command("export")
    kindly.fake.wait_for("files.completeUploadExternal")
    contents = list(kindly.fake.uploads.values())
    exported = json.loads(next(c for c in contents if c.startswith(b"{")))
    assert [(c["answers"], c["score"], c["when"]) for c in exported["self_checks"]] == [
        (answers_as_ints(4, 2, 3, 5, 1, 2), 3.17, "alone"),
        (answers_as_ints(2, 4, 4, 2, 3, 5), 3.33, "alone"),
    ]
    markdown = next(c for c in contents if not c.startswith(b"{")).decode()
    assert "## Self-checks (2)" in markdown and "score 3.17" in markdown

    modal = view_after(kindly, "views.open", lambda: kindly.slack.command("forget-me"))
    assert (
        kindly.slack.view_submission(fill(modal, {"confirm": "forget me"})).json()["response_action"]
        == "update"
    )
    assert stored(kindly) == 0
    assert stored(kindly, SelfCheckSettings) == 0


def answers_as_ints(*values: int) -> dict[str, int]:
    return {item.key: value for item, value in zip(ITEMS, values, strict=True)}


def test_checks_older_than_the_workspaces_retention_are_deleted(kindly: Kindly) -> None:
    kindly.clock.set(TUESDAY)
    take_check(kindly, 3, 3, 3, 3, 3, 3)
    kindly.clock.set(TUESDAY + timedelta(days=20))
    take_check(kindly, 4, 4, 4, 4, 4, 4)
    finish_listeners(kindly)
    with kindly.runtime.services.sessions.begin() as session:
        session.add(Workspace(team_id=ME.team_id, retention_days=30, updated_at=TUESDAY))
    kindly.clock.set(TUESDAY + timedelta(days=31))
    housekeeping(kindly.runtime.services)
    assert stored(kindly) == 1
    assert week_lines(overview(kindly)) and len(week_lines(overview(kindly))) == 1


def test_hr_views_are_unchanged_by_any_check(kindly: Kindly) -> None:
    """An HR lead's team page and a program's insights read the same before and after people check in,
    alone and around a kind moment opened from the team prompt."""
    kindly.fake.set_user(HANNA.user_id, tz="Asia/Tokyo", is_admin=True)
    for person in PEOPLE:
        kindly.fake.set_user(person.user_id, tz="Europe/Berlin")
    kindly.fake.set_channel_members(CHANNEL, [person.user_id for person in PEOPLE])
    kindly.clock.set(datetime(2027, 1, 3, 12, tzinfo=UTC))
    start_program(kindly, channel=CHANNEL)
    first_prompts = datetime(2027, 1, 4, 9, tzinfo=UTC)
    kindly.clock.set(first_prompts)
    kindly.dispatch(first_prompts)
    for person in PEOPLE[:6]:
        press(kindly, person, "kind_moment_open")
    second_prompts = first_prompts + timedelta(weeks=1)
    kindly.clock.set(second_prompts)
    kindly.dispatch(second_prompts)
    kindly.clock.set(datetime(2027, 1, 12, 1, tzinfo=UTC))  # the first week has closed
    finish_listeners(kindly)
    team_before, insights_before = open_team(kindly), read_insights(kindly)
    assert "Took a kind moment from the prompt: 6" in all_text(insights_before)

    for number, person in enumerate(PEOPLE):
        take_check(kindly, 1 + number % 5, 5, 3, 1, 2, 4, who=person)
    turn_on_before_and_after(kindly, PEOPLE[6])
    prompt = prompt_of(kindly, PEOPLE[6])
    value = button(prompt, "kind_moment_open")["value"]
    opened = view_after(
        kindly,
        "views.open",
        lambda: kindly.slack.message_action("kind_moment_open", message=prompt, who=PEOPLE[6], value=value),
    )
    assert opened["callback_id"] == "self_check"  # the moment from the prompt starts with the check
    kindly.slack.view_submission(fill(opened, answers(2, 2, 2, 2, 2, 2)), who=PEOPLE[6])
    finish_listeners(kindly)

    assert open_team(kindly) == team_before
    insights_after = read_insights(kindly)
    assert insights_after == insights_before
    assert "check" not in all_text(insights_after).lower()
