"""Alembic migrations build exactly the models' schema, can be undone on both databases, and import no
application code beyond the models they describe."""

from __future__ import annotations

import ast
from pathlib import Path

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


ROOT = Path(__file__).resolve().parent.parent
MODELS = "slackapp.store.models"


def slackapp_imports(path: Path) -> set[str]:
    """The slackapp modules a file imports, at the top or inside a function."""
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module)
            imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in imported if name == "slackapp" or name.startswith("slackapp.")}


def module_file(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None  # a name imported from a module (a class, a function), not a module


def models_and_what_they_import() -> set[str]:
    allowed, pending = set(), [MODELS]
    while pending:
        name = pending.pop()
        source = module_file(name)
        if name in allowed or source is None:
            continue
        allowed.add(name)
        pending.extend(slackapp_imports(source))
    return allowed


def test_migrations_import_no_application_code_beyond_the_models() -> None:
    allowed = models_and_what_they_import()
    scripts = [ROOT / "migrations" / "env.py", *sorted((ROOT / "migrations" / "versions").glob("*.py"))]
    assert len(scripts) >= 12 and {MODELS, "slackapp.store.types"} <= allowed

    reaching = {
        script.relative_to(ROOT).as_posix(): sorted(
            name for name in slackapp_imports(script) if module_file(name) and name not in allowed
        )
        for script in scripts
    }

    assert {script: modules for script, modules in reaching.items() if modules} == {}
