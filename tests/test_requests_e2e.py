"""How Kindly answers Slack's requests: signatures, retries, failures, help, the App Home."""

from __future__ import annotations

import logging
import time
import urllib.request
from functools import partial
from typing import Any

import pytest
from sqlalchemy import func, select, text

from slackapp.store.models import Reflection
from tests.conftest import Kindly
from tests.support.journeys import open_journal, take_kind_moment, view_after
from tests.support.views import all_text, button, buttons, fill


def stored_reflections(kindly: Kindly) -> int:
    with kindly.runtime.services.sessions.begin() as session:
        return session.scalar(select(func.count()).select_from(Reflection)) or 0


def practice_view(kindly: Kindly) -> dict[str, Any]:
    arrival = view_after(kindly, "views.open", lambda: kindly.slack.command(""))
    view: dict[str, Any] = kindly.slack.view_submission(fill(arrival, {"arrival": "self_critical"})).json()[
        "view"
    ]
    return view


def test_forged_signature_and_stale_timestamp_are_refused_and_nothing_is_stored(kindly: Kindly) -> None:
    view = practice_view(kindly)
    submission = fill(view, {"critic": "a hard week", "words": "be gentle"})
    forged = kindly.slack.post_payload(
        {"type": "view_submission", "view": submission}, signature="v0=" + "0" * 64
    )
    assert forged.status == 401
    six_minutes_ago = int(time.time()) - 360
    stale = kindly.slack.command("", timestamp=six_minutes_ago)
    assert stale.status == 401
    genuine = kindly.slack.view_submission(submission)
    assert genuine.status == 200
    kindly.settle()
    assert len(kindly.fake.calls("views.open")) == 1
    assert stored_reflections(kindly) == 1


def test_a_retried_event_has_one_effect(kindly: Kindly) -> None:
    assert kindly.slack.home_opened(event_id="Ev0RETRY1").status == 200
    assert kindly.slack.home_opened(event_id="Ev0RETRY1", retry_num=1).status == 200
    assert kindly.slack.home_opened(event_id="Ev0RETRY1", retry_num=2).status == 200
    kindly.settle()
    assert len(kindly.fake.calls("views.publish")) == 1


def test_a_database_failure_keeps_the_text_on_screen_and_loses_nothing(kindly: Kindly) -> None:
    view = practice_view(kindly)
    submission = fill(view, {"critic": "my words, not lost", "words": "kind ones"})
    engine = kindly.runtime.engine
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE reflections RENAME TO reflections_away"))
    reply = kindly.slack.view_submission(submission).json()
    assert reply["response_action"] == "errors"
    assert "still here" in reply["errors"]["critic"]
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE reflections_away RENAME TO reflections"))
    retried = kindly.slack.view_submission(submission).json()
    assert retried["response_action"] == "update"
    assert stored_reflections(kindly) == 1


def test_empty_and_overlong_answers_get_field_errors(kindly: Kindly) -> None:
    view = practice_view(kindly)
    reply = kindly.slack.view_submission(fill(view, {"critic": "   ", "words": "x" * 1501})).json()
    assert reply["response_action"] == "errors"
    assert set(reply["errors"]) == {"critic", "words"}
    assert "1500" in reply["errors"]["words"]
    assert stored_reflections(kindly) == 0


def test_help_lists_the_commands_and_unknown_words_get_did_you_mean(kindly: Kindly) -> None:
    help_reply = kindly.slack.command("help").json()
    assert help_reply["response_type"] == "ephemeral"
    assert "/kindly journal" in all_text(help_reply)
    typo = kindly.slack.command("jurnal").json()
    assert "Did you mean `/kindly journal`?" in all_text(typo)
    hostile = kindly.slack.command("<!channel> <@U0BOB>").json()
    shown = all_text(hostile)
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown


def test_the_global_shortcut_opens_a_kind_moment(kindly: Kindly) -> None:
    view = view_after(kindly, "views.open", lambda: kindly.slack.shortcut("take_kind_moment"))
    assert view["callback_id"] == "kind_moment_arrival"


def test_app_home_is_published_and_every_button_on_it_does_something(kindly: Kindly) -> None:
    take_kind_moment(kindly, text="for the home tab")
    home = view_after(kindly, "views.publish", lambda: kindly.slack.home_opened())
    assert "not a crisis service" in all_text(home)
    expected = {
        "kind_moment_open": "views.open",
        "journal_open": "views.open",
        "self_compassion_open": "views.open",
        "journal_entry_open": "views.open",
        "remind_open": "views.open",
        "shoutout_open": "views.open",
        "shoutouts_receive_toggle": "views.publish",
        "team_prompts_toggle": "views.publish",
        "self_check_start": "views.open",
        "self_check_open": "views.open",
    }
    for found in buttons(home):
        method = expected[found["action_id"]]
        click = partial(kindly.slack.block_action, found["action_id"], value=found.get("value"))
        shown = view_after(kindly, method, click)
        assert shown["type"] == ("home" if method == "views.publish" else "modal")


def test_malformed_http_requests_get_a_clear_4xx(kindly: Kindly) -> None:
    non_utf8 = kindly.slack.post_raw(b"payload=\xff\xfe", content_type="application/x-www-form-urlencoded")
    assert non_utf8.status == 400
    huge = kindly.slack.post_raw(b"x" * 1_000_001, content_type="application/x-www-form-urlencoded")
    assert huge.status == 413
    with urllib.request.urlopen(f"{kindly.base_url}/healthz") as response:  # noqa: S310
        assert response.status == 200
    assert stored_reflections(kindly) == 0


def test_a_slack_failure_gets_a_kind_reply_and_a_log_line_without_content(
    kindly: Kindly, caplog: pytest.LogCaptureFixture
) -> None:
    kindly.fake.fail("views.open", "invalid_arguments")
    with caplog.at_level(logging.INFO):
        assert kindly.slack.command("journal").status == 200
        (reply,) = kindly.fake.wait_for("response_url")
        kindly.settle()
    assert reply.params["response_type"] == "ephemeral"
    assert "nothing you wrote was shared" in reply.params["text"]
    assert "invalid_arguments" in caplog.text


def test_no_reflection_text_reaches_the_logs_even_at_debug_level(
    kindly: Kindly, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "a secret only I should ever read"
    with caplog.at_level(logging.DEBUG):
        take_kind_moment(kindly, text=secret)
        journal = open_journal(kindly)
        entry = view_after(
            kindly,
            "views.push",
            lambda: kindly.slack.block_action(
                "journal_entry_open", value=button(journal, "journal_entry_open")["value"], view=journal
            ),
        )
        kindly.settle()
    assert secret in all_text(entry)
    assert caplog.records, "the run logged nothing at all: the check below would prove nothing"
    assert secret not in caplog.text
