"""Bring the database to the latest Alembic revision. The app never calls create_all."""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from cryptography.fernet import MultiFernet
from sqlalchemy import Engine

from slackapp.store.db import flush_deleted_pages

# Loads the master keys, for migrations that seal or open existing rows (called only when they need to).
MasterKeys = Callable[[], MultiFernet]


class _NoContextChatter(logging.Filter):
    """Alembic says which dialect it uses each time it opens a context: on every /readyz probe and
    `kindly doctor`. Those two lines say nothing; its "Running upgrade" lines stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Context impl", "Will assume"))


logging.getLogger("alembic.runtime.migration").addFilter(_NoContextChatter())


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("slackapp.migrations")))
    return config


MIGRATION_LOCK = 0x6B696E64  # "kind": one PostgreSQL advisory lock for everyone migrating Kindly


def upgrade_to_head(engine: Engine, *, master_keys: MasterKeys | None = None) -> None:
    """Migrate; on PostgreSQL under an advisory lock, so processes starting together take turns."""
    upgrade_to(engine, "head", master_keys=master_keys)


def upgrade_to(engine: Engine, revision: str, *, master_keys: MasterKeys | None = None) -> None:
    _run(engine, command.upgrade, revision, master_keys=master_keys)


def downgrade_to(engine: Engine, revision: str, *, master_keys: MasterKeys | None = None) -> None:
    _run(engine, command.downgrade, revision, master_keys=master_keys)


def _run(
    engine: Engine, step: Callable[[Config, str], None], revision: str, *, master_keys: MasterKeys | None
) -> None:
    """Run an Alembic step. Afterwards, on SQLite, page images of rows a migration rewrote (clear
    values it sealed) are folded out of the write-ahead log."""
    config = alembic_config()
    config.attributes["master_keys"] = master_keys
    before = current_revision(engine)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        else:
            # pysqlite opens a transaction only before INSERT/UPDATE/DELETE and runs DDL in autocommit:
            # a migration that stops half-way (say, for want of the master keys) would leave its tables
            # behind without its revision. An explicit BEGIN makes the whole step one transaction.
            connection.exec_driver_sql("BEGIN")
        config.attributes["connection"] = connection
        step(config, revision)
    if current_revision(engine) != before:
        flush_deleted_pages(engine)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
