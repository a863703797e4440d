"""Bring the database to the latest Alembic revision. The app never calls create_all."""

from __future__ import annotations

import logging
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


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


def upgrade_to_head(engine: Engine) -> None:
    """Migrate; on PostgreSQL under an advisory lock, so processes starting together take turns."""
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def new_revision(engine: Engine, message: str) -> None:
    """For developers: autogenerate a migration from the models (`kindly makemigration`)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
