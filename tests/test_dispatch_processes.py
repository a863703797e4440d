"""The dispatcher as operators run it: `kindly dispatch`, `kindly scheduler` and `kindly run` as real
processes over one shared database, talking to the fake Slack."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, insert, select

from fakeslack import FakeSlack, RecordedCall
from slackapp.actor import Actor
from slackapp.scheduling.occurrences import EVERY_DAY, weekdays_to_mask
from slackapp.scheduling.reminders import save_reminder
from slackapp.store.db import SessionFactory, make_engine, make_session_factory
from slackapp.store.migrate import upgrade_to_head
from slackapp.store.models import Delivery, Schedule
from slackapp.store.schedules import PERSONAL
from tests.support.cli import COMMAND_TIMEOUT, RunningKindly, clean_env, free_port, run_kindly, start_kindly
from tests.support.http import get

BOT_TOKEN = "xoxb-1-dispatch-test-token"
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"
TEAM = "T0001"
ALICE = Actor(TEAM, "U0ALICE")
SUNDAY_NOON = datetime(2027, 1, 3, 12, tzinfo=UTC)
MONDAY_EIGHT = datetime(2027, 1, 4, 8, tzinfo=UTC)
MONDAY_EIGHT_ISO = "2027-01-04T08:00:00Z"
PEOPLE = 1000
ISO_INSTANT_WITH_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:\d\d)")


@pytest.fixture
def sessions(database_url: str) -> Iterator[SessionFactory]:
    """The test's own connection to the database the processes share, migrated to the latest schema."""
    engine = make_engine(database_url)
    upgrade_to_head(engine)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


@pytest.fixture
def env(tmp_path: Path, database_url: str, fake_slack: FakeSlack) -> dict[str, str]:
    """What every process of one test is given: the same database, master key and fake Slack."""
    return clean_env(
        tmp_path,
        DATABASE_URL=database_url,
        KINDLY_ENCRYPTION_KEYS=Fernet.generate_key().decode("ascii"),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=fake_slack.api_url,
        KINDLY_POST_RATE="100",
        KINDLY_POST_BURST="1000",
        KINDLY_LOG_LEVEL="DEBUG",  # every tick's line, idle ones too, is what these tests wait on
    )


def remind_every_day(sessions: SessionFactory, *, at: time, now: datetime) -> datetime:
    """Alice's reminder, saved as the modal saves it; returns when it is next due."""
    with sessions.begin() as session:
        schedule = save_reminder(session, ALICE, weekdays=EVERY_DAY, at=at, paused_until=None, now=now)
        assert schedule.next_due_at is not None
        return schedule.next_due_at


def deliveries(sessions: SessionFactory) -> list[Delivery]:
    with sessions.begin() as session:
        rows = list(session.scalars(select(Delivery).order_by(Delivery.id)))
        session.expunge_all()
        return rows


def sent_count(summary: str) -> int:
    found = re.findall(r"\bsent (\d+)\b", summary)
    assert len(found) == 1, f"no single 'sent N' in the summary {summary!r}"
    return int(found[0])


def summary_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, f"expected one summary line on stdout, got {result.stdout!r}"
    return lines[0]


def seen_or_wait(kindly: RunningKindly, needle: str, *, timeout: float = 30.0) -> None:
    """A stderr line with `needle`, whether it was already read while waiting for another or comes later."""
    if not any(needle in line for line in kindly.lines):
        kindly.wait_for_line(needle, timeout=timeout)


def due_a_minute_ago(sessions: SessionFactory) -> datetime:
    """Alice's reminder at the wall-clock minute before real now (UTC), due since then."""
    now = datetime.now(UTC)
    a_minute_ago = now - timedelta(minutes=1)
    due = remind_every_day(sessions, at=a_minute_ago.time(), now=now - timedelta(minutes=5))
    assert now - timedelta(minutes=2) < due <= a_minute_ago
    return due


# -- `kindly dispatch --now` ---------------------------------------------------------------------------


