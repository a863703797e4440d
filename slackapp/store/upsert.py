"""INSERT ... ON CONFLICT DO NOTHING on both supported backends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Executable, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from slackapp.store.models import Base


def insert_ignoring_conflicts(session: Session, model: type[Base], **values: Any) -> bool:
    """Insert one row unless its key exists; True when this call inserted it."""
    # RETURNING tells reliably whether a row went in (psycopg reports no row count for ORM inserts).
    statement: Executable = (
        _insert(session, model).values(**values).on_conflict_do_nothing().returning(literal_column("1"))
    )
    return session.execute(statement).first() is not None


def insert_all_ignoring_conflicts(
    session: Session, model: type[Base], rows: Sequence[dict[str, Any]]
) -> None:
    """Insert the rows whose keys do not exist yet, in one statement."""
    if rows:
        session.execute(_insert(session, model).values(list(rows)).on_conflict_do_nothing())


def _insert(session: Session, model: type[Base]) -> postgresql.Insert | sqlite.Insert:
    dialect = session.get_bind().dialect.name
    return postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model)
