"""Scheduling benchmarks for issue 3: plan-and-claim at scale, paced fan-out, APScheduler, memory.

Run from the repository root:

    .venv/bin/python bench/scheduling.py                      # 10k, 100k, 1M on SQLite and PostgreSQL
    .venv/bin/python bench/scheduling.py --quick              # a smoke run in under a minute
    .venv/bin/python bench/scheduling.py --sizes 10000,100000 --postgres ''   # SQLite only

Everything runs against 127.0.0.1: a SQLite file in a temporary directory, fresh PostgreSQL databases
named kindly_bench_* (dropped at the end), and FakeSlack. Figures are printed as a Markdown table.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as wall_time
from functools import partial
from pathlib import Path
from typing import Any, TextIO, cast

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from cryptography.fernet import Fernet
from sqlalchemy import Engine, Table, bindparam, create_engine, delete, insert, select, text, update
from sqlalchemy.engine import make_url

from fakeslack import FakeSlack
from slackapp.config import Secret, Settings
from slackapp.runtime import build_runtime
from slackapp.scheduling.occurrences import EVERY_DAY, MONDAY_TO_FRIDAY, next_occurrence, weekdays_to_mask
from slackapp.store.db import make_engine
from slackapp.store.migrate import upgrade_to_head
from slackapp.store.models import Delivery, Schedule

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# Made-up credentials that only FakeSlack and the local app ever see.
BOT_TOKEN = "xoxb-1-bench-token"  # noqa: S105
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"  # noqa: S105
# Monday 4 January 2027, 08:00 UTC: 09:00 in Berlin. Plan-and-claim ticks as of this instant.
BENCH_NOW = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Europe/London",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Africa/Lagos",
    "UTC",
)
LOCAL_TIMES = (wall_time(9, 0), wall_time(8, 30), wall_time(12, 0), wall_time(16, 30))
COLUMNS = ("team_id", "user_id", "kind", "weekdays", "local_time", "tz", "next_due_at", "created_at")
CHUNK = 20_000
SCHEDULES = cast(Table, Schedule.__table__)
DELIVERIES = cast(Table, Delivery.__table__)


# -- results -------------------------------------------------------------------------------------------


@dataclass
class Results:
    plan_claim: list[dict[str, Any]] = field(default_factory=list)
    fanout: list[dict[str, Any]] = field(default_factory=list)
    aps: list[dict[str, Any]] = field(default_factory=list)
    memory: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def secs(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


def human(count: int) -> str:
    if count >= 1_000_000 and count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    if count >= 1000 and count % 1000 == 0:
        return f"{count // 1000}k"
    return str(count)


# -- databases -----------------------------------------------------------------------------------------


class Databases:
    """Hands out fresh databases (SQLite files, PostgreSQL databases) and removes them all at the end."""

    def __init__(self, workdir: Path, postgres_admin: str | None) -> None:
        self._workdir = workdir
        self._admin = postgres_admin
        self._created: list[str] = []

    @property
    def backends(self) -> list[str]:
        return ["sqlite", "postgresql"] if self._admin else ["sqlite"]

    def fresh(self, backend: str, label: str) -> str:
        name = f"kindly_bench_{label}_{uuid.uuid4().hex[:8]}"
        if backend == "sqlite":
            return f"sqlite:///{self._workdir / (name + '.sqlite3')}"
        assert self._admin is not None
        self._as_admin(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return make_url(self._admin).set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
            return
        name = parsed.database or ""
        if name not in self._created or self._admin is None:
            return
        self._as_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.remove(name)

    def _as_admin(self, statement: str) -> None:
        """CREATE or DROP DATABASE, which PostgreSQL runs only outside a transaction."""
        assert self._admin is not None
        admin = create_engine(self._admin, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(statement))
        finally:
            admin.dispose()

    def drop_all(self) -> None:
        for name in list(self._created):
            assert self._admin is not None
            self.drop(make_url(self._admin).set(database=name).render_as_string(hide_password=False))


def postgres_reachable(url: str) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception as error:  # any failure: run SQLite only and say why
        say(f"PostgreSQL at {make_url(url).render_as_string()} is unreachable ({type(error).__name__})")
        return False
    finally:
        engine.dispose()


def settings_for(
    database_url: str, *, api_url: str, post_rate: float = 2.0, post_burst: int = 10
) -> Settings:
    return Settings(
        bot_token=Secret(BOT_TOKEN),
        signing_secret=Secret(SIGNING_SECRET),
        api_url=api_url,
        database_url=database_url,
        encryption_keys=(Secret(Fernet.generate_key().decode()),),
        post_rate=post_rate,
        post_burst=post_burst,
    )


# -- schedules -----------------------------------------------------------------------------------------


class RowMaker:
    """Schedules spread over zones and times; exactly `due` of them due at `now`, spread over the table.

    Due rows are consistent with their zone and time (the local wall clock of `now - k minutes`, every
    day); the others are weekday reminders whose `next_due_at` is their true next occurrence after `now`.
    """

    def __init__(self, *, now: datetime, team_count: int) -> None:
        self._now = now
        self._team_count = team_count
        self._future: dict[tuple[str, wall_time], datetime] = {}
        self._weekdays = weekdays_to_mask(MONDAY_TO_FRIDAY)
        self._every_day = weekdays_to_mask(EVERY_DAY)

    def _next(self, tz: str, at: wall_time) -> datetime:
        key = (tz, at)
        if key not in self._future:
            from zoneinfo import ZoneInfo

            # At least 15 minutes ahead, so that a tick a little after `now` still finds only the due ones.
            found = next_occurrence(
                after=self._now + timedelta(minutes=15), weekdays=MONDAY_TO_FRIDAY, at=at, zone=ZoneInfo(tz)
            )
            assert found is not None
            self._future[key] = found
        return self._future[key]

    def rows(self, total: int, due: int) -> Iterator[tuple[Any, ...]]:
        from zoneinfo import ZoneInfo

        step = max(1, total // max(due, 1))
        created = self._now - timedelta(days=30)
        for i in range(total):
            tz = ZONES[i % len(ZONES)]
            team = f"T{i % self._team_count:05d}"
            if i % step == 0 and i // step < due:
                occurrence = self._now - timedelta(minutes=(i // step) % 15)
                local = occurrence.astimezone(ZoneInfo(tz)).time().replace(second=0, microsecond=0)
                yield (team, f"U{i:09d}", "personal", self._every_day, local, tz, occurrence, created)
            else:
                at = LOCAL_TIMES[(i // len(ZONES)) % len(LOCAL_TIMES)]
                yield (team, f"U{i:09d}", "personal", self._weekdays, at, tz, self._next(tz, at), created)


def chunked(rows: Iterator[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def bulk_load(engine: Engine, rows: Iterator[tuple[Any, ...]]) -> None:
    """SQLite: Core insert() executemany in chunks. PostgreSQL: COPY through psycopg. Then ANALYZE."""
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            connection: Any = raw.driver_connection
            with (
                connection.cursor() as cursor,
                cursor.copy(f"COPY schedules ({', '.join(COLUMNS)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            connection.commit()
        finally:
            raw.close()
    else:
        statement = insert(SCHEDULES)
        with engine.begin() as connection:
            for chunk in chunked(rows, CHUNK):
                connection.execute(statement, [dict(zip(COLUMNS, row, strict=True)) for row in chunk])
    with engine.begin() as connection:
        connection.execute(text("ANALYZE schedules" if engine.dialect.name == "postgresql" else "ANALYZE"))


def uses_due_index(engine: Engine, now: datetime) -> str:
    """Whether the due-schedules query (as lock_due_schedules builds it) reads ix_schedules_next_due_at."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            sql = (
                "EXPLAIN SELECT * FROM schedules WHERE next_due_at <= :now "
                "ORDER BY next_due_at LIMIT 500 FOR UPDATE SKIP LOCKED"
            )
            plan = [row[0] for row in connection.execute(text(sql), {"now": now})]
        else:
            sql = (
                "EXPLAIN QUERY PLAN SELECT * FROM schedules WHERE next_due_at <= :now "
                "ORDER BY next_due_at LIMIT 500"
            )
            stamp = now.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
            plan = [str(row[-1]) for row in connection.execute(text(sql), {"now": stamp})]
    return "yes" if any("ix_schedules_next_due_at" in line for line in plan) else "NO: " + " / ".join(plan)


