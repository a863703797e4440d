"""Alembic environment: runs on the connection handed over by slackapp.store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from slackapp.store.models import Base

target_metadata = Base.metadata


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """slack_sdk's OAuth tables are created by migration 0005 from the stores' own definitions."""
    return not (type_ == "table" and name is not None and name.startswith("slack_"))


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `kindly migrate`, which provides the database connection")
run_migrations(connection)
