"""Scaling out (issue 6): two `kindly run --http` replicas and one `kindly scheduler`, as real processes on
one PostgreSQL database, driven at once by many people: no reflection is lost, no reminder is sent twice."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from fakeslack import FakeSlack, RecordedCall
from slackapp.practices.catalogue import ARRIVAL_CHOICES, PRACTICES
from slackapp.store.db import SessionFactory, make_engine, make_session_factory
from slackapp.store.models import Delivery, Reflection, Schedule
from slackapp.store.schedules import get_personal_schedule
from tests.support.cli import RunningKindly, clean_env, run_kindly
from tests.support.slack_requests import Person, Reply, SlackSender
from tests.support.views import all_text, button, buttons, fill, text_inputs
from tests.test_dispatch_processes import BOT_TOKEN, SIGNING_SECRET, seen_or_wait, sent_count, start_http

PEOPLE = 40
TEAM = "T0001"
# The arrivals that lead to a practice at once (kintsugi needs an older entry to revisit).
ARRIVALS = tuple(a.key for a in ARRIVAL_CHOICES if not PRACTICES[a.practice].revisits_entry)
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland")
EVERY_DAY = tuple(str(day) for day in range(7))
TICKS_PAST_DUE = 2
WAIT = 30.0
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)/")
TICK_AT = re.compile(r"dispatcher tick at (\S+): planned")


class LoadBalancer(SlackSender):
    """Signs as Slack does, and sends each request to the next replica, as a round-robin balancer does.

    One per person: it remembers that person's trigger ids and the HTTP status of every answer.
    """

    def __init__(self, *, replicas: Sequence[str], first: int, fake: FakeSlack) -> None:
        super().__init__(events_url=replicas[0], signing_secret=SIGNING_SECRET, fake=fake)
        self._replicas = itertools.islice(itertools.cycle(replicas), first % len(replicas), None)
        self.statuses: list[int] = []

    def post_raw(self, body: bytes, **options: Any) -> Reply:
        self.events_url = next(self._replicas)
        reply = super().post_raw(body, **options)
        self.statuses.append(reply.status)
        return reply


@dataclass(frozen=True)
class Journey:
    who: Person
    due: datetime
    statuses: list[int]


def call_for(fake: FakeSlack, method: str, *, trigger_id: str) -> RecordedCall:
    """The `method` call made with `trigger_id`, waiting for it: other people's calls arrive meanwhile."""
    deadline = time.monotonic() + WAIT
    while True:
        seen = len(fake.calls())
        for call in fake.calls(method):
            if call.params.get("trigger_id") == trigger_id:
                assert call.ok, f"{method} answered {call.answered_error}"
                return call
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {method} call with trigger {trigger_id!r}"
        fake.wait_for_more_calls(seen, timeout=remaining)


def opened(slack: SlackSender, method: str, send: Callable[[], Reply]) -> dict[str, Any]:
    """Send a request that Kindly answers by opening a view through `method`; return that view."""
    assert send().status == 200
    view: dict[str, Any] = call_for(slack.fake, method, trigger_id=slack.last_trigger_id).params["view"]
    return view


def half_a_day_away(zone: str) -> str:
    """A wall-clock time whose next occurrence is hours away: the modal's own choice never fires here."""
    return (datetime.now(ZoneInfo(zone)) - timedelta(hours=12)).strftime("%H:%M")


def make_due_now(sessions: SessionFactory, who: Person) -> datetime:
    """The reminder's next occurrence, moved to now (the modal only saves times that are still ahead, and
    the clock of another process cannot be moved)."""
    with sessions.begin() as session:
        schedule = get_personal_schedule(session, team_id=who.team_id, user_id=who.user_id)
        assert schedule is not None
        schedule.next_due_at = datetime.now(UTC)
        return schedule.next_due_at


def journey(number: int, *, replicas: Sequence[str], fake: FakeSlack, sessions: SessionFactory) -> Journey:
    """A kind moment with a text of one's own, then a reminder, then the entry read back from the journal."""
    who = Person(f"U{number:04d}", TEAM, f"person{number}")
    text = f"words of person {number}, kept once"
    zone = ZONES[number % len(ZONES)]
    fake.set_user(who.user_id, tz=zone)
    slack = LoadBalancer(replicas=replicas, first=number, fake=fake)

    # The kind moment comes first: a reminder is skipped when its person has reflected since it was set.
    arrival = opened(slack, "views.open", lambda: slack.command("", who=who))
    chosen = {"arrival": ARRIVALS[number % len(ARRIVALS)]}
    led = slack.view_submission(fill(arrival, chosen), who=who).json()
    assert led["response_action"] == "update", led
    practice = led["view"]
    inputs = text_inputs(practice)
    kept = slack.view_submission(fill(practice, dict.fromkeys(inputs, text)), who=who).json()
    assert kept["response_action"] == "update", kept

    remind = opened(slack, "views.open", lambda: slack.command("remind", who=who))
    answers = {"days": list(EVERY_DAY), "time": half_a_day_away(zone)}
    saved = slack.view_submission(fill(remind, answers), who=who).json()
    assert saved["response_action"] == "update", saved
    due = make_due_now(sessions, who)

    journal = opened(slack, "views.open", lambda: slack.command("journal", who=who))
    journal = {**journal, "id": "V0JOURNAL", "hash": "1.journal"}
    assert [b["action_id"] for b in buttons(journal)].count("journal_entry_open") == 1, all_text(journal)
    entry_id = button(journal, "journal_entry_open")["value"]
    entry = opened(
        slack,
        "views.push",
        lambda: slack.block_action("journal_entry_open", value=entry_id, who=who, view=journal),
    )
    assert text in all_text(entry)
    return Journey(who=who, due=due, statuses=slack.statuses)


