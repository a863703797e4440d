"""Multi-step journeys a person takes through Kindly, for end-to-end tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tests.conftest import Kindly
from tests.support.slack_requests import Person, Reply
from tests.support.views import fill, text_inputs


def view_after(kindly: Kindly, method: str, send: Callable[[], Reply]) -> dict[str, Any]:
    """Send a request, then wait for the `method` call it causes and return the view it carried."""
    count = len(kindly.fake.calls(method)) + 1
    assert send().status == 200
    call = kindly.fake.wait_for(method, count=count)[count - 1]
    assert call.answered_error is None, call.answered_error
    view: dict[str, Any] = call.params["view"]
    return view


def take_kind_moment(
    kindly: Kindly,
    *,
    arrival: str = "self_critical",
    text: str = "words",
    who: Person | None = None,
    from_home: bool = False,
) -> dict[str, Any]:
    """/kindly (or the Home tab's button) -> arrival -> practice -> kept; returns the closing view."""
    who = who or Person()
    if from_home:
        arrival_view = view_after(
            kindly, "views.open", lambda: kindly.slack.block_action("kind_moment_open", who=who)
        )
    else:
        arrival_view = view_after(kindly, "views.open", lambda: kindly.slack.command("", who=who))
    practice = kindly.slack.view_submission(fill(arrival_view, {"arrival": arrival}), who=who).json()["view"]
    inputs = text_inputs(practice)
    published = len(kindly.fake.calls("views.publish"))
    reply = kindly.slack.view_submission(fill(practice, dict.fromkeys(inputs, text)), who=who).json()
    assert reply["response_action"] == "update", reply
    if from_home:
        kindly.fake.wait_for("views.publish", count=published + 1)  # the Home tab behind it is refreshed
    view: dict[str, Any] = reply["view"]
    return view


def open_journal(kindly: Kindly, who: Person | None = None) -> dict[str, Any]:
    view = view_after(kindly, "views.open", lambda: kindly.slack.command("journal", who=who or Person()))
    return {**view, "id": "V0JOURNAL", "hash": "1.journal"}


def open_remind(kindly: Kindly, who: Person | None = None) -> dict[str, Any]:
    view = view_after(kindly, "views.open", lambda: kindly.slack.command("remind", who=who or Person()))
    return {**view, "id": "V0REMIND", "hash": "1.remind"}


def save_reminder(
    kindly: Kindly,
    *,
    days: tuple[str, ...] = ("0", "1", "2", "3", "4"),
    at: str = "09:00",
    pause_until: str | None = None,
    who: Person | None = None,
) -> dict[str, Any]:
    """/kindly remind -> choose days and time -> Save; returns the reply to the submission."""
    who = who or Person()
    answers: dict[str, Any] = {"days": list(days), "time": at}
    if pause_until:
        answers["pause_until"] = pause_until
    view = open_remind(kindly, who)
    published = len(kindly.fake.calls("views.publish"))
    reply: dict[str, Any] = kindly.slack.view_submission(fill(view, answers), who=who).json()
    if reply.get("response_action") == "update":
        kindly.fake.wait_for("views.publish", count=published + 1)  # the Home tab refresh after saving
    return reply


def finish_listeners(kindly: Kindly) -> None:
    """Wait until every listener that Slack's requests started so far has finished (the app keeps serving).

    Occupies every listener thread at once: when all of them reach the barrier, whatever was queued
    before has run.
    """
    executor = kindly.runtime.listener_executor
    workers = executor._max_workers
    barrier = threading.Barrier(workers + 1, timeout=30)
    for _ in range(workers):
        executor.submit(barrier.wait)
    barrier.wait()
