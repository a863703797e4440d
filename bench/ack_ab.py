"""Interleaved A/B of acknowledgement latency: Kindly and the bare Bolt app served at the same time, each
client alternating its requests between them, so the machine's noise falls on both alike (issue 14).

Run from the repository root (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth):

    .venv/bin/python bench/ack_ab.py                          # 50 clients, one request a second each, 30 s
    .venv/bin/python bench/ack_ab.py --busy 2                 # the same with 2 CPU-burning processes
    .venv/bin/python bench/ack_ab.py --trace                  # and where Kindly's time went (DB or not)
    .venv/bin/python bench/ack_ab.py --quick                  # 10 clients, 5 s: a smoke run

Both apps run under gunicorn as `kindly run --http` serves (bench/ack_latency.py's child processes):
Kindly on a fresh PostgreSQL database, the bare app acking only. Each of `--clients` threads has one
keep-alive connection to each app and, once every `--pace` seconds, sends the same request to both in a
random order: workload "command" a `/kindly`; workload "view" the arrival view, then the practice
save. Latency is the client's, from sending to reading the whole answer.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from cryptography.fernet import Fernet

from fakeslack import FakeSlack

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ack_latency import (
    MAX_CLIENTS,
    MAX_DURATION,
    Client,
    Samples,
    Views,
    bench_database,
    child,
    learn_views,
    quantile,
    run_clients,
)

KINDS = ("/kindly", "view: arrival", "view: practice saved")
COLUMNS = ("workload", "requests (each app)", "Kindly p50 / p99 ms", "bare p50 / p99 ms", "p99 Kindly / bare")
TABLE_HEAD = f"| {' | '.join(COLUMNS)} | errors |"


def burn(until: float) -> None:
    """A process that keeps one CPU busy until `until` (time.monotonic, shared by the machine)."""
    spin = 0
    while time.monotonic() < until:
        spin = (spin * 31 + 7) % 1_000_003


@contextlib.contextmanager
def busy(processes: int, seconds: float) -> Iterator[None]:
    context = multiprocessing.get_context("spawn")
    until = time.monotonic() + seconds
    burners = [context.Process(target=burn, args=(until,), daemon=True) for _ in range(processes)]
    for burner in burners:
        burner.start()
    try:
        yield
    finally:
        for burner in burners:
            burner.terminate()
            burner.join()


def drive(
    ports: dict[str, int],
    fake: FakeSlack,
    workload: str,
    views: Views,
    *,
    clients: int,
    duration: float,
    pace: float,
) -> dict[str, Samples]:
    """Each client sends every request to both apps, in a random order, once every `pace` seconds."""
    samples = {app: Samples() for app in ports}
    deadline = time.monotonic() + duration
    start = threading.Barrier(clients)

    def one_client(index: int) -> None:
        user = f"U0AB{index:03d}"
        connections = {app: Client(port, user, fake) for app, port in ports.items()}
        start.wait()
        next_at = time.monotonic() + random.uniform(0, pace)
        steps: list[Callable[[Client], tuple[float, int, bytes]]]
        if workload == "command":
            steps = [lambda c: c.command()]
        else:
            steps = [lambda c: c.submit(views.arrival), lambda c: c.submit(views.practice)]
        kinds = ["/kindly"] if workload == "command" else ["view: arrival", "view: practice saved"]
        try:
            while time.monotonic() < deadline:
                time.sleep(max(0.0, next_at - time.monotonic()))
                next_at += pace
                for step, kind in zip(steps, kinds, strict=True):
                    order = list(connections)
                    random.shuffle(order)
                    for app in order:
                        seconds, status, _ = step(connections[app])
                        samples[app].add(kind, seconds, status == 200)
        finally:
            for connection in connections.values():
                connection.close()

    run_clients(one_client, clients, wait=duration + 60)
    return samples


def trace_summary(path: Path, kind: str) -> str:
    """Where the slowest 1% of Kindly's `kind` requests spent their time, against the median ones."""
    records = [json.loads(line) for line in path.read_text().splitlines()]
    records = sorted((r for r in records if r["kind"] == kind), key=lambda r: r["total"])
    if len(records) < 20:
        return f"{kind}: too few traced requests"
    tail = records[int(0.99 * len(records)) :]
    middle = records[int(0.45 * len(records)) : int(0.55 * len(records))]

    def mean(rows: list[dict[str, float]], key: str, scale: float = 1000.0) -> float:
        return sum(r[key] for r in rows) / len(rows) * scale

    median_db, tail_db = mean(middle, "db_at_answer"), mean(tail, "db_at_answer")
    median_statements = mean(middle, "statements_at_answer", 1)
    tail_statements = mean(tail, "statements_at_answer", 1)
    return (
        f"{kind}: in the app p50 {records[len(records) // 2]['total'] * 1000:.1f} ms, "
        f"p99 {tail[0]['total'] * 1000:.1f} ms. Before the answer, median requests spent {median_db:.1f} ms "
        f"in {median_statements:.1f} statements; the slowest 1% spent {tail_db:.1f} ms in "
        f"{tail_statements:.1f} (of {mean(tail, 'total'):.1f} ms in the app)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per workload")
    parser.add_argument("--pace", type=float, default=1.0, help="seconds between one client's rounds")
    parser.add_argument("--workloads", default="command,view")
    parser.add_argument("--busy", type=int, default=0, help="CPU-burning processes during the run")
    parser.add_argument("--trace", action="store_true", help="record Kindly's time in the database")
    parser.add_argument("--quick", action="store_true", help="10 clients, 5 s")
    args = parser.parse_args(argv)
    if args.quick:
        args.clients, args.duration = 10, 5.0
    clients = max(1, min(args.clients, MAX_CLIENTS))
    duration = max(1.0, min(args.duration, MAX_DURATION))
    pace = max(0.05, args.pace)
    sys.setswitchinterval(0.0005)
    load = os.getloadavg()
    print(
        f"{clients} clients, {duration:g} s per workload, one round every {pace:g} s, "
        f"{args.busy} burners, {os.cpu_count()} CPUs, load average before {load[0]:.2f} / {load[1]:.2f}\n"
    )
    key = Fernet.generate_key().decode("ascii")
    results: dict[str, dict[str, Samples]] = {}
    with (
        FakeSlack() as fake,
        bench_database() as database_url,
        tempfile.TemporaryDirectory() as logs,
        contextlib.ExitStack() as apps,
    ):
        trace = Path(logs) / "trace.jsonl"
        extra = ("--trace-file", str(trace)) if args.trace else ()
        common = {"fake": fake, "database_url": database_url, "key": key, "logs": Path(logs)}
        ports = {
            "kindly": apps.enter_context(child("gunicorn", "kindly", extra=extra, **common)),  # type: ignore[arg-type]
            "bare": apps.enter_context(child("gunicorn", "bare", **common)),  # type: ignore[arg-type]
        }
        views = learn_views(ports["kindly"], fake)
        with busy(args.busy, duration * len(args.workloads.split(",")) + 5):
            for workload in args.workloads.split(","):
                results[workload] = drive(
                    ports, fake, workload, views, clients=clients, duration=duration, pace=pace
                )
        apps.close()  # stops both apps: the trace file is written on stop
        load = os.getloadavg()
        print(TABLE_HEAD)
        print("|---|---:|---|---|---:|---:|")
        for samples in results.values():
            for kind in KINDS:
                kindly, bare = samples["kindly"].latencies.get(kind), samples["bare"].latencies.get(kind)
                if not kindly or not bare:
                    continue
                ratio = quantile(kindly, 0.99) / quantile(bare, 0.99)
                errors = samples["kindly"].errors.get(kind, 0) + samples["bare"].errors.get(kind, 0)
                print(
                    f"| {kind} | {len(kindly)} | {quantile(kindly, 0.5) * 1000:.1f} / "
                    f"{quantile(kindly, 0.99) * 1000:.1f} | {quantile(bare, 0.5) * 1000:.1f} / "
                    f"{quantile(bare, 0.99) * 1000:.1f} | **{ratio:.2f}x** | {errors} |"
                )
        print(f"\nload average after: {load[0]:.2f} / {load[1]:.2f}")
        if args.trace and trace.exists():
            print("\nWhere Kindly's time went (server side, from the WSGI call to its return):")
            for kind in KINDS:
                print(f"- {trace_summary(trace, kind)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
