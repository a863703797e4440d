"""The private self-check is off unless the operator switches it on (KINDLY_SELF_CHECK=on): its items
must be confirmed word for word against the published scale first (docs/self-check.md). Off, no surface
offers it, and `/kindly check-in` says plainly that it is not available."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from fakeslack import FakeSlack
from slackapp.config import ConfigError, Settings, load_settings
from tests.conftest import Kindly, running_kindly
from tests.support.views import all_text

SLACK = {"SLACK_BOT_TOKEN": "xoxb-1-x", "SLACK_SIGNING_SECRET": "0123456789abcdef" * 2}


@pytest.fixture
def switched_off(settings: Settings, fake_slack: FakeSlack) -> Iterator[Kindly]:
    yield from running_kindly(replace(settings, self_check=False), fake_slack)


def test_with_the_check_off_check_in_says_so_and_nothing_offers_it(switched_off: Kindly) -> None:
    kindly = switched_off
    reply = kindly.slack.command("check-in").json()
    assert "isn't available" in all_text(reply)
    assert not kindly.fake.calls("views.open")

    helped = kindly.slack.command("help").json()
    assert "check-in" not in all_text(helped)

    assert kindly.slack.home_opened().status == 200
    home = kindly.fake.wait_for("views.publish")[-1].params["view"]
    assert "Your private check-in" not in all_text(home)
    assert not [b for b in home["blocks"] if b.get("block_id") == "home_self_check"]


def test_with_the_check_on_check_in_opens_it(kindly: Kindly) -> None:
    assert kindly.slack.command("check-in").status == 200
    assert kindly.fake.wait_for("views.open")


@pytest.mark.parametrize(
    ("value", "on"), [("", False), ("off", False), ("on", True), ("TRUE", True), ("0", False)]
)
def test_kindly_self_check_reads_on_and_off(value: str, on: bool) -> None:
    env = {**SLACK, "KINDLY_SELF_CHECK": value}
    assert load_settings(env).self_check is on


def test_kindly_self_check_says_what_it_wants_when_misspelt() -> None:
    env = {**SLACK, "KINDLY_SELF_CHECK": "maybe"}
    with pytest.raises(ConfigError, match="KINDLY_SELF_CHECK"):
        load_settings(env)
