"""Fixtures: the real app in HTTP mode on a real socket, a fake Slack, and a real database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from fakeslack import FakeSlack
from slackapp.config import Secret, Settings
from slackapp.runtime import Runtime, build_runtime
from slackapp.scheduling.tick_report import TickReport
from slackapp.server import BackgroundServer
from slackapp.slack_client import SLACK_TIMEOUT
from slackapp.socket_mode import SocketModeServer
from tests.support.clock import TestClock, VirtualTime
from tests.support.slack_requests import SlackSender, SocketSender

POSTGRES_URL = os.environ.get("KINDLY_TEST_POSTGRES_URL", "")
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5".replace("y", "a").replace("z", "b")
BOT_TOKEN = "xoxb-1-test-token"
APP_TOKEN = "xapp-1-A0APP0001-test-token"
Transport = Literal["http", "socket"]
TRANSPORTS: tuple[Transport, ...] = ("http", "socket")
UNINSTALL_GRACE = timedelta(days=30)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a throwaway schema on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kindly.sqlite3'}"
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL variant: set KINDLY_TEST_POSTGRES_URL (as .ci/run does) to run it")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def settings(database_url: str, fake_slack: FakeSlack) -> Settings:
    return Settings(
        bot_token=Secret(BOT_TOKEN),
        signing_secret=Secret(SIGNING_SECRET),
        api_url=fake_slack.api_url,
        database_url=database_url,
        encryption_keys=(Secret(Fernet.generate_key().decode()),),
        self_check=True,  # off by default (config.Settings.self_check); test_self_check_switch.py tries off
    )


@dataclass
class Kindly:
    """The running app, the fake Slack it talks to, and a sender of signed requests."""

    runtime: Runtime
    fake: FakeSlack
    slack: SlackSender
    base_url: str
    clock: TestClock
    time: VirtualTime
    socket: SocketModeServer | None = None  # the connection, in Socket Mode

    def dispatch(self, now: datetime) -> TickReport:
        """One dispatcher tick as of `now`, exactly what `kindly dispatch --now` runs."""
        return self.runtime.dispatcher.tick(now)

    def settle(self) -> None:
        """Wait until every listener that Slack's requests started has finished (ends the app)."""
        self.runtime.listener_executor.shutdown(wait=True)

    def idle(self) -> None:
        """Wait until every listener started so far has finished its work after the ack (app goes on)."""
        assert self.runtime.listener_executor.wait_idle(timeout=60), "listeners still running after 60 s"


@pytest.fixture
def transport() -> Transport:
    """How Slack reaches Kindly; @pytest.mark.parametrize("transport", TRANSPORTS) runs a test over both."""
    return "http"


@pytest.fixture
def kindly(settings: Settings, fake_slack: FakeSlack, transport: Transport) -> Iterator[Kindly]:
    yield from running_kindly(settings, fake_slack, transport)


def distributed_settings(settings: Settings) -> Settings:
    """Kindly distributed through OAuth: no bot token of its own, installations in the database."""
    return replace(settings, bot_token=None, client_id="111.222", client_secret=Secret("s3cr3t"))


@pytest.fixture
def distributed(settings: Settings, fake_slack: FakeSlack) -> Iterator[Kindly]:
    """Kindly distributed through OAuth; an uninstalled workspace's data is deleted at once (the default)."""
    yield from running_kindly(distributed_settings(settings), fake_slack)


def settings_with_grace(settings: Settings) -> Settings:
    """Distributed through OAuth, holding an uninstalled workspace's data for UNINSTALL_GRACE."""
    return replace(distributed_settings(settings), uninstall_grace=UNINSTALL_GRACE)


@pytest.fixture
def distributed_with_grace(settings: Settings, fake_slack: FakeSlack) -> Iterator[Kindly]:
    yield from running_kindly(settings_with_grace(settings), fake_slack)


def socket_mode_settings(settings: Settings) -> Settings:
    """Socket Mode, as `kindly run` with SLACK_APP_TOKEN; probes on a free port (KINDLY_HEALTH_PORT)."""
    return replace(settings, app_token=Secret(APP_TOKEN), signing_secret=None, health_port=0)


def running_kindly(
    settings: Settings,
    fake_slack: FakeSlack,
    transport: Transport = "http",
    *,
    slack_timeout: float = SLACK_TIMEOUT,
) -> Iterator[Kindly]:
    """The real app over real HTTP, or connected over Socket Mode, with these settings; stopped cleanly.

    In Socket Mode `base_url` is the probes' port (/healthz, /readyz).
    """
    clock, virtual_time = TestClock(), VirtualTime()
    if transport == "socket":
        settings = socket_mode_settings(settings)
    runtime = build_runtime(
        settings,
        clock=clock,
        monotonic=virtual_time.monotonic,
        sleep=virtual_time.sleep,
        slack_timeout=slack_timeout,
    )
    sender: SlackSender
    server: BackgroundServer | SocketModeServer
    if transport == "socket":
        server = runtime.socket_mode(health_host="127.0.0.1").start()
        assert server.health_url is not None
        base_url, sender = server.health_url, SocketSender(fake=fake_slack)
    else:
        server = BackgroundServer(runtime.wsgi()).start()
        base_url = server.base_url
        sender = SlackSender(
            events_url=f"{base_url}/slack/events", signing_secret=SIGNING_SECRET, fake=fake_slack
        )
    try:
        yield Kindly(
            runtime=runtime,
            fake=fake_slack,
            slack=sender,
            base_url=base_url,
            clock=clock,
            time=virtual_time,
            socket=server if isinstance(server, SocketModeServer) else None,
        )
    finally:
        server.stop()
        runtime.close()
