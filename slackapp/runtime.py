"""Assemble a running Kindly from settings: database, keys, renderer, Slack client and Bolt app."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine

from slackapp.app import build_app
from slackapp.config import Settings
from slackapp.health import DatabaseReadiness
from slackapp.logs import hold_slack_debug_logging
from slackapp.rendering import Renderer
from slackapp.request_ids import ContextExecutor
from slackapp.scheduling.dispatcher import Dispatcher
from slackapp.scheduling.pacing import Pacer
from slackapp.services import Services, utc_now
from slackapp.slack_client import SLACK_TIMEOUT, make_web_client
from slackapp.store.crypto import Vault, check_master_keys, derive_secret, holds_data_keys, load_master_keys
from slackapp.store.db import make_engine, make_session_factory
from slackapp.store.installations import bot_token, installation_store, state_store
from slackapp.store.migrate import upgrade_to_head
from slackapp.web import SlackWSGI


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    services: Services
    app: App
    listener_executor: ThreadPoolExecutor
    dispatcher: Dispatcher

    def wsgi(self) -> SlackWSGI:
        return SlackWSGI(self.app, readiness=DatabaseReadiness(self.engine))

    def close(self) -> None:
        """Let running listeners finish, then release the database."""
        self.listener_executor.shutdown(wait=True)
        self.engine.dispose()


def build_runtime(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utc_now,
    migrate: bool = True,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    slack_timeout: float = SLACK_TIMEOUT,
) -> Runtime:
    """Everything wired together. Tests pass a clock, and a monotonic clock and sleep that they advance."""
    hold_slack_debug_logging()
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade_to_head(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        master = load_master_keys(settings, may_create=not holds_data_keys(session))
        check_master_keys(session, master)
    services = Services(
        sessions=sessions,
        vault=Vault(master),
        renderer=Renderer(),
        quota_secret=derive_secret(settings, "kindly shout-out quota"),
        monotonic=monotonic,
        sleep=sleep,
        clock=clock,
    )
    # Listeners run after the ack on this pool, in a copy of the request's context (its request id).
    executor = ContextExecutor(max_workers=16, thread_name_prefix="kindly-listener")
    installations = states = None
    if settings.oauth:
        assert settings.client_id is not None
        installations = installation_store(engine, client_id=settings.client_id)
        states = state_store(engine)
    app = build_app(
        settings,
        services,
        client=make_web_client(settings, timeout=slack_timeout),
        listener_executor=executor,
        installations=installations,
        states=states,
    )
    dispatch_client = make_web_client(settings, timeout=slack_timeout, retries=False)

    def client_for(team_id: str) -> WebClient:
        """The dispatcher's client for a data scope: its installation's bot token under OAuth."""
        if installations is None:
            return dispatch_client
        token = bot_token(installations, scope=team_id) or ""
        return make_web_client(settings, token=token, timeout=slack_timeout, retries=False)

    dispatcher = Dispatcher(
        services,
        client_for=client_for,
        pacer=Pacer(per_second=settings.post_rate, burst=settings.post_burst, clock=monotonic, sleep=sleep),
        grace=settings.grace,
        sleep=sleep,
        monotonic=monotonic,
    )
    return Runtime(
        settings=settings,
        engine=engine,
        services=services,
        app=app,
        listener_executor=executor,
        dispatcher=dispatcher,
    )
