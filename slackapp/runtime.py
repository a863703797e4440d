"""Assemble a running Kindly from settings: database, keys, renderer, Slack client, Bolt app, dispatcher."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from cryptography.fernet import Fernet, MultiFernet
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from slackapp.app import build_app
from slackapp.config import Settings
from slackapp.flows.digests import post_due_digests
from slackapp.health import DatabaseReadiness, SlackReadiness, first_reason
from slackapp.logs import hold_slack_debug_logging
from slackapp.prompt_ack import PromptAckExecutor
from slackapp.recent import Recent
from slackapp.rendering import Renderer
from slackapp.request_ids import ContextExecutor
from slackapp.scheduling.dispatcher import Dispatcher
from slackapp.scheduling.pacing import Pacer
from slackapp.services import SUPPORT_REMEMBERED_SECONDS, Services, utc_now
from slackapp.slack_client import SLACK_TIMEOUT, make_web_client
from slackapp.socket_mode import PING_INTERVAL, SocketModeServer, SocketModeService
from slackapp.store.crypto import (
    Vault,
    check_master_keys,
    derive_secret,
    holds_data_keys,
    load_master_keys,
    master_key_material,
)
from slackapp.store.db import make_engine, make_session_factory
from slackapp.store.installations import bot_tokens, installation_store, state_store
from slackapp.store.master_keys import register_master_keys
from slackapp.store.migrate import upgrade_to_head
from slackapp.store.quota import QuotaBook
from slackapp.store.sealed_installations import SealedInstallationStore, TokenSealer, seal_stored_tokens
from slackapp.web import SlackWSGI


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    services: Services
    app: App
    listener_executor: ContextExecutor
    dispatcher: Dispatcher

    def wsgi(self) -> SlackWSGI:
        token = self.settings.metrics_token
        slack = SlackReadiness(
            make_web_client(self.settings, retries=False, timeout=5), oauth=self.settings.oauth
        )
        return SlackWSGI(
            self.app,
            readiness=first_reason(DatabaseReadiness(self.engine), slack),
            metrics_token=token.reveal() if token is not None else None,
        )

    def socket_mode(
        self,
        *,
        ping_interval: float = PING_INTERVAL,
        health_host: str = "0.0.0.0",  # noqa: S104 (probes come from the container's runtime)
    ) -> SocketModeServer:
        """Kindly over Socket Mode with SLACK_APP_TOKEN, probes on KINDLY_HEALTH_PORT; `start()` it."""
        settings = self.settings
        assert settings.app_token is not None
        service = SocketModeService(
            self.app,
            app_token=settings.app_token.reveal(),
            api_url=settings.api_url,
            ping_interval=ping_interval,
        )
        return SocketModeServer(
            service,
            DatabaseReadiness(self.engine),
            health_port=settings.health_port,
            health_host=health_host,
            metrics_token=settings.metrics_token.reveal() if settings.metrics_token is not None else None,
        )

    def close(self) -> None:
        """Let running listeners finish, then release the database."""
        self.listener_executor.shutdown(wait=True)
        self.engine.dispose()


@dataclass(frozen=True)
class Foundation:
    """What Kindly stands on before Slack: the database, the services and, under OAuth, its stores."""

    engine: Engine
    services: Services
    installations: SealedInstallationStore | None
    states: SQLAlchemyOAuthStateStore | None
    clients_for: Callable[[Collection[str]], dict[str, WebClient]]  # jobs' clients, many scopes at once


def open_services(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utc_now,
    migrate: bool = True,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    slack_timeout: float = SLACK_TIMEOUT,
) -> Foundation:
    """The database (migrated), the keys (checked) and the services on them: all that needs no Slack."""
    engine = make_engine(settings.database_url)
    if migrate:
        # Existing rows exist only where data keys do: the key file is never created just to migrate.
        upgrade_to_head(engine, master_keys=lambda: load_master_keys(settings, may_create=False))
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        keys = master_key_material(settings, may_create=not holds_data_keys(session))
        master = MultiFernet([Fernet(key) for key in keys])
        check_master_keys(session, master)
        register_master_keys(session, keys, now=clock())
    seal_stored_tokens(engine, TokenSealer(master))
    installations = states = None
    if settings.oauth:
        assert settings.client_id is not None
        installations = installation_store(engine, client_id=settings.client_id, sealer=TokenSealer(master))
        states = state_store(engine)
    dispatch_client = make_web_client(settings, timeout=slack_timeout, retries=False)

    def clients_for(team_ids: Collection[str]) -> dict[str, WebClient]:
        """Jobs' clients for data scopes: under OAuth, each installation's bot token, read in one query."""
        if installations is None:
            return dict.fromkeys(team_ids, dispatch_client)
        tokens = bot_tokens(installations, scopes=team_ids)
        return {
            team_id: make_web_client(
                settings, token=tokens.get(team_id, ""), timeout=slack_timeout, retries=False
            )
            for team_id in team_ids
        }

    def client_for(team_id: str) -> WebClient:
        return clients_for([team_id])[team_id]

    services = Services(
        sessions=sessions,
        vault=Vault(master),
        renderer=Renderer(clock=clock),
        quota_secret=derive_secret(settings, "kindly shout-out quota"),
        quota=QuotaBook(clock),
        self_check=settings.self_check,
        monotonic=monotonic,
        sleep=sleep,
        clock=clock,
        slack_for=client_for,
        support=Recent(SUPPORT_REMEMBERED_SECONDS, monotonic=monotonic),
    )
    return Foundation(
        engine=engine,
        services=services,
        installations=installations,
        states=states,
        clients_for=clients_for,
    )


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
    foundation = open_services(
        settings, clock=clock, migrate=migrate, monotonic=monotonic, sleep=sleep, slack_timeout=slack_timeout
    )
    engine, services = foundation.engine, foundation.services
    # Listeners run on this pool, in a copy of the request's context (its request id); Slack is
    # answered as soon as a listener acks.
    executor = PromptAckExecutor(max_workers=16, thread_name_prefix="kindly-listener")
    app = build_app(
        settings,
        services,
        client=make_web_client(settings, timeout=slack_timeout),
        listener_executor=executor,
        installations=foundation.installations,
        states=foundation.states,
    )
    assert services.slack_for is not None
    dispatcher = Dispatcher(
        services,
        clients_for=foundation.clients_for,
        pacer=Pacer(per_second=settings.post_rate, burst=settings.post_burst, clock=monotonic, sleep=sleep),
        post_digests=partial(post_due_digests, services, services.slack_for),
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
