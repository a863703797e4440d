"""Alembic migrations build exactly the models' schema, and can be undone, on both databases."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from slackapp.store.db import make_engine
from slackapp.store.migrate import alembic_config, current_revision, head_revision, upgrade_to_head
from slackapp.store.models import Base


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith("slack_"))


def test_migrations_match_the_models_and_downgrade_cleanly(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade_to_head(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": include_name}
            )
            assert compare_metadata(context, Base.metadata) == []
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        assert "slack_installations" not in inspect(engine).get_table_names()
        upgrade_to_head(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
