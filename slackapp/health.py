"""Readiness: the database answers and its migrations are at the latest revision."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from slackapp.store.migrate import current_revision, head_revision


class DatabaseReadiness:
    """Call it for None when ready, or a short plain reason (no URL, no password) when not."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._head = head_revision()

    def __call__(self) -> str | None:
        try:
            current = current_revision(self._engine)
        except SQLAlchemyError as error:
            return f"database unreachable ({type(error).__name__})"
        if current != self._head:
            return (
                f"database at migration {current or 'none'}, not the latest {self._head}: run kindly migrate"
            )
        return None
