"""`kindly run` in Socket Mode as an operator starts it: it serves, and a bad token stops it in one line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeslack import FakeSlack
from fakeslack.socket_mode import CONNECT_METHOD
from tests.support.cli import RunningKindly, clean_env, free_port, run_kindly
from tests.support.http import get
from tests.support.slack_requests import SocketSender

BOT_TOKEN = "xoxb-1-socket-cli-token"
APP_TOKEN = "xapp-1-A0APP0001-socket-cli"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def socket_env(home: Path, fake: FakeSlack, **variables: str) -> dict[str, str]:
    tokens = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": fake.api_url}
    return clean_env(home, **{**tokens, **variables})


def assert_one_line(stderr: str, start: str) -> None:
    """The error is one line, the last, and nothing else Kindly wrote is an error or a traceback."""
    assert "Traceback" not in stderr and " ERROR " not in stderr, stderr
    assert stderr.splitlines()[-1].startswith(start), stderr
    assert [line for line in stderr.splitlines() if line.startswith("kindly:")] == [stderr.splitlines()[-1]]


def test_run_serves_slack_over_socket_mode_with_probes_and_stops_cleanly(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    port = free_port()
    env = socket_env(tmp_path, fake_slack, KINDLY_HEALTH_PORT=str(port))
    with RunningKindly("run", "--no-scheduler", cwd=tmp_path, env=env) as kindly:
        kindly.wait_for_line("connected to Slack in Socket Mode")
        kindly.wait_for_line("/readyz")
        starts = kindly.wait_for_line("Kindly starts")
        fake_slack.wait_for(CONNECT_METHOD)
        assert "Kindly starts: Socket Mode; database sqlite:///" in starts
        assert starts.rstrip().endswith(
            "scheduler off here (--no-scheduler): run `kindly scheduler` elsewhere"
        )

        reply = SocketSender(fake=fake_slack).command("help")

        assert "/kindly journal" in json.dumps(reply.json())  # the help, as the ack's payload
        assert get(f"http://127.0.0.1:{port}/healthz") == (200, "ok (socket connected)")
        assert get(f"http://127.0.0.1:{port}/readyz") == (200, "ready")
    log = kindly.stop()
    assert kindly.process.returncode == 0
    assert "Traceback" not in log
    assert fake_slack.socket_mode.connection_numbers() == []  # it closed its connection on SIGTERM


@pytest.mark.parametrize(
    ("revoked", "variable"), [(APP_TOKEN, "SLACK_APP_TOKEN"), (BOT_TOKEN, "SLACK_BOT_TOKEN")]
)
def test_a_revoked_token_stops_run_with_one_line(
    tmp_path: Path, fake_slack: FakeSlack, revoked: str, variable: str
) -> None:
    fake_slack.revoke_token(revoked, error="invalid_auth")

    result = run_kindly("run", "--no-scheduler", cwd=tmp_path, env=socket_env(tmp_path, fake_slack))

    assert result.returncode == 2
    assert_one_line(result.stderr, f"kindly: {variable} was refused by Slack (invalid_auth). ")
    assert fake_slack.socket_mode.connection_numbers() == []


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {"SLACK_APP_TOKEN": "xoxb-pasted-the-wrong-one"},
            "kindly: SLACK_APP_TOKEN should start with 'xapp-'",
        ),
        ({"SLACK_BOT_TOKEN": ""}, "kindly: SLACK_BOT_TOKEN is not set"),
    ],
)
def test_a_malformed_or_missing_token_stops_run_with_one_line(
    tmp_path: Path, fake_slack: FakeSlack, variables: dict[str, str], expected: str
) -> None:
    env = {key: value for key, value in socket_env(tmp_path, fake_slack, **variables).items() if value}
    result = run_kindly("run", cwd=tmp_path, env=env)

    assert result.returncode == 2
    assert_one_line(result.stderr, expected)


def test_an_unreachable_slack_stops_run_with_one_line(tmp_path: Path) -> None:
    env = clean_env(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
        SLACK_API_URL=f"http://127.0.0.1:{free_port()}/api/",
    )
    result = run_kindly("run", cwd=tmp_path, env=env)

    assert result.returncode == 2
    assert_one_line(result.stderr, "kindly: SLACK_API_URL http://127.0.0.1:")
    assert "is unreachable (URLError)" in result.stderr
