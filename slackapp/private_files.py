"""Files that hold secrets (the SQLite database, the master key file) are readable by their owner only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

PRIVATE_MODE = 0o600


def sqlite_file(database_url: str) -> Path | None:
    """The database file of a SQLite URL; None for PostgreSQL or an in-memory database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in {None, "", ":memory:"}:
        return None
    return Path(url.database or "")


def create_private_file(path: Path) -> None:
    """Create an empty file with mode 0600 unless it exists (SQLite gives its -wal and -shm files the
    database file's mode, so they are private too)."""
    if not path.parent.is_dir():
        return  # SQLite's own error names the missing directory better than we could
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return
    os.fchmod(descriptor, PRIVATE_MODE)  # whatever the umask
    os.close(descriptor)


def exposed_to_others(path: Path) -> bool:
    """Whether the group or others may read or write the file."""
    return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))
