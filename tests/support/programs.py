"""Team prompt programs as an HR lead and their members use them, for end-to-end tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import Kindly
from tests.support.journeys import view_after
from tests.support.slack_requests import Person
from tests.support.views import button, fill

HANNA = Person("U0HANNA", "T0001", "hanna")  # HR lead: a workspace admin, in Tokyo


def open_team(kindly: Kindly, who: Person = HANNA) -> dict[str, Any]:
    view = view_after(kindly, "views.open", lambda: kindly.slack.command("team", who=who))
    return {**view, "id": "V0TEAM", "hash": "1.team"}


def start_program(
    kindly: Kindly,
    *,
    channel: str,
    who: Person = HANNA,
    start: str = "2027-01-04",
    wait: bool = True,
    name: str = "Weekly kind moment",
    themes: tuple[str, ...] = ("rest", "kindness"),
) -> dict[str, Any]:
    """The HR lead creates a Monday 10:00 program for `channel` with these `themes`; waits until it is
    enrolled unless not to `wait`."""
    hub = open_team(kindly, HANNA)
    modal = view_after(
        kindly, "views.push", lambda: kindly.slack.block_action("program_new", view=hub, who=HANNA)
    )
    answers = {"name": name, "weekday": "0", "time": "10:00", "start": start}
    submitted = fill(modal, answers)
    submitted["state"]["values"]["channel"] = {
        "choice": {"type": "conversations_select", "selected_conversation": channel}
    }
    submitted["state"]["values"]["themes"] = {
        "choice": {"type": "checkboxes", "selected_options": [{"value": theme} for theme in themes]}
    }
    published = len(kindly.fake.calls("views.publish"))
    reply: dict[str, Any] = kindly.slack.view_submission(submitted, who=who).json()
    if wait and reply.get("response_action") == "update":
        kindly.fake.wait_for("views.publish", count=published + 1, timeout=30)  # enrolled, home refreshed
    return reply


def prompts_to(kindly: Kindly) -> list[str]:
    """Who received a team prompt, in order."""
    return [
        call.params["channel"]
        for call in kindly.fake.calls("chat.postMessage")
        if call.ok and "prompt_helped" in str(call.params.get("blocks"))
    ]


def prompt_of(kindly: Kindly, person: Person) -> dict[str, Any]:
    """The latest team prompt `person` received, as the message its buttons are pressed on."""
    prompt = [
        call
        for call in kindly.fake.calls("chat.postMessage")
        if call.params["channel"] == person.user_id and "prompt_helped" in str(call.params.get("blocks"))
    ][-1]
    return {"type": "message", "ts": "1.1", "blocks": prompt.params["blocks"]}


def press(kindly: Kindly, person: Person, action_id: str) -> None:
    """`person` presses a button of their latest team prompt; waits until Slack hears back."""
    message = prompt_of(kindly, person)
    value = button(message, action_id)["value"]
    if action_id == "kind_moment_open":
        view_after(
            kindly,
            "views.open",
            lambda: kindly.slack.message_action(action_id, message=message, who=person, value=value),
        )
        return
    seen = len(kindly.fake.calls("response_url"))
    kindly.slack.message_action(action_id, message=message, who=person, value=value)
    kindly.fake.wait_for("response_url", count=seen + 1)


def read_insights(kindly: Kindly, who: Person = HANNA) -> dict[str, Any]:
    hub = open_team(kindly, who)
    return view_after(
        kindly,
        "views.push",
        lambda: kindly.slack.block_action(
            "program_insights", value=button(hub, "program_insights")["value"], view=hub, who=who
        ),
    )
