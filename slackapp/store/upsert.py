"""INSERT ... ON CONFLICT DO NOTHING on both supported backends."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Executable, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from slackapp.store.models import Base


def insert_ignoring_conflicts(session: Session, model: type[Base], **values: Any) -> bool:
    """Insert one row unless its key exists; True when this call inserted it."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # RETURNING tells reliably whether a row went in (psycopg reports no row count for ORM inserts).
    statement: Executable = (
        insert(model).values(**values).on_conflict_do_nothing().returning(literal_column("1"))
    )
    return session.execute(statement).first() is not None