def test_dispatching_twice_at_the_same_instant_sends_once(
    tmp_path: Path, env: dict[str, str], sessions: SessionFactory, fake_slack: FakeSlack
) -> None:
    assert remind_every_day(sessions, at=time(8, 0), now=SUNDAY_NOON) == MONDAY_EIGHT

    first = run_kindly("dispatch", "--now", MONDAY_EIGHT_ISO, cwd=tmp_path, env=env)
    second = run_kindly("dispatch", "--now", MONDAY_EIGHT_ISO, cwd=tmp_path, env=env)

    assert sent_count(summary_line(first)) == 1
    assert sent_count(summary_line(second)) == 0
    posts = fake_slack.calls("chat.postMessage")
    assert [(call.params["channel"], call.ok) for call in posts] == [(ALICE.user_id, True)]
    assert [(d.occurrence_at, d.status) for d in deliveries(sessions)] == [(MONDAY_EIGHT, "sent")]


@pytest.mark.parametrize(
    ("instant", "problem"),
    [
        pytest.param("yesterday", "ISO-8601", id="not-a-date"),
        pytest.param("2027-01-04T08:00:00", "offset", id="no-offset"),
    ],
)
def test_a_malformed_instant_is_refused_in_one_line_saying_how_to_write_it(
    tmp_path: Path,
    env: dict[str, str],
    sessions: SessionFactory,
    fake_slack: FakeSlack,
    instant: str,
    problem: str,
) -> None:
    # A reminder is due at that wall-clock time: taking the instant any other way would send it.
    remind_every_day(sessions, at=time(8, 0), now=SUNDAY_NOON)

    result = run_kindly("dispatch", "--now", instant, cwd=tmp_path, env=env)

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    # argparse puts its usage line first; the message itself is one line.
    message = [line for line in result.stderr.splitlines() if not line.startswith("usage:")]
    assert len(message) == 1, result.stderr
    assert "--now" in message[0]
    assert repr(instant) in message[0]
    assert problem in message[0]
    example = ISO_INSTANT_WITH_OFFSET.search(message[0])
    assert example is not None, f"no example instant with an offset in {message[0]!r}"
    assert datetime.fromisoformat(example.group()).tzinfo is not None
    assert fake_slack.calls("chat.postMessage") == []
    assert deliveries(sessions) == []


