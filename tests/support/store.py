"""The store on its own, for fast tests of store and flow functions: a migrated SQLite database (copied
from one migrated once per test session), the real Vault under a fresh master key, and the Services a
flow takes. No app, no HTTP: these tests read like the store's behaviour, and run in milliseconds."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import Engine

from slackapp.rendering import Renderer
from slackapp.services import Services
from slackapp.store.crypto import Vault
from slackapp.store.db import SessionFactory, flush_deleted_pages, make_engine, make_session_factory
from slackapp.store.migrate import upgrade_to_head
from slackapp.store.quota import QuotaBook

NOW = datetime(2027, 3, 10, 9, 30, tzinfo=UTC)  # a Wednesday


@dataclass
class Store:
    engine: Engine
    sessions: SessionFactory
    master_key: bytes  # the one master key, which `master` holds
    master: MultiFernet
    vault: Vault
    services: Services
    now: datetime


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the latest migration, made once and copied for every test."""
    path = tmp_path_factory.mktemp("migrated") / "kindly.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    flush_deleted_pages(engine)  # everything into the main file, so a copy of it is complete
    engine.dispose()
    return path


@pytest.fixture
def store(migrated_database: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "kindly.sqlite3"
    shutil.copyfile(migrated_database, path)
    engine = make_engine(f"sqlite:///{path}")
    sessions = make_session_factory(engine)
    master_key = Fernet.generate_key()
    master = MultiFernet([Fernet(master_key)])
    vault = Vault(master)
    services = Services(
        sessions=sessions,
        vault=vault,
        renderer=Renderer(),
        quota_secret=b"q" * 32,
        quota=QuotaBook(lambda: NOW),
        clock=lambda: NOW,
    )
    yield Store(
        engine=engine,
        sessions=sessions,
        master_key=master_key,
        master=master,
        vault=vault,
        services=services,
        now=NOW,
    )
    engine.dispose()