# -- 1. plan and claim ---------------------------------------------------------------------------------


def bench_plan_claim(
    dbs: Databases, backend: str, *, total: int, due: int, repeats: int, api_url: str, results: Results
) -> None:
    url = dbs.fresh(backend, "plan")
    say(f"[plan+claim] {backend}: loading {total:,} schedules ({due:,} due)")
    engine = make_engine(url)
    runtime = None
    try:
        upgrade_to_head(engine)
        started = time.perf_counter()
        bulk_load(engine, RowMaker(now=BENCH_NOW, team_count=100).rows(total, due))
        load_seconds = time.perf_counter() - started
        with engine.connect() as connection:
            originals = [
                {"b_id": row.id, "b_due": row.next_due_at}
                for row in connection.execute(
                    select(SCHEDULES.c.id, SCHEDULES.c.next_due_at).where(
                        SCHEDULES.c.next_due_at <= BENCH_NOW
                    )
                )
            ]
        assert len(originals) == due, f"{len(originals)} due rows loaded, expected {due}"
        index = uses_due_index(engine, BENCH_NOW)
        runtime = build_runtime(settings_for(url, api_url=api_url), migrate=False)
        dispatcher = runtime.dispatcher
        plans, claims, totals = [], [], []
        for attempt in range(repeats):
            if attempt:
                reset_due(engine, originals)
            t0 = time.perf_counter()
            planned = dispatcher.plan(BENCH_NOW)
            t1 = time.perf_counter()
            claimed = 0
            while batch := dispatcher.claim(BENCH_NOW):
                claimed += len(batch)
            t2 = time.perf_counter()
            if planned != due or claimed != due:
                results.notes.append(
                    f"plan+claim {backend} {human(total)}: planned {planned}, claimed {claimed}, "
                    f"expected {due}"
                )
            plans.append(t1 - t0)
            claims.append(t2 - t1)
            totals.append(t2 - t0)
        best = statistics.median(totals)
        results.plan_claim.append(
            {
                "backend": backend,
                "total": total,
                "due": due,
                "load_s": load_seconds,
                "plan_s": statistics.median(plans),
                "claim_s": statistics.median(claims),
                "total_s": best,
                "per_due_ms": best / due * 1000,
                "index": index,
                "repeats": repeats,
            }
        )
        say(
            f"[plan+claim] {backend} {human(total)} total, {human(due)} due: load {secs(load_seconds)}, "
            f"plan {ms(statistics.median(plans))} + claim {ms(statistics.median(claims))}, index {index}"
        )
    finally:
        if runtime is not None:
            runtime.close()
        engine.dispose()
        dbs.drop(url)


