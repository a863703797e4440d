"""A slow save is not a lost save (issue 14.9): a practice whose save outlasts Slack's 3 seconds is
acknowledged in time with "keeping it safe", and the modal then shows how the save ended."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import Kindly
from tests.support.views import all_text, fill
from tests.test_requests_e2e import practice_view, stored_reflections

WORDS = {"critic": "a week that asked a lot", "words": "you carried it well"}
HANG_GUARD = 30.0  # seconds; only so that a broken build fails instead of hanging


class HeldDatabase:
    """Another connection holding the lock a save needs, as a long migration or a stuck job would."""

    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self._sqlite: sqlite3.Connection | None = None
        self._engine = None if database_url.startswith("sqlite") else create_engine(database_url)
        self._postgres: Any = None

    def hold(self) -> None:
        if self._engine is None:
            self._sqlite = sqlite3.connect(make_url(self._url).database or "", isolation_level=None)
            self._sqlite.execute("BEGIN IMMEDIATE")  # no other connection may write
        else:
            self._postgres = self._engine.connect()
            self._postgres.execute(text("LOCK TABLE reflections IN EXCLUSIVE MODE"))  # reads only

    def release(self) -> None:
        if self._sqlite is not None:
            self._sqlite.execute("ROLLBACK")
            self._sqlite.close()
            self._sqlite = None
        if self._postgres is not None:
            self._postgres.rollback()
            self._postgres.close()
            self._postgres = None
        if self._engine is not None:
            self._engine.dispose()

    def fail_the_waiting_save(self) -> None:
        """PostgreSQL waits for a lock forever: end the waiting connection, as a failover would. SQLite
        gives up by itself after its busy timeout."""
        if self._engine is None:
            return
        with self._engine.connect() as admin:
            ended = admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND wait_event_type = 'Lock' AND query ILIKE '%reflections%'"
                )
            ).all()
        assert ended, "no save was waiting for the lock"


@contextlib.contextmanager
def held_database(kindly: Kindly) -> Iterator[HeldDatabase]:
    held = HeldDatabase(str(kindly.runtime.engine.url.render_as_string(hide_password=False)))
    held.hold()
    try:
        yield held
    finally:
        held.release()


def submit(kindly: Kindly, submission: dict[str, Any]) -> dict[str, Any]:
    reply = kindly.slack.view_submission(submission)
    assert reply.status == 200
    answer: dict[str, Any] = reply.json()
    return answer


def test_a_save_held_past_slacks_deadline_is_acknowledged_in_time_then_closes_warmly(kindly: Kindly) -> None:
    submission = fill(practice_view(kindly), WORDS)
    with held_database(kindly) as held:
        answer = submit(kindly, submission)
        assert answer["response_action"] == "update"
        assert answer["view"]["callback_id"] == "kind_moment_keeping"
        assert "Keeping it safe" in all_text(answer["view"])
        held.release()
        updated = kindly.fake.wait_for("views.update", timeout=HANG_GUARD)[0].params
    assert updated["view_id"] == submission["id"]
    assert updated["view"]["callback_id"] == "kind_moment_closed"
    assert "Kept privately in your journal" in all_text(updated["view"])
    kindly.settle()
    assert stored_reflections(kindly) == 1


def test_a_held_save_that_fails_brings_the_words_back_with_a_plain_error_and_saves_once_on_retry(
    kindly: Kindly,
) -> None:
    submission = fill(practice_view(kindly), WORDS)
    with held_database(kindly) as held:
        answer = submit(kindly, submission)
        assert answer["view"]["callback_id"] == "kind_moment_keeping"
        held.fail_the_waiting_save()
        updated = kindly.fake.wait_for("views.update", timeout=HANG_GUARD)[0].params
    restored = updated["view"]
    assert updated["view_id"] == submission["id"]
    assert restored["callback_id"] == "kind_moment_practice"
    kept = {
        b["block_id"]: b["element"].get("initial_value")
        for b in restored["blocks"]
        if b["type"] == "input" and b["element"]["type"] == "plain_text_input"
    }
    assert kept == WORDS
    assert "couldn't keep this just now" in all_text(restored)
    assert stored_reflections(kindly) == 0

    again = kindly.slack.view_submission(fill(restored, WORDS)).json()
    assert again["response_action"] == "update"
    assert again["view"]["callback_id"] == "kind_moment_closed"
    kindly.settle()
    assert stored_reflections(kindly) == 1
