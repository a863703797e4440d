"""Many workspaces benchmark (issue 14.5): W installed workspaces of P people each, all due at once,
FakeSlack limiting each workspace to about 1 DM/s with a small burst.

    .venv/bin/python bench/many_workspaces.py                          # W=200, P=5 and 20, both backends
    .venv/bin/python bench/many_workspaces.py --workspaces 1000 --people 5 --faults healthy
    .venv/bin/python bench/many_workspaces.py --postgres ''            # SQLite only

Each run: a fresh database, W installations saved through the installation store the OAuth flow
writes to (tokens `xoxb-<team>-…`, which FakeSlack maps back to their workspace), W x P schedules all
due one minute ago, then one `Dispatcher.tick` with real time against FakeSlack in its own process.
Reported: aggregate DMs/s against the bound min(sum of workspace limits, one workspace's unthrottled
rate, measured first); when the last workspace got its first DM against the ideal W / bound; with one
workspace slow (every call answered after 5 s) or refusing (429, Retry-After: 30), how much later the
other workspaces' last DM came than in the healthy run; duplicates. Markdown on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import Table, insert

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scheduling import DEFAULT_POSTGRES, Databases, FakeSlackProcess, postgres_reachable, say, settings_for

from fakeslack import FakeSlack
from fakeslack.methods.people import installed_into
from slackapp.config import Secret, Settings
from slackapp.runtime import build_runtime
from slackapp.scheduling.occurrences import EVERY_DAY, weekdays_to_mask
from slackapp.store.crypto import load_master_keys
from slackapp.store.db import make_engine
from slackapp.store.installations import installation_store
from slackapp.store.migrate import upgrade_to_head
from slackapp.store.models import Schedule
from slackapp.store.sealed_installations import TokenSealer

CLIENT_ID = "111.222"
LIMIT, BURST = 1.0, 3  # FakeSlack's chat.postMessage limit per workspace
PACE, PACE_BURST = 1.0, 2  # the dispatcher's own pace per workspace (post_rate, post_burst)
SLOW_SECONDS, RETRY_AFTER = 5, 30
SCHEDULES = cast(Table, Schedule.__table__)


def team_of(index: int) -> str:
    return f"T{index:06d}"


# -- FakeSlack in its own process, driven by JSON lines on stdin --------------------------------------


def serve_fake_slack() -> int:
    with FakeSlack() as fake:
        print(fake.api_url, flush=True)
        for line in sys.stdin:
            command = json.loads(line)
            kind = command.pop("cmd")
            if kind == "reset":
                fake.reset()
                for method in ("chat.postMessage", "dnd.teamInfo"):
                    fake.release(method, team=command.get("team"))
            elif kind == "limit":
                fake.limit_rate("chat.postMessage", per_second=command["rate"], burst=command["burst"])
            elif kind == "slow":
                for method in ("chat.postMessage", "dnd.teamInfo"):
                    fake.hold(method, team=command["team"], seconds=command["seconds"])
            elif kind == "refuse":
                fake.fail(
                    "chat.postMessage",
                    status=429,
                    retry_after=command["retry_after"],
                    times=-1,
                    team=command["team"],
                )
            elif kind == "stats":
                posts = [
                    (installed_into(c.params.get("token")), c.at, str(c.params.get("channel")))
                    for c in fake.calls("chat.postMessage")
                    if c.delivered
                ]
                limited = fake.rate_limited_count("chat.postMessage")
                print(json.dumps({"posts": posts, "rate_limited": limited}), flush=True)
                continue
            print("{}", flush=True)
    return 0


class FakeSlackCommands(FakeSlackProcess):
    """FakeSlack in its own process, told what to do one JSON line at a time."""

    def __init__(self) -> None:
        super().__init__(command=[sys.executable, __file__, "--serve-fake-slack"])

    def send(self, **command: Any) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(command) + "\n")
        self._process.stdin.flush()
        answer: dict[str, Any] = json.loads(self._process.stdout.readline())
        return answer


# -- one run -------------------------------------------------------------------------------------------


def load(url: str, settings: Settings, *, workspaces: int, people: int, now: datetime) -> None:
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
        sealer = TokenSealer(load_master_keys(settings))  # tokens sealed at rest, as the OAuth flow does
        store = installation_store(engine, client_id=CLIENT_ID, sealer=sealer)
        for index in range(workspaces):
            team = team_of(index)
            store.save(
                Installation(
                    app_id="A0APP0001",
                    team_id=team,
                    bot_token=f"xoxb-{team}-bench-fake",
                    bot_id="B0BOT0001",
                    bot_user_id="U0BOT0001",
                    bot_scopes=["chat:write"],
                    user_id=f"U{index:06d}X",
                    installed_at=now.timestamp(),
                )
            )
        due = now - timedelta(minutes=1)
        rows = [
            {
                "team_id": team_of(index),
                "user_id": f"U{index:06d}{person:03d}",
                "kind": "personal",
                "weekdays": weekdays_to_mask(EVERY_DAY),
                "local_time": due.time().replace(second=0, microsecond=0),
                "tz": "UTC",
                "next_due_at": due,
                "created_at": now - timedelta(days=30),
            }
            for index in range(workspaces)
            for person in range(people)
        ]
        with engine.begin() as connection:
            connection.execute(insert(SCHEDULES), rows)
    finally:
        engine.dispose()


def run(
    dbs: Databases,
    fake: FakeSlackCommands,
    backend: str,
    *,
    workspaces: int,
    people: int,
    fault: str,
    pace: float,
) -> dict[str, Any]:
    url = dbs.fresh(backend, "lanes")
    slow = team_of(0)  # the first workspace in every order
    try:
        fake.send(cmd="reset", team=slow)
        if fault != "unthrottled":
            fake.send(cmd="limit", rate=LIMIT, burst=BURST)
        if fault == "slow":
            fake.send(cmd="slow", team=slow, seconds=SLOW_SECONDS)
        elif fault == "refusing":
            fake.send(cmd="refuse", team=slow, retry_after=RETRY_AFTER)
        burst = PACE_BURST if fault != "unthrottled" else 10_000
        settings = replace(
            settings_for(url, api_url=fake.api_url, post_rate=pace, post_burst=burst),
            bot_token=None,
            client_id=CLIENT_ID,
            client_secret=Secret("bench"),
        )
        load(url, settings, workspaces=workspaces, people=people, now=datetime.now(UTC))
        runtime = build_runtime(settings, migrate=False)
        try:
            started = time.monotonic()
            report = runtime.dispatcher.tick(datetime.now(UTC))
            elapsed = time.monotonic() - started
        finally:
            runtime.close()
        stats = fake.send(cmd="stats")
    finally:
        dbs.drop(url)
    by_team: dict[str, list[float]] = defaultdict(list)
    for team, at, _channel in stats["posts"]:
        by_team[team].append(at - started)
    posts = stats["posts"]
    last = max((at for _, at, _ in posts), default=started) - started
    return {
        "backend": backend,
        "workspaces": workspaces,
        "people": people,
        "fault": fault,
        "dms": len(posts),
        "duplicates": len(posts) - len({channel for _, _, channel in posts}),
        "tick_s": elapsed,
        "last_dm_s": last,
        "rate": len(posts) / max(last, 1e-9),
        "first_dm": {team: min(times) for team, times in by_team.items()},
        "last_dm": {team: max(times) for team, times in by_team.items()},
        "rate_limited": stats["rate_limited"],
        "summary": report.summary(),
        "slow": slow,
    }


# -- the report ----------------------------------------------------------------------------------------


def markdown(results: list[dict[str, Any]], unthrottled: dict[str, float]) -> str:
    out = [
        "| backend | W | P | fault | DMs | aggregate DMs/s | bound | ratio (goal ≥ 0.8) | last first-DM | "
        "ideal | x ideal (goal ≤ 2) | others' delay vs healthy (goal ≤ 10 s) | dupes | 429s | tick |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    healthy = {(r["backend"], r["workspaces"], r["people"]): r for r in results if r["fault"] == "healthy"}
    for r in results:
        bound = min(r["workspaces"] * LIMIT, unthrottled[r["backend"]])
        # Every workspace's first DM fits in its burst: only the process's own rate separates them.
        ideal = r["workspaces"] / unthrottled[r["backend"]]
        others = {t: at for t, at in r["first_dm"].items() if r["fault"] == "healthy" or t != r["slow"]}
        last_first = max(others.values(), default=float("nan"))
        base = healthy.get((r["backend"], r["workspaces"], r["people"]))
        delay = "—"
        if base is not None and r["fault"] in ("slow", "refusing"):
            shifts = [at - base["last_dm"][team] for team, at in r["last_dm"].items() if team != r["slow"]]
            delay = f"{max(shifts):+.1f} s" if shifts else "n/a"
        rate = r["rate"] if r["fault"] == "healthy" else float("nan")
        ratio = f"{rate / bound:.2f}" if r["fault"] == "healthy" else "—"
        out.append(
            f"| {r['backend']} | {r['workspaces']} | {r['people']} | {r['fault']} | {r['dms']} | "
            f"{rate:.0f} | {bound:.0f} | {ratio} | {last_first:.2f} s | {ideal:.2f} s | "
            f"{last_first / ideal:.1f} | {delay} | {r['duplicates']} | {r['rate_limited']} | "
            f"{r['tick_s']:.1f} s |"
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workspaces", type=int, default=200)
    parser.add_argument("--people", default="5,20", help="people per workspace, comma-separated")
    parser.add_argument("--faults", default="healthy,slow,refusing")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="admin URL ('' for SQLite only)")
    parser.add_argument("--pace", type=float, default=PACE, help="the dispatcher's post_rate per workspace")
    parser.add_argument("--serve-fake-slack", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_fake_slack:
        return serve_fake_slack()
    admin = args.postgres if args.postgres and postgres_reachable(args.postgres) else None
    people = [int(p) for p in args.people.split(",") if p]
    faults = [f for f in args.faults.split(",") if f]
    results: list[dict[str, Any]] = []
    unthrottled: dict[str, float] = {}
    began = time.monotonic()
    fake = FakeSlackCommands()
    with tempfile.TemporaryDirectory(prefix="kindly-bench-") as tmp:
        dbs = Databases(Path(tmp), admin)
        try:
            for backend in dbs.backends:
                solo = run(dbs, fake, backend, workspaces=1, people=2000, fault="unthrottled", pace=100_000)
                unthrottled[backend] = solo["rate"]
                say(f"[lanes] {backend}: one workspace unthrottled: {solo['rate']:.0f} DMs/s")
                for count in people:
                    for fault in faults:
                        r = run(
                            dbs,
                            fake,
                            backend,
                            workspaces=args.workspaces,
                            people=count,
                            fault=fault,
                            pace=args.pace,
                        )
                        results.append(r)
                        say(
                            f"[lanes] {backend} W={args.workspaces} P={count} {fault}: {r['dms']} DMs, "
                            f"last at {r['last_dm_s']:.1f} s, {r['rate']:.0f}/s, {r['duplicates']} dupes; "
                            f"{r['summary']}"
                        )
        finally:
            dbs.drop_all()
            fake.stop()
    print(
        f"## Many workspaces: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"{time.monotonic() - began:.0f} s in all; one workspace unthrottled: "
        + ", ".join(f"{backend} {rate:.0f} DMs/s" for backend, rate in unthrottled.items())
        + "\n"
    )
    print(markdown(results, unthrottled))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