def reset_due(engine: Engine, originals: list[dict[str, Any]]) -> None:
    """Undo one tick: forget the deliveries and put the due schedules back where they were."""
    with engine.begin() as connection:
        connection.execute(delete(DELIVERIES))
        connection.execute(
            update(SCHEDULES)
            .where(SCHEDULES.c.id == bindparam("b_id"))
            .values(next_due_at=bindparam("b_due"))
            .execution_options(synchronize_session=False),
            originals,
        )


# -- 2. fan-out ----------------------------------------------------------------------------------------


class FakeSlackProcess:
    """FakeSlack in its own process (as Slack is), so the app under test does not share its GIL."""

    def __init__(self, *, per_second: float = 0, burst: int = 0, command: Sequence[str] = ()) -> None:
        """`command`: another script serving FakeSlack (default this one's, with a rate limit)."""
        self._process = subprocess.Popen(
            list(command) or [sys.executable, __file__, "--serve-fake-slack", f"{per_second}:{burst}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()
        if not line.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"FakeSlack did not start: {line!r}")
        self.api_url = line

    def stats(self) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write("stats\n")
        self._process.stdin.flush()
        answer: dict[str, Any] = json.loads(self._process.stdout.readline())
        return answer

    def stop(self) -> None:
        if self._process.poll() is None:
            with contextlib.suppress(BrokenPipeError, OSError):
                assert self._process.stdin is not None
                self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)


