"""What sealing a reflection's practice and kintsugi link costs a journal page (issue 13.6).

Run from the repository root (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth):

    .venv/bin/python bench/journal_metadata.py                 # 100 and 1000 reflections, both databases
    .venv/bin/python bench/journal_metadata.py --postgres ''   # SQLite only

For one person with N reflections, a journal page (the newest 10) is read two ways, alternating, in the
same run: the anchor reads the 10 rows only (what a page cost while practice and link were clear
columns); the measured read also opens every one of the person's sealed metadata, since a gold seam on
an old entry comes from a later kintsugi entry that only its author's key can read. Figures are the
median of `--rounds` reads each, printed as Markdown. The databases are temporary and dropped at the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/journal_metadata.py` puts bench/ first, not the repository
    sys.path.insert(0, str(ROOT))

from throwaway_databases import POSTGRES_ADMIN, postgres_database  # noqa: E402  (bench/ is first on sys.path)

from slackapp.store.crypto import Vault  # noqa: E402
from slackapp.store.db import SessionFactory, make_engine, make_session_factory  # noqa: E402
from slackapp.store.migrate import upgrade_to_head  # noqa: E402
from slackapp.store.reflections import add_reflection, list_entries, list_reflections  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=UTC)


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as directory:
        yield f"sqlite:///{directory}/journal.sqlite3"


def seed(sessions: SessionFactory, vault: Vault, *, user_id: str, count: int) -> None:
    with sessions.begin() as session:
        for minute in range(count):
            add_reflection(
                session,
                vault,
                team_id="T1",
                user_id=user_id,
                practice="comfort",
                answers={"need": "rest " * 40},
                now=START + timedelta(minutes=minute),
            )


def read_page(sessions: SessionFactory, vault: Vault, *, user_id: str, opened: bool) -> object:
    with sessions.begin() as session:
        if opened:
            return list_entries(session, vault, team_id="T1", user_id=user_id, limit=10)
        return list_reflections(session, team_id="T1", user_id=user_id, limit=10)


def timed(read: Callable[[], object], samples: list[float]) -> None:
    started = time.perf_counter()
    read()
    samples.append((time.perf_counter() - started) * 1000)


def measure(url: str, sizes: list[int], rounds: int) -> list[tuple[int, float, float]]:
    engine = make_engine(url)
    upgrade_to_head(engine)
    sessions = make_session_factory(engine)
    vault = Vault(MultiFernet([Fernet(Fernet.generate_key())]))
    results = []
    try:
        for size in sizes:
            user_id = f"U{size}"
            seed(sessions, vault, user_id=user_id, count=size)
            anchor: list[float] = []
            sealed: list[float] = []

            read_rows = partial(read_page, sessions, vault, user_id=user_id, opened=False)
            read_entries = partial(read_page, sessions, vault, user_id=user_id, opened=True)
            for _ in range(rounds):
                timed(read_rows, anchor)
                timed(read_entries, sealed)
            results.append((size, statistics.median(anchor), statistics.median(sealed)))
    finally:
        engine.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="reflections of the one person, comma-separated")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--postgres", default=POSTGRES_ADMIN, help="admin URL; '' for SQLite only")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print("| database | reflections | page, rows only (anchor) | page with sealed metadata | ratio |")
    print("|---|---:|---:|---:|---:|")
    backends: list[tuple[str, Callable[[], AbstractContextManager[str]]]] = [("SQLite", sqlite_url)]
    if args.postgres:
        backends.append(("PostgreSQL", lambda: postgres_database("journal", args.postgres)))
    for name, database in backends:
        with database() as url:
            for size, anchor, sealed in measure(url, sizes, args.rounds):
                print(f"| {name} | {size} | {anchor:.1f} ms | {sealed:.1f} ms | {sealed / anchor:.1f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
