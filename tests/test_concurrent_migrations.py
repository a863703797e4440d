"""Several processes starting at once on an empty database migrate it once, without errors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from slackapp.store.db import make_engine
from slackapp.store.migrate import current_revision, head_revision, upgrade_to_head


def test_processes_starting_together_migrate_safely(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite is the single-process embedded default; several replicas need PostgreSQL")
    engines = [make_engine(database_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(upgrade_to_head, engines))
        assert current_revision(engines[0]) == head_revision()
    finally:
        for engine in engines:
            engine.dispose()