def serve_fake_slack(spec: str) -> int:
    """The --serve-fake-slack helper: print the API URL, answer `stats` lines with JSON until EOF."""
    rate, burst = spec.split(":")
    with FakeSlack() as fake:
        fake.limit_rate("chat.postMessage", per_second=float(rate), burst=int(burst))
        print(fake.api_url, flush=True)
        for line in sys.stdin:
            if line.strip() != "stats":
                continue
            calls = fake.calls("chat.postMessage")
            ok = [call for call in calls if call.ok]
            print(
                json.dumps(
                    {
                        "calls": len(calls),
                        "ok": len(ok),
                        "distinct_channels": len({str(call.params.get("channel")) for call in ok}),
                        "rate_limited": fake.rate_limited_count("chat.postMessage"),
                        "first_at": ok[0].at if ok else 0.0,
                        "last_at": ok[-1].at if ok else 0.0,
                        "dnd_calls": len(fake.calls("dnd.teamInfo")),
                    }
                ),
                flush=True,
            )
    return 0


def bench_fanout(
    dbs: Databases, backend: str, *, messages: int, limit: float, burst: int, pacer_rate: float,
    pacer_burst: int, results: Results,
) -> None:  # fmt: skip
    url = dbs.fresh(backend, "fanout")
    say(
        f"[fan-out] {backend}: {messages:,} DMs, fake limit {limit:g}/s burst {burst}, pacer {pacer_rate:g}/s"
    )
    engine = make_engine(url)
    fake = FakeSlackProcess(per_second=limit, burst=burst)
    runtime = None
    try:
        upgrade_to_head(engine)
        now = datetime.now(UTC)
        # Every schedule due in the last 15 minutes, in one workspace: one tick sends them all.
        bulk_load(engine, RowMaker(now=now, team_count=1).rows(messages, messages))
        settings = settings_for(url, api_url=fake.api_url, post_rate=pacer_rate, post_burst=pacer_burst)
        runtime = build_runtime(settings, migrate=False)
        # One whole tick: it plans, claims and checks the next batch while the current one is sent.
        now = datetime.now(UTC)
        started, started_monotonic = time.perf_counter(), time.monotonic()
        report = runtime.dispatcher.tick(now)
        elapsed = time.perf_counter() - started
        stats = fake.stats()
        window = max(stats["last_at"] - stats["first_at"], 1e-9)
        # CLOCK_MONOTONIC is one clock for every process of the machine, FakeSlack's included.
        first_post = stats["first_at"] - started_monotonic
        with engine.connect() as connection:
            sent_rows = connection.execute(select(DELIVERIES.c.id).where(DELIVERIES.c.status == "sent")).all()
        results.fanout.append(
            {
                "backend": backend,
                "messages": messages,
                "limit": limit,
                "burst": burst,
                "pacer_rate": pacer_rate,
                "pacer_burst": pacer_burst,
                "tick_s": elapsed,
                "first_post_s": first_post,
                "planned": report.planned,
                "send_rate": stats["ok"] / max(elapsed - first_post, 1e-9),
                "sent": report.sent,
                "sent_rows": len(sent_rows),
                "calls": stats["calls"],
                "ok": stats["ok"],
                "distinct": stats["distinct_channels"],
                "duplicates": stats["ok"] - stats["distinct_channels"],
                "rate_limited": stats["rate_limited"],
                "tick_rate": stats["ok"] / elapsed,
                "window_rate": (stats["ok"] - 1) / window,
                "summary": report.summary(),
            }
        )
        say(
            f"[fan-out] {backend}: {stats['ok']:,} posted in {elapsed:.1f} s "
            f"(first DM after {first_post:.2f} s) "
            f"({stats['ok'] / elapsed:.0f}/s = {stats['ok'] / elapsed / limit:.2f} L), "
            f"{stats['rate_limited']} 429s, {stats['ok'] - stats['distinct_channels']} duplicates; "
            f"{report.summary()}"
        )
    finally:
        if runtime is not None:
            runtime.close()
        fake.stop()
        engine.dispose()
        dbs.drop(url)


# -- 3. APScheduler, one job per reminder ---------------------------------------------------------------


