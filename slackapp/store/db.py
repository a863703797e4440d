"""Engine and session factory: the one place that knows how to connect."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from slackapp.private_files import create_private_file, sqlite_file

SessionFactory = sessionmaker[Session]
CONNECT_TIMEOUT = 5  # seconds
# A pooled connection unused this long is pinged before use: the server may have restarted meanwhile.
PING_AFTER_IDLE = 10.0  # seconds


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Deleted rows are overwritten, not left in free pages: forgetting someone must leave no trace.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(database_url: str, *, ping_after_idle: float = PING_AFTER_IDLE) -> Engine:
    """An engine for SQLite (threads share a file) or PostgreSQL.

    `hide_parameters` keeps bound values (which could be private text) out of error messages and logs.
    """
    if database_url.startswith("sqlite"):
        database_file = sqlite_file(database_url)
        if database_file is not None:
            create_private_file(database_file)
        engine = create_engine(database_url, connect_args={"check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    # libpq waits forever for a host that never answers; a URL's own connect_timeout still wins.
    has_timeout = "connect_timeout" in make_url(database_url).query
    timeout = {} if has_timeout else {"connect_timeout": CONNECT_TIMEOUT}
    engine = create_engine(
        database_url, pool_size=10, max_overflow=10, hide_parameters=True, connect_args=timeout
    )
    _ping_idle_connections(engine, after=ping_after_idle)
    return engine


def _ping_idle_connections(engine: Engine, *, after: float) -> None:
    """Ping a pooled connection before use only if it sat idle, instead of on every checkout.

    `pool_pre_ping` costs a round trip per transaction, which measurably delayed acknowledging view
    submissions under load (bench/ack_latency.py); a busy pool's connections are seconds old at most.
    A dead one is replaced at checkout (the pool retries on DisconnectionError), not failed to a person.
    """

    @event.listens_for(engine, "checkin")
    def note_idle_since(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < after:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError("a pooled connection went away while idle") from error


def make_session_factory(engine: Engine) -> SessionFactory:
    return sessionmaker(engine, expire_on_commit=False)


def flush_deleted_pages(engine: Engine) -> None:
    """After deleting someone's data: on SQLite, fold the write-ahead log back and truncate it, so old
    page images holding their rows do not linger in the -wal file. PostgreSQL needs nothing here."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def engine_of(sessions: SessionFactory) -> Engine:
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    return engine
