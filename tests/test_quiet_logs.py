"""Quiet, useful logs: nothing per idle tick or per /readyz probe at INFO; one line per tick that acted."""

from __future__ import annotations

import logging
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from slackapp.jobs import tick_and_tell
from tests.conftest import Kindly
from tests.support.journeys import save_reminder
from tests.support.slack_requests import Person

ALICE = Person("U0ALICE", "T0001", "alice")
MONDAY_NINE_BERLIN = datetime(2027, 1, 4, 8, tzinfo=UTC)
OURS = ("slackapp", "apscheduler", "alembic")


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO and r.name.startswith(OURS)]


def test_an_idle_tick_says_nothing_and_a_tick_that_sends_says_one_line(
    kindly: Kindly, caplog: pytest.LogCaptureFixture
) -> None:
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    kindly.clock.set(datetime(2027, 1, 3, 12, tzinfo=UTC))
    save_reminder(kindly)
    services, dispatcher = kindly.runtime.services, kindly.runtime.dispatcher
    caplog.set_level(logging.INFO)

    for minutes in (3, 2, 1):
        kindly.clock.set(MONDAY_NINE_BERLIN - timedelta(minutes=minutes))
        tick_and_tell(services, dispatcher)
    assert lines(caplog) == []

    kindly.clock.set(MONDAY_NINE_BERLIN)
    assert tick_and_tell(services, dispatcher).sent == 1
    said = lines(caplog)
    assert len(said) == 1
    assert said[0].startswith("reminders: planned 1, sent 1,")


def test_readyz_probes_log_nothing(kindly: Kindly, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)

    for _ in range(5):
        with urllib.request.urlopen(f"{kindly.base_url}/readyz", timeout=10) as response:  # noqa: S310
            assert response.read() == b"ready"

    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO] == []
