"""/readyz and Slack: not ready until Slack accepts the bot token, without asking Slack on every probe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakeslack import FakeSlack
from slackapp.config import Secret, Settings
from slackapp.health import SLACK_RECHECK_SECONDS, SlackReadiness, first_reason
from slackapp.slack_client import make_web_client

BOT_TOKEN = "xoxb-readiness-test"


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        yield running


def readiness(fake: FakeSlack, ticks: Ticks) -> SlackReadiness:
    settings = Settings(bot_token=Secret(BOT_TOKEN), api_url=fake.api_url)
    return SlackReadiness(make_web_client(settings, retries=False), monotonic=ticks)


def test_a_refused_token_is_the_reason_and_probes_do_not_flood_slack(fake: FakeSlack) -> None:
    ticks = Ticks()
    ready = readiness(fake, ticks)
    fake.fail("auth.test", "invalid_auth", times=-1)

    reasons = [ready() for _ in range(5)]

    assert (
        reasons
        == [
            "Slack refused the bot token (invalid_auth): copy the Bot User OAuth Token again, "
            "or reinstall the app"
        ]
        * 5
    )
    assert len(fake.calls("auth.test")) == 1  # five probes within the recheck interval, one question

    fake.clear_failures("auth.test")
    assert ready() is not None  # still inside the interval: the last answer stands
    ticks.now += SLACK_RECHECK_SECONDS
    assert ready() is None
    ticks.now += 3600
    assert ready() is None
    assert len(fake.calls("auth.test")) == 2  # once ready, Slack is not asked again


def test_the_first_reason_wins_and_ready_needs_every_check() -> None:
    assert first_reason(lambda: None, lambda: "database unreachable")() == "database unreachable"
    assert first_reason(lambda: "first", lambda: "second")() == "first"
    assert first_reason(lambda: None, lambda: None)() is None


def test_under_oauth_there_is_no_single_token_to_check(fake: FakeSlack) -> None:
    ready = SlackReadiness(make_web_client(Settings(api_url=fake.api_url)), oauth=True)

    assert ready() is None
    assert fake.calls("auth.test") == []