def ticks_after(kindly: RunningKindly, instant: datetime) -> int:
    """How many dispatcher ticks `kindly` has logged so far that ran as of a moment after `instant`."""
    found = (TICK_AT.search(line) for line in kindly.lines)
    return sum(1 for match in found if match and datetime.fromisoformat(match.group(1)) > instant)


def wait_for_ticks_after(kindly: RunningKindly, instant: datetime, count: int) -> None:
    while ticks_after(kindly, instant) < count:
        kindly.wait_for_line("dispatcher tick at", timeout=WAIT)


@pytest.fixture
def env(tmp_path: Path, database_url: str, fake_slack: FakeSlack) -> dict[str, str]:
    """What an operator gives every process: one database, one master key, one Slack app, short ticks."""
    key = run_kindly("new-key", cwd=tmp_path, env=clean_env(tmp_path)).stdout.strip()
    return clean_env(
        tmp_path,
        DATABASE_URL=database_url,
        KINDLY_ENCRYPTION_KEYS=key,
        KINDLY_LOG_LEVEL="DEBUG",  # every tick's line, idle ones too, is what this test counts
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.api_url,
        KINDLY_TICK_SECONDS="1",
        KINDLY_POST_RATE="100",
        KINDLY_POST_BURST="1000",
    )


@pytest.fixture
def sessions(tmp_path: Path, env: dict[str, str]) -> Iterator[SessionFactory]:
    """The test's own connection to the shared database, after `kindly migrate` as an operator runs it."""
    migrated = run_kindly("migrate", cwd=tmp_path, env=env)
    assert migrated.returncode == 0, migrated.stderr
    engine = make_engine(env["DATABASE_URL"])
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_two_replicas_and_a_scheduler_driven_at_once_keep_every_reflection_and_send_each_reminder_once(
    tmp_path: Path, env: dict[str, str], sessions: SessionFactory, fake_slack: FakeSlack
) -> None:
    with ExitStack() as stack:
        web = [stack.enter_context(start_http(tmp_path, env)) for _ in "ab"]
        scheduler = stack.enter_context(RunningKindly("scheduler", cwd=tmp_path, env=env))
        processes = [*web, scheduler]
        replicas = []
        for replica in web:
            listening = LISTENING.search(replica.wait_for_line("listening"))
            assert listening is not None
            replicas.append(f"http://127.0.0.1:{listening.group(1)}/slack/events")
            seen_or_wait(replica, "dispatcher ticks every 1 s")  # three dispatchers: one in each process
        scheduler.wait_for_line("scheduler is running")

        with ThreadPoolExecutor(max_workers=PEOPLE) as crowd:
            journeys = list(
                crowd.map(
                    lambda number: journey(number, replicas=replicas, fake=fake_slack, sessions=sessions),
                    range(PEOPLE),
                )
            )
        all_due = datetime.now(UTC)
        fake_slack.wait_for("chat.postMessage", count=PEOPLE, timeout=WAIT)
        # Each dispatcher has run whole ticks that began after every reminder was due: a second send of
        # any of them would have happened by now.
        for kindly in processes:
            wait_for_ticks_after(kindly, all_due, TICKS_PAST_DUE)
        logs = [kindly.stop() for kindly in processes]

    for kindly, log in zip(processes, logs, strict=True):
        assert kindly.process.returncode == 0, log
        assert "Traceback" not in log
        assert " ERROR " not in log, log
    assert [status for done in journeys for status in done.statuses if status != 200] == []
    assert [call.method for call in fake_slack.calls() if not call.ok] == []

    people = sorted(done.who.user_id for done in journeys)
    assert sorted(call.params["channel"] for call in fake_slack.calls("chat.postMessage")) == people
    # The dispatchers' own accounts agree: between the three of them, each reminder was sent once.
    tick_lines = [line for log in logs for line in log.splitlines() if TICK_AT.search(line)]
    assert sum(sent_count(line) for line in tick_lines) == PEOPLE

    with sessions.begin() as session:
        reflections = {
            user_id: count
            for user_id, count in session.execute(
                select(Reflection.user_id, func.count()).group_by(Reflection.user_id)
            )
        }
        deliveries = [
            (user_id, occurrence_at, status)
            for user_id, occurrence_at, status in session.execute(
                select(Schedule.user_id, Delivery.occurrence_at, Delivery.status).join(
                    Schedule, Delivery.schedule_id == Schedule.id
                )
            )
        ]
        still_due = session.scalar(
            select(func.count()).select_from(Schedule).where(Schedule.next_due_at <= all_due)
        )
    assert reflections == dict.fromkeys(people, 1)
    assert sorted(deliveries) == sorted((done.who.user_id, done.due, "sent") for done in journeys)
    assert still_due == 0