def test_two_dispatchers_at_once_send_each_of_a_thousand_reminders_exactly_once(
    tmp_path: Path, env: dict[str, str], sessions: SessionFactory, fake_slack: FakeSlack
) -> None:
    people = [f"U{n:04d}" for n in range(PEOPLE)]
    with sessions.begin() as session:
        session.execute(
            insert(Schedule),
            [
                {
                    "team_id": TEAM,
                    "user_id": user_id,
                    "kind": PERSONAL,
                    "weekdays": weekdays_to_mask(EVERY_DAY),
                    "local_time": time(8, 0),
                    "tz": "UTC",
                    "next_due_at": MONDAY_EIGHT,
                    "created_at": SUNDAY_NOON,
                }
                for user_id in people
            ],
        )

    dispatchers = [start_kindly("dispatch", "--now", MONDAY_EIGHT_ISO, cwd=tmp_path, env=env) for _ in "ab"]
    outputs = [process.communicate(timeout=COMMAND_TIMEOUT) for process in dispatchers]

    for process, (_, stderr) in zip(dispatchers, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr
    assert sum(sent_count(stdout) for stdout, _ in outputs) == PEOPLE
    posts = fake_slack.calls("chat.postMessage")
    assert all(call.ok for call in posts)
    assert len(posts) == PEOPLE
    assert sorted(call.params["channel"] for call in posts) == people
    with sessions.begin() as session:
        by_status = {
            status: count
            for status, count in session.execute(
                select(Delivery.status, func.count()).group_by(Delivery.status)
            )
        }
        per_schedule = session.execute(
            select(func.count(func.distinct(Delivery.schedule_id)), func.count(Delivery.id))
        ).one()
        still_due = session.scalar(
            select(func.count()).select_from(Schedule).where(Schedule.next_due_at <= MONDAY_EIGHT)
        )
    assert by_status == {"sent": PEOPLE}
    assert tuple(per_schedule) == (PEOPLE, PEOPLE)
    assert still_due == 0


# -- long-running processes ------------------------------------------------------------------------------


def assert_sent_once(
    *, process: RunningKindly, log: str, posts: list[RecordedCall], sessions: SessionFactory, due: datetime
) -> None:
    """The process ended cleanly having posted the one due reminder to Alice, and recorded it as sent."""
    assert process.process.returncode == 0, log
    assert "Traceback" not in log
    assert [(call.params["channel"], call.ok) for call in posts] == [(ALICE.user_id, True)]
    assert [(d.occurrence_at, d.status) for d in deliveries(sessions)] == [(due, "sent")]


def test_the_scheduler_process_sends_a_due_reminder_and_stops_cleanly_on_sigterm(
    tmp_path: Path, env: dict[str, str], sessions: SessionFactory, fake_slack: FakeSlack
) -> None:
    due = due_a_minute_ago(sessions)

    with RunningKindly("scheduler", cwd=tmp_path, env=env) as scheduler:
        posts = fake_slack.wait_for("chat.postMessage", timeout=30)
        seen_or_wait(scheduler, "dispatcher tick at")
        log = scheduler.stop()

    assert_sent_once(process=scheduler, log=log, posts=posts, sessions=sessions, due=due)


def start_http(tmp_path: Path, env: dict[str, str], *extra: str) -> RunningKindly:
    port = str(free_port())
    return RunningKindly(
        "run",
        "--http",
        "--port",
        port,
        "--host",
        "127.0.0.1",
        *extra,
        cwd=tmp_path,
        env={**env, "SLACK_SIGNING_SECRET": SIGNING_SECRET},
    )


def test_run_sends_due_reminders_from_its_own_scheduler(
    tmp_path: Path, env: dict[str, str], sessions: SessionFactory, fake_slack: FakeSlack
) -> None:
    due = due_a_minute_ago(sessions)

    with start_http(tmp_path, env) as kindly:
        kindly.wait_for_line("listening")
        # The scheduler starts, and says so, before the server listens: the no-scheduler test relies on it.
        assert any("dispatcher ticks every" in line for line in kindly.lines), kindly.log
        posts = fake_slack.wait_for("chat.postMessage", timeout=30)
        seen_or_wait(kindly, "dispatcher tick at")
        log = kindly.stop()

    assert_sent_once(process=kindly, log=log, posts=posts, sessions=sessions, due=due)


def test_run_with_no_scheduler_sends_nothing(
    tmp_path: Path, env: dict[str, str], sessions: SessionFactory, fake_slack: FakeSlack
) -> None:
    due_a_minute_ago(sessions)

    with start_http(tmp_path, env, "--no-scheduler") as kindly:
        line = kindly.wait_for_line("listening")
        port = re.search(r"127\.0\.0\.1:(\d+)", line)
        assert port is not None, line
        assert get(f"http://127.0.0.1:{port.group(1)}/healthz") == (200, "ok")

        assert fake_slack.calls("chat.postMessage") == []
        assert deliveries(sessions) == []
        log = kindly.stop()

    assert kindly.process.returncode == 0, log
    assert "Traceback" not in log
    # With a scheduler, this line comes before "listening" and a tick right after start: neither happened.
    assert "dispatcher ticks every" not in log
    assert "dispatcher tick at" not in log
    assert fake_slack.calls("chat.postMessage") == []
    assert deliveries(sessions) == []
    # The reminder was due all along: the first tick anywhere sends it.
    assert sent_count(summary_line(run_kindly("dispatch", cwd=tmp_path, env=env))) == 1
    assert len(fake_slack.calls("chat.postMessage")) == 1
