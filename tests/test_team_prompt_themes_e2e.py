"""Weekly team prompts end to end: a year's variety, each prompt's button opening its theme's practice,
the introduction in a member's first prompt only, and safe answers to old rows and forged buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

from slackapp.practices.catalogue import PRACTICES
from slackapp.practices.themes import THEME_PRACTICES, THEMES
from slackapp.store.models import PromptFeedback, TeamProgram
from tests.conftest import Kindly
from tests.support.journeys import view_after
from tests.support.programs import HANNA, start_program
from tests.support.slack_requests import Person
from tests.support.views import all_text, button, fill, text_inputs

TEAM = "C0TEAM"
YUKI = Person("U0YUKI", "T0001", "yuki")
KENJI = Person("U0KENJI", "T0001", "kenji")
# Tokyo's offset without Japan's public holidays (its "Happy Monday" holidays would skip some weeks'
# prompts: tests/test_calendar_e2e.py covers holidays). UTC+9 all year, as Tokyo keeps no summer time.
TOKYO = "Etc/GMT-9"
SUNDAY = datetime(2027, 1, 3, 12, tzinfo=UTC)
MONDAY_TEN_TOKYO = datetime(2027, 1, 4, 1, tzinfo=UTC)  # Tokyo keeps no summer time: 01:00 UTC all year
INTRODUCTION = "what is self-compassion"


@pytest.fixture
def team(kindly: Kindly) -> Kindly:
    kindly.fake.set_user(HANNA.user_id, tz=TOKYO, is_admin=True)
    for member in (YUKI, KENJI):
        kindly.fake.set_user(member.user_id, tz=TOKYO)
    kindly.fake.set_channel_members(TEAM, [YUKI.user_id, KENJI.user_id])
    kindly.clock.set(SUNDAY)
    return kindly


def week_of_prompts(kindly: Kindly, week: int) -> dict[str, dict[str, Any]]:
    """The dispatcher's tick at ten in Tokyo on the program's `week`: the prompt each person got then."""
    moment = MONDAY_TEN_TOKYO + timedelta(weeks=week)
    kindly.clock.set(moment)
    seen = len(kindly.fake.calls("chat.postMessage"))
    kindly.dispatch(moment)
    return {
        call.params["channel"]: call.params
        for call in kindly.fake.calls("chat.postMessage")[seen:]
        if "prompt_helped" in str(call.params.get("blocks"))
    }


def as_message(prompt: dict[str, Any]) -> dict[str, Any]:
    return {"type": "message", "ts": "1.1", "blocks": prompt["blocks"]}


def press_take_a_kind_moment(
    kindly: Kindly, who: Person, value: str, prompt: dict[str, Any]
) -> dict[str, Any]:
    """`who` presses "Take a kind moment" (its value as given) on a prompt: the view that opens."""
    return view_after(
        kindly,
        "views.open",
        lambda: kindly.slack.message_action(
            "kind_moment_open", message=as_message(prompt), who=who, value=value
        ),
    )


def moment_value(prompt: dict[str, Any]) -> str:
    value: str = button(as_message(prompt), "kind_moment_open")["value"]
    return value


def keep(kindly: Kindly, who: Person, practice: dict[str, Any]) -> None:
    answers = dict.fromkeys(text_inputs(practice), "kind words")
    reply = kindly.slack.view_submission(fill(practice, answers), who=who).json()
    assert reply["response_action"] == "update", reply


def is_arrival(view: dict[str, Any]) -> bool:
    return bool(view["callback_id"] == "kind_moment_arrival")


def program_id(kindly: Kindly) -> int:
    with kindly.runtime.services.sessions.begin() as session:
        return session.scalars(select(TeamProgram.id)).one()


def test_twenty_six_weekly_prompts_all_differ_and_each_opens_its_themes_practice(team: Kindly) -> None:
    start_program(team, channel=TEAM, themes=tuple(THEMES))
    rotation = list(THEMES)  # every theme chosen: they take turns in the order the form lists them
    lines = []
    for week in range(26):
        prompt = week_of_prompts(team, week)[YUKI.user_id]
        lines.append(prompt["text"])
        opened = press_take_a_kind_moment(team, YUKI, moment_value(prompt), prompt)
        practice = PRACTICES[THEME_PRACTICES[rotation[week % len(rotation)]]]
        assert opened["title"]["text"] == practice.name, week
        assert not is_arrival(opened)
        if week == 0:
            keep(team, YUKI, opened)  # something that kintsugi's week can mend
    assert len(set(lines)) == 26


def test_only_the_first_prompt_a_member_receives_carries_the_introduction(team: Kindly) -> None:
    start_program(team, channel=TEAM, themes=("rest",))
    first = week_of_prompts(team, 0)
    assert set(first) == {YUKI.user_id, KENJI.user_id}  # everyone the program starts with
    assert all(INTRODUCTION in all_text(prompt["blocks"]).lower() for prompt in first.values())

    newcomer = Person("U0NEW", "T0001", "newcomer")
    team.fake.set_user(newcomer.user_id, tz=TOKYO)
    team.fake.set_channel_members(TEAM, [YUKI.user_id, KENJI.user_id, newcomer.user_id])
    team.slack.member_joined(channel=TEAM, who=newcomer)
    team.fake.wait_for("chat.postMessage", count=3)  # the newcomer's welcome
    second = week_of_prompts(team, 1)
    assert set(second) == {YUKI.user_id, KENJI.user_id, newcomer.user_id}
    assert INTRODUCTION in all_text(second[newcomer.user_id]["blocks"]).lower()
    for member in (YUKI, KENJI):
        assert INTRODUCTION not in all_text(second[member.user_id]["blocks"]).lower()
        assert second[member.user_id]["text"] != first[member.user_id]["text"]  # the theme's next prompt


def test_an_old_program_whose_themes_no_longer_exist_still_sends_and_opens_a_practice(team: Kindly) -> None:
    start_program(team, channel=TEAM, themes=("rest",))
    with team.runtime.services.sessions.begin() as session:
        session.execute(update(TeamProgram).values(themes="gratitude,mindful_walks"))
    prompts = week_of_prompts(team, 0)
    assert set(prompts) == {YUKI.user_id, KENJI.user_id}
    prompt = prompts[YUKI.user_id]
    opened = press_take_a_kind_moment(team, YUKI, moment_value(prompt), prompt)
    assert (
        opened["title"]["text"] == PRACTICES[THEME_PRACTICES[next(iter(THEMES))]].name
    )  # all themes, in turn


def took_moment_count(kindly: Kindly) -> int:
    with kindly.runtime.services.sessions.begin() as session:
        counted = select(func.count()).select_from(PromptFeedback).where(PromptFeedback.kind == "took_moment")
        return session.scalar(counted) or 0


def test_forged_or_stale_buttons_open_the_arrival_and_count_nothing_that_is_not_theirs(team: Kindly) -> None:
    start_program(team, channel=TEAM, themes=("rest",))
    prompt = week_of_prompts(team, 0)[YUKI.user_id]
    own = program_id(team)
    stranger = Person("U0ALICE", "T0001", "alice")  # same workspace, not in the program
    elsewhere = Person("U0YUKI", "T0002", "yuki")  # the same user id in another workspace
    for who in (stranger, elsewhere):
        team.fake.set_user(who.user_id, tz=TOKYO)
    forged = [
        (YUKI, "not a program"),
        (YUKI, "99999:rest"),
        (YUKI, f"{own}:gratitude"),
        (YUKI, f"{own}:"),
        (YUKI, f"{own}:kintsugi"),  # nothing of Yuki's to mend yet
        (stranger, f"{own}:rest"),
        (elsewhere, f"{own}:rest"),
    ]
    for who, value in forged:
        assert is_arrival(press_take_a_kind_moment(team, who, value, prompt)), value
    assert took_moment_count(team) == 1  # only Yuki's presses on her own program count, once a week

    opened = press_take_a_kind_moment(team, YUKI, f"{own}:rest", prompt)
    assert opened["title"]["text"] == PRACTICES["comfort"].name


def test_a_button_sent_before_prompts_named_their_theme_still_opens_a_kind_moment_and_counts(
    team: Kindly,
) -> None:
    start_program(team, channel=TEAM, themes=("rest",))
    prompt = week_of_prompts(team, 0)[YUKI.user_id]
    assert is_arrival(press_take_a_kind_moment(team, YUKI, str(program_id(team)), prompt))
    assert took_moment_count(team) == 1


def statements_in_tick(kindly: Kindly, week: int) -> tuple[list[str], int]:
    """The SQL a week's tick ran, and how many prompts it sent."""
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(kindly.runtime.engine, "before_cursor_execute", seen)
    try:
        sent = len(week_of_prompts(kindly, week))
    finally:
        event.remove(kindly.runtime.engine, "before_cursor_execute", seen)
    return statements, sent


@pytest.mark.parametrize("members", [2, 30])
def test_whose_prompt_is_their_first_is_asked_once_a_tick_however_many_members(
    team: Kindly, members: int
) -> None:
    people = [f"U0MEMBER{n:02d}" for n in range(members)]
    for user_id in people:
        team.fake.set_user(user_id, tz=TOKYO)
    team.fake.set_channel_members(TEAM, people)
    start_program(team, channel=TEAM, themes=("rest",))
    for week in (0, 1):
        statements, sent = statements_in_tick(team, week)
        assert sent == members
        asked = [s for s in statements if "JOIN deliveries" in s and "SELECT DISTINCT" in s]
        assert len(asked) == 1, asked