def remind(user_id: str) -> None:
    """The APScheduler job's function (never run here)."""


class StoreOnlyScheduler(BaseScheduler):  # type: ignore[misc]
    """APScheduler's own add_job / get_jobs over its job store, without the loop that runs jobs.

    (A paused BackgroundScheduler is no substitute: its shutdown() processes due jobs once more, after
    its executors have stopped, which logs an error per due job and moves their next_run_time.)
    """

    def wakeup(self) -> None:
        pass

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)


def bench_apscheduler(dbs: Databases, backend: str, *, total: int, due: int, results: Results) -> None:
    url = dbs.fresh(backend, "aps")
    say(f"[apscheduler] {backend}: adding {total:,} cron jobs one by one (scheduler.add_job)")
    try:
        now = datetime.now(UTC)
        past = now - timedelta(minutes=5)
        step = max(1, total // max(due, 1))
        scheduler = StoreOnlyScheduler(jobstores={"default": SQLAlchemyJobStore(url=url)}, timezone=UTC)
        scheduler.start()
        started = time.perf_counter()
        for i in range(total):
            trigger = CronTrigger(day_of_week="mon-fri", hour=9, minute=0, timezone=ZONES[i % len(ZONES)])
            extra: dict[str, Any] = {"next_run_time": past} if i % step == 0 and i // step < due else {}
            scheduler.add_job(remind, trigger, args=[f"U{i:09d}"], id=f"remind-U{i:09d}", **extra)
        load_seconds = time.perf_counter() - started
        scheduler.shutdown()

        # A new process's view: a scheduler over the same store.
        started = time.perf_counter()
        store = SQLAlchemyJobStore(url=url)
        scheduler = StoreOnlyScheduler(jobstores={"default": store}, timezone=UTC)
        scheduler.start()
        start_seconds = time.perf_counter() - started
        started = time.perf_counter()
        every_job = scheduler.get_jobs()
        get_jobs_seconds = time.perf_counter() - started
        started = time.perf_counter()
        due_jobs = store.get_due_jobs(now)
        due_seconds = time.perf_counter() - started
        # What the scheduler then does with each due job: compute its next run and write it back.
        started = time.perf_counter()
        for job in due_jobs:
            job._modify(next_run_time=job.trigger.get_next_fire_time(job.next_run_time, now))
            store.update_job(job)
        advance_seconds = time.perf_counter() - started
        scheduler.shutdown()
        store.engine.dispose()
        if len(every_job) != total or len(due_jobs) != due:
            results.notes.append(
                f"APScheduler {backend}: {len(every_job)} jobs loaded, {len(due_jobs)} due (expected {due})"
            )
        results.aps.append(
            {
                "backend": backend,
                "total": total,
                "due": len(due_jobs),
                "load_s": load_seconds,
                "start_s": start_seconds,
                "get_jobs_s": get_jobs_seconds,
                "due_s": due_seconds,
                "advance_s": advance_seconds,
            }
        )
        say(
            f"[apscheduler] {backend}: add {secs(load_seconds)}, start {ms(start_seconds)}, "
            f"get_jobs {ms(get_jobs_seconds)}, get_due_jobs {ms(due_seconds)}, advance {ms(advance_seconds)}"
        )
    finally:
        dbs.drop(url)


# -- 4. resident memory of `kindly run --http` ----------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def memory_kib(pid: int) -> tuple[int, int]:
    """VmRSS and VmHWM (peak) in KiB from /proc/<pid>/status."""
    values = {"VmRSS": 0, "VmHWM": 0}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in values:
            values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def _pump(stream: TextIO, lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def wait_for_line(lines: queue.Queue[str | None], needle: str, deadline: float, seen: list[str]) -> bool:
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            return False
        if line is None:
            return False
        seen.append(line.rstrip())
        if needle in line:
            return True
    return False


def bench_memory(
    dbs: Databases, backend: str, *, total: int, due: int, workdir: Path, results: Results
) -> None:
    url = dbs.fresh(backend, "rss")
    say(f"[memory] {backend}: `kindly run --http` over {total:,} schedules ({due:,} due now)")
    engine = make_engine(url)
    process: subprocess.Popen[str] | None = None
    seen: list[str] = []
    try:
        upgrade_to_head(engine)
        now = datetime.now(UTC)
        bulk_load(engine, RowMaker(now=now, team_count=1).rows(total, due))
        engine.dispose()
        with FakeSlack() as fake:
            env = {
                key: value
                for key, value in os.environ.items()
                if not key.startswith(("SLACK_", "KINDLY_")) and key != "DATABASE_URL"
            }
            env.update(
                {
                    "SLACK_BOT_TOKEN": BOT_TOKEN,
                    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                    "SLACK_API_URL": fake.api_url,
                    "DATABASE_URL": url,
                    "KINDLY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
                    "KINDLY_POST_RATE": "100",
                    "KINDLY_POST_BURST": "100",
                }
            )
            kindly = Path(sys.executable).with_name("kindly")
            port = free_port()
            started = time.monotonic()
            process = subprocess.Popen(
                [str(kindly), "run", "--http", "--port", str(port), "--host", "127.0.0.1"],
                env=env,
                cwd=workdir,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            assert process.stderr is not None
            lines: queue.Queue[str | None] = queue.Queue()
            threading.Thread(target=_pump, args=(process.stderr, lines), daemon=True).start()
            if not wait_for_line(lines, "listening", started + 60, seen):
                raise RuntimeError("kindly did not log 'listening':\n" + "\n".join(seen[-20:]))
            startup_seconds = time.monotonic() - started
            rss_start, _ = memory_kib(process.pid)
            tick_seen = any("dispatcher tick at" in line for line in seen) or wait_for_line(
                lines, "dispatcher tick at", time.monotonic() + 180, seen
            )
            if not tick_seen:
                raise RuntimeError("no dispatcher tick was logged:\n" + "\n".join(seen[-20:]))
            samples = []
            for _ in range(5):
                samples.append(memory_kib(process.pid))
                time.sleep(0.2)
            tick_line = next(line for line in seen if "dispatcher tick at" in line)
            posted = sum(1 for call in fake.calls("chat.postMessage") if call.ok)
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        results.memory.append(
            {
                "backend": backend,
                "total": total,
                "due": due,
                "startup_s": startup_seconds,
                "rss_start_mb": rss_start / 1024,
                "rss_tick_mb": max(rss for rss, _ in samples) / 1024,
                "hwm_mb": max(hwm for _, hwm in samples) / 1024,
                "posted": posted,
                "tick": tick_line.split(": ", 1)[-1],
            }
        )
        after, peak = max(rss for rss, _ in samples) / 1024, max(hwm for _, hwm in samples) / 1024
        say(
            f"[memory] {backend}: up in {startup_seconds:.1f} s at {rss_start / 1024:.0f} MB; "
            f"after the tick {after:.0f} MB (peak {peak:.0f} MB)"
        )
    finally:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        engine.dispose()
        dbs.drop(url)


# -- report --------------------------------------------------------------------------------------------


def markdown(results: Results, *, fanout_goal: float) -> str:
    out: list[str] = []
    out.append("### 1. Plan-and-claim of one tick (median of repeats)\n")
    out.append("| backend | schedules | due | load | plan | claim | plan+claim | per due | index used |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results.plan_claim:
        out.append(
            f"| {r['backend']} | {human(r['total'])} | {human(r['due'])} | {secs(r['load_s'])} | "
            f"{ms(r['plan_s'])} | {ms(r['claim_s'])} | **{ms(r['total_s'])}** | "
            f"{r['per_due_ms']:.2f} ms | {r['index']} |"
        )
    if results.fanout:
        out.append("\n### 2. Fan-out of DMs in one workspace against FakeSlack's rate limit L\n")
        out.append(
            "| backend | DMs | L (burst) | pacer (burst) | tick (first DM after) | achieved (whole tick) "
            "| achieved (from first DM) | achieved (first to last post) | duplicates | 429s |"
        )
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in results.fanout:
            fraction = r["tick_rate"] / r["limit"]
            mark = "" if fraction >= fanout_goal else " (below goal)"
            out.append(
                f"| {r['backend']} | {r['ok']:,} of {r['messages']:,} | {r['limit']:g}/s ({r['burst']}) | "
                f"{r['pacer_rate']:g}/s ({r['pacer_burst']}) | "
                f"{r['tick_s']:.1f} s ({r['first_post_s']:.2f} s) | "
                f"{r['tick_rate']:.0f}/s = **{fraction:.2f} L**{mark} | "
                f"{r['send_rate']:.0f}/s = {r['send_rate'] / r['limit']:.2f} L | "
                f"{r['window_rate']:.0f}/s = {r['window_rate'] / r['limit']:.2f} L | "
                f"{r['duplicates']} ({r['distinct']:,} channels, {r['ok']:,} posts) | {r['rate_limited']} |"
            )
    if results.aps:
        out.append("\n### 3. APScheduler 3 (one cron job per reminder, SQLAlchemyJobStore) vs Kindly\n")
        out.append(
            "| backend | reminders | APS add_job (load) | APS start | APS get_jobs (all) | "
            "APS get_due_jobs | APS advance due | Kindly bulk load | Kindly plan+claim |"
        )
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in results.aps:
            ours = next(
                (
                    p
                    for p in results.plan_claim
                    if p["backend"] == r["backend"] and p["total"] == r["total"] and p["due"] == r["due"]
                ),
                None,
            )
            kindly_load = secs(ours["load_s"]) if ours else "n/a"
            kindly_tick = ms(ours["total_s"]) if ours else "n/a"
            out.append(
                f"| {r['backend']} | {human(r['total'])} ({human(r['due'])} due) | {secs(r['load_s'])} | "
                f"{ms(r['start_s'])} | {ms(r['get_jobs_s'])} | {ms(r['due_s'])} | {ms(r['advance_s'])} | "
                f"{kindly_load} | {kindly_tick} |"
            )
    if results.memory:
        out.append("\n### 4. Resident memory of `kindly run --http`\n")
        out.append(
            "| backend | schedules | start-up | RSS after start | RSS after a tick | peak (VmHWM) | tick |"
        )
        out.append("|---|---:|---:|---:|---:|---:|---|")
        for r in results.memory:
            out.append(
                f"| {r['backend']} | {human(r['total'])} ({human(r['due'])} due) | {r['startup_s']:.1f} s | "
                f"{r['rss_start_mb']:.0f} MB | **{r['rss_tick_mb']:.0f} MB** | {r['hwm_mb']:.0f} MB | "
                f"{r['tick']} |"
            )
    if results.notes:
        out.append("\nNotes:\n")
        out.extend(f"- {note}" for note in results.notes)
    return "\n".join(out)


# -- main ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    sizes: list[int]
    due: int
    due_scaling: tuple[int, int]  # (total, due): the extra "more due" point
    repeats: int
    fanout_messages: int
    fanout_limit: float
    fanout_burst: int
    aps_total: int
    memory_total: int
    memory_due: int


def make_plan(args: argparse.Namespace) -> Plan:
    if args.quick:
        sizes = args.sizes or [5_000, 20_000]
        return Plan(
            sizes=sizes,
            due=1000,
            due_scaling=(max(sizes), 5000),
            repeats=1,
            fanout_messages=args.messages or 600,
            fanout_limit=args.rate,
            fanout_burst=args.burst,
            aps_total=2000,
            memory_total=20_000,
            memory_due=200,
        )
    sizes = args.sizes or [10_000, 100_000, 1_000_000]
    scaling_total = 100_000 if 100_000 in sizes else max(sizes)
    return Plan(
        sizes=sizes,
        due=1000,
        due_scaling=(scaling_total, 5000),
        repeats=3,
        fanout_messages=args.messages or 10_000,
        fanout_limit=args.rate,
        fanout_burst=args.burst,
        aps_total=scaling_total,
        memory_total=100_000,
        memory_due=1000,
    )


def git_commit() -> str:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    status = ["git", "status", "--porcelain", "--", "slackapp", "migrations"]
    dirty = subprocess.run(status, capture_output=True, text=True, check=False)
    return (head.stdout.strip() or "?") + (" + uncommitted changes" if dirty.stdout.strip() else "")


def run_all(args: argparse.Namespace) -> int:
    plan = make_plan(args)
    commit = git_commit()
    admin = args.postgres if args.postgres and postgres_reachable(args.postgres) else None
    results = Results()
    pacer_rate = round(plan.fanout_limit * args.pacer_fraction, 1)
    pacer_burst = args.pacer_burst or max(1, plan.fanout_burst // 4)
    started = time.monotonic()
    # Bolt asks auth.test at start-up: plan-and-claim runs against an idle FakeSlack it never posts to.
    with tempfile.TemporaryDirectory(prefix="kindly-bench-") as tmp, FakeSlack() as idle:
        dbs = Databases(Path(tmp), admin)
        try:
            steps: list[Callable[[], None]] = []
            scaling_total, scaling_due = plan.due_scaling
            for backend in dbs.backends if "plan" not in args.skip else []:
                for total in plan.sizes:
                    steps.append(
                        partial(bench_plan_claim, dbs, backend, total=total, due=plan.due,
                                repeats=plan.repeats, api_url=idle.api_url, results=results)
                    )  # fmt: skip
                steps.append(
                    partial(bench_plan_claim, dbs, backend, total=scaling_total, due=scaling_due,
                            repeats=plan.repeats, api_url=idle.api_url, results=results)
                )  # fmt: skip
            if "fanout" not in args.skip:
                steps.extend(
                    partial(bench_fanout, dbs, backend, messages=plan.fanout_messages,
                            limit=plan.fanout_limit, burst=plan.fanout_burst, pacer_rate=pacer_rate,
                            pacer_burst=pacer_burst, results=results)
                    for backend in dbs.backends
                )  # fmt: skip
            if "apscheduler" not in args.skip:
                for backend in dbs.backends:
                    if plan.aps_total not in plan.sizes:
                        steps.append(
                            partial(bench_plan_claim, dbs, backend, total=plan.aps_total, due=plan.due,
                                    repeats=plan.repeats, api_url=idle.api_url,
                                    results=results)
                        )  # fmt: skip
                    steps.append(
                        partial(bench_apscheduler, dbs, backend, total=plan.aps_total, due=plan.due,
                                results=results)
                    )  # fmt: skip
            if "memory" not in args.skip:
                steps.extend(
                    partial(bench_memory, dbs, backend, total=plan.memory_total, due=plan.memory_due,
                            workdir=Path(tmp), results=results)
                    for backend in dbs.backends
                )  # fmt: skip
            for step in steps:
                step()
        finally:
            dbs.drop_all()
    elapsed = time.monotonic() - started
    ended = git_commit()
    if ended != commit:
        commit = f"{commit} (at the start; {ended} at the end)"
    print(
        f"## Kindly scheduling benchmarks: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit}, "
        f"{os.cpu_count()} CPUs, backends {', '.join(dbs.backends)}, {elapsed:.0f} s in all\n"
    )
    print(markdown(results, fanout_goal=0.9))
    return 0


def parse_sizes(text_value: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text_value.split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=parse_sizes, help="schedule counts (default 10000,100000,1000000)")
    parser.add_argument(
        "--postgres",
        default=DEFAULT_POSTGRES,
        help=f"admin URL for fresh databases ('' to skip; {DEFAULT_POSTGRES})",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run in under a minute")
    parser.add_argument(
        "--rate", type=float, default=150.0, help="FakeSlack chat.postMessage limit L per second"
    )
    parser.add_argument("--burst", type=int, default=20, help="FakeSlack chat.postMessage burst")
    parser.add_argument(
        "--pacer-fraction", type=float, default=0.95, help="the dispatcher's post_rate as a fraction of L"
    )
    parser.add_argument(
        "--pacer-burst",
        type=int,
        default=0,
        help="the dispatcher's post_burst (default a quarter of FakeSlack's burst: see README)",
    )
    parser.add_argument("--messages", type=int, help="DMs in the fan-out (default 10000; quick 600)")
    parser.add_argument(
        "--skip", default="", help="comma-separated parts to skip: plan, fanout, apscheduler, memory"
    )
    parser.add_argument("--serve-fake-slack", metavar="RATE:BURST", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_fake_slack:
        return serve_fake_slack(args.serve_fake_slack)
    args.skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    return run_all(args)


if __name__ == "__main__":
    raise SystemExit(main())
