"""A captured request is worth nothing to whoever captured it: re-sending a signed view submission or block
action inside Slack's five-minute window has no second effect, and a forged request's body (which can carry
someone's words) never reaches a log line, neither Kindly's nor Slack's libraries'."""

from __future__ import annotations

import io
import json
import logging
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from slackapp.logs import make_handler
from slackapp.store.models import ProcessedEvent, Reflection, Shoutout
from tests.conftest import Kindly
from tests.support.journeys import view_after
from tests.support.shoutouts import BOB, open_shoutout
from tests.support.slack_requests import Person, Reply, interaction_payload
from tests.support.views import fill, text_inputs

ALICE = Person()
MARKER = "MY-PRIVATE-WORDS-7f3a"


def signed_body(payload: dict[str, Any]) -> bytes:
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode("utf-8")


def send_twice(kindly: Kindly, payload: dict[str, Any]) -> tuple[Reply, Reply]:
    """The same bytes with the same timestamp (so the same signature), as a captured request re-sent."""
    body, stamp = signed_body(payload), int(time.time())
    content_type = "application/x-www-form-urlencoded"
    first = kindly.slack.post_raw(body, content_type=content_type, timestamp=stamp)
    again = kindly.slack.post_raw(body, content_type=content_type, timestamp=stamp)
    return first, again


def reflections(kindly: Kindly) -> int:
    with kindly.runtime.services.sessions.begin() as session:
        return session.scalar(select(func.count()).select_from(Reflection)) or 0


def test_a_replayed_view_submission_keeps_one_reflection(kindly: Kindly) -> None:
    arrival = view_after(kindly, "views.open", lambda: kindly.slack.command("", who=ALICE))
    practice = kindly.slack.view_submission(fill(arrival, {"arrival": "self_critical"}), who=ALICE).json()
    inputs = text_inputs(practice["view"])
    submission = interaction_payload(
        "view_submission",
        ALICE,
        trigger_id=kindly.fake.new_trigger_id(),
        view=fill(practice["view"], dict.fromkeys(inputs, "words")),
    )

    first, again = send_twice(kindly, submission)

    assert first.status == 200 and first.json()["response_action"] == "update"
    assert again.status == 200 and not again.body
    kindly.settle()
    assert reflections(kindly) == 1


def test_a_replayed_block_action_has_one_effect(kindly: Kindly) -> None:
    action = {"type": "button", "action_id": "kind_moment_open", "block_id": "b1", "action_ts": "1.2"}
    home = {"id": "V0HOME", "type": "home", "hash": "1.home", "blocks": []}
    payload = interaction_payload(
        "block_actions",
        ALICE,
        trigger_id=kindly.fake.new_trigger_id(),
        container={"type": "view", "view_id": "V0HOME"},
        view=home,
        actions=[action],
    )

    first, again = send_twice(kindly, payload)

    assert first.status == again.status == 200
    kindly.settle()
    assert len(kindly.fake.calls("views.open")) == 1


def test_a_replayed_shoutout_is_sent_once_and_leaves_no_row_that_dates_it(kindly: Kindly) -> None:
    submitted = fill(open_shoutout(kindly, ALICE), {"note": "steady in a storm", "signed": "anonymous"})
    values = submitted["state"]["values"]
    values["recipient"] = {"choice": {"type": "users_select", "selected_user": BOB.user_id}}
    values["strength"] = {"choice": {"type": "static_select", "selected_option": {"value": "kindness"}}}
    payload = interaction_payload(
        "view_submission", ALICE, trigger_id=kindly.fake.new_trigger_id(), view=submitted
    )

    first, again = send_twice(kindly, payload)

    assert first.status == 200 and first.json()["response_action"] == "update"
    assert again.status == 200 and not again.body
    kindly.settle()
    with kindly.runtime.services.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Shoutout)) == 1
        # The replay guard is memory only: a ledger row would date the note to the second.
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0


@pytest.fixture
def kindlys_log(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """Everything logged at INFO and above, through Kindly's own handler as in production (and caplog)."""
    caplog.set_level(logging.INFO)
    stream = io.StringIO()
    handler = make_handler("json", stream)
    logging.getLogger().addHandler(handler)
    yield stream
    logging.getLogger().removeHandler(handler)


def typed(text: str) -> dict[str, Any]:
    return {"type": "modal", "callback_id": "practice", "state": {"values": {"a": {"b": {"value": text}}}}}


def test_a_forged_request_is_refused_and_its_body_never_logged(
    kindly: Kindly, kindlys_log: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    payload = interaction_payload(
        "view_submission",
        ALICE,
        trigger_id="T1",
        view={
            "type": "modal",
            "callback_id": "practice",
            "state": {"values": {"a": {"b": {"value": MARKER}}}},
        },
    )
    forged = kindly.slack.post_raw(
        signed_body(payload), content_type="application/x-www-form-urlencoded", signature="v0=" + "0" * 64
    )

    assert forged.status == 401
    assert "Invalid request signature" in caplog.text  # Bolt still says what happened
    assert MARKER not in caplog.text
    assert MARKER not in kindlys_log.getvalue()
    assert MARKER.replace("-", "%2D") not in caplog.text and "payload=" not in caplog.text


def test_an_unhandled_request_is_logged_without_its_body(
    kindly: Kindly, kindlys_log: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    action = {"type": "button", "action_id": MARKER, "block_id": MARKER, "action_ts": "1.2"}
    reply = kindly.slack.post_payload(
        interaction_payload(
            "block_actions",
            ALICE,
            trigger_id=kindly.fake.new_trigger_id(),
            container={"type": "view", "view_id": "V0HOME"},
            view={"id": "V0HOME", "type": "home", "hash": "1.home", "blocks": []},
            actions=[action],
        )
    )

    assert reply.status == 404
    assert "Unhandled request" in caplog.text
    assert MARKER not in caplog.text and MARKER not in kindlys_log.getvalue()
