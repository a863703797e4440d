"""Looking at the database as an attacker with a copy of it would."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, MetaData, select
from sqlalchemy.engine import make_url


def raw_database_bytes(engine: Engine) -> bytes:
    """SQLite: the file bytes (with its WAL). PostgreSQL: every column of every row, as bytes."""
    url = make_url(engine.url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        return b"".join(
            candidate.read_bytes()
            for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-journal"))
            if candidate.exists()
        )
    metadata = MetaData()
    metadata.reflect(engine)
    chunks: list[bytes] = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        chunks.append(bytes(value))
                    elif value is not None:
                        chunks.append(str(value).encode("utf-8"))
    return b"\n".join(chunks)
