"""What Kindly reads before it answers Slack: choosing a practice and saving it each read the person's data
key once, and the arrival's support resources come from a few seconds' memory that a change in this worker
clears at once and a change in another worker outlives by at most SUPPORT_REMEMBERED_SECONDS."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from slackapp.config import Settings
from slackapp.services import SUPPORT_REMEMBERED_SECONDS
from tests.conftest import Kindly, running_kindly
from tests.support.journeys import take_kind_moment, view_after
from tests.support.slack_requests import Person
from tests.support.views import fill, text_inputs
from tests.test_setting_bounds_e2e import ALICE, HANNA, arrival_text, save_support

BOB = Person("U0BOB", "T0001", "bob")


def test_a_practice_save_reads_the_persons_data_key_once(kindly: Kindly) -> None:
    take_kind_moment(kindly, who=BOB)  # Bob's data key exists from here on
    arrival = view_after(kindly, "views.open", lambda: kindly.slack.command("", who=BOB))
    with data_key_reads(kindly) as choosing:
        practice = kindly.slack.view_submission(fill(arrival, {"arrival": "self_critical"}), who=BOB).json()
    inputs = text_inputs(practice["view"])
    with data_key_reads(kindly) as saving:
        reply = kindly.slack.view_submission(
            fill(practice["view"], dict.fromkeys(inputs, "a second, kinder word")), who=BOB
        ).json()
    assert reply["response_action"] == "update"
    assert len(choosing) == 1, choosing  # which wording Bob read last time, to show him another
    assert len(saving) == 1, saving


@contextmanager
def data_key_reads(kindly: Kindly) -> Iterator[list[str]]:
    """The SELECTs of data_keys run while the block is running."""
    reads: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "data_keys" in statement:
            reads.append(statement)

    event.listen(kindly.runtime.engine, "before_cursor_execute", seen)
    try:
        yield reads
    finally:
        event.remove(kindly.runtime.engine, "before_cursor_execute", seen)


@pytest.fixture
def second_worker(settings: Settings, kindly: Kindly) -> Iterator[Kindly]:
    """Another process serving the same workspace from the same database (gunicorn's second worker)."""
    yield from running_kindly(settings, kindly.fake)


def test_support_changed_in_one_worker_shows_there_at_once_and_in_another_within_seconds(
    kindly: Kindly, second_worker: Kindly
) -> None:
    kindly.fake.set_user(HANNA.user_id, tz="Europe/Berlin", is_admin=True)
    assert save_support(kindly, text="Our EAP: 0800 111")["response_action"] == "clear"
    assert "0800 111" in arrival_text(kindly) and "0800 111" in arrival_text(second_worker)

    assert save_support(kindly, text="Our EAP: 0800 222")["response_action"] == "clear"

    assert "0800 222" in arrival_text(kindly, ALICE)
    assert "0800 111" in arrival_text(second_worker, ALICE)  # remembered for a few seconds
    second_worker.time.sleep(SUPPORT_REMEMBERED_SECONDS)
    assert "0800 222" in arrival_text(second_worker, ALICE)
