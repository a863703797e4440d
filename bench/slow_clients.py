"""Acknowledgement latency of signed `/kindly` while slow connections trickle their bytes (issue 14).

Run from the repository root (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth):

    .venv/bin/python bench/slow_clients.py                          # kindly run --http's worker, 50 slow
    .venv/bin/python bench/slow_clients.py --servers buffering,gthread,waitress
    .venv/bin/python bench/slow_clients.py --slow 200 --duration 10

For each server (`buffering`: gunicorn with Kindly's BufferingThreadWorker, as `kindly run --http`
serves; `gthread`: gunicorn's own threaded worker, as before; `waitress`), Kindly runs in a child
process (bench/ack_latency.py's) on a fresh PostgreSQL database. `--slow` connections each send a
request's headers announcing a 4,000-byte body, then one byte of it every `--trickle` seconds; one the
server closes is opened again at once, as an attacker would. Meanwhile `--clients` clients each send a
signed `/kindly` every `--pace` seconds for `--duration` seconds, first without the slow connections,
then with them. A request unanswered after `--timeout` seconds counts as an error at that latency.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from cryptography.fernet import Fernet

from fakeslack import FakeSlack

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ack_latency import HOST, Client, Samples, bench_database, child, quantile, run_clients

MAX_SLOW = 500
MAX_DURATION = 120.0
ANNOUNCED_BODY = 4000
SLOW_HEAD = (
    b"POST /slack/events HTTP/1.1\r\nHost: kindly\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: %d\r\n\r\n" % ANNOUNCED_BODY
)


class Tricklers:
    """`count` connections, each sending one byte every `trickle` seconds, reopened when closed."""

    def __init__(self, port: int, count: int, trickle: float) -> None:
        self._port, self._count, self._trickle = port, count, trickle
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.reopened = 0
        self.bytes_sent = 0

    def __enter__(self) -> Tricklers:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(30)

    def _open(self) -> socket.socket | None:
        try:
            connection = socket.create_connection((HOST, self._port), timeout=2)
            connection.sendall(SLOW_HEAD)
            return connection
        except OSError:
            return None

    def _run(self) -> None:
        connections = [self._open() for _ in range(self._count)]
        sent = [0] * self._count
        step = self._trickle / max(1, self._count)
        index = 0
        while not self._stop.wait(step):
            connection = connections[index]
            try:
                if connection is None or sent[index] >= ANNOUNCED_BODY - 1:
                    raise OSError("reopen")  # never complete a request: start a new one instead
                connection.sendall(b"x")
                sent[index] += 1
                self.bytes_sent += 1
            except OSError:
                if connection is not None:
                    connection.close()
                connections[index], sent[index] = self._open(), 0
                self.reopened += 1
            index = (index + 1) % self._count
        for connection in connections:
            if connection is not None:
                connection.close()


def drive(
    port: int, fake: FakeSlack, *, clients: int, duration: float, pace: float, timeout: float
) -> Samples:
    samples = Samples()
    deadline = time.monotonic() + duration

    def one_client(index: int) -> None:
        client = Client(port, f"U0SLOW{index:03d}", fake, timeout=timeout)
        next_at = time.monotonic() + random.uniform(0, pace)
        try:
            while time.monotonic() < deadline:
                time.sleep(max(0.0, next_at - time.monotonic()))
                next_at += pace
                seconds, status, _ = client.command()
                samples.add("/kindly", seconds, status == 200)
        finally:
            client.close()

    run_clients(one_client, clients, wait=duration + timeout + 30)
    return samples


@contextlib.contextmanager
def kindly(server: str, fake: FakeSlack, database_url: str, key: str, logs: Path) -> Iterator[int]:
    serve, extra = ("waitress", ()) if server == "waitress" else ("gunicorn", ("--worker", server))
    with child(
        serve, "kindly", fake=fake, database_url=database_url, key=key, logs=logs, extra=extra
    ) as port:
        yield port


def row(server: str, phase: str, samples: Samples, duration: float) -> str:
    values = samples.latencies.get("/kindly", [])
    if not values:
        return f"| {server} | {phase} | 0 | | | | | |"
    return (
        f"| {server} | {phase} | {len(values)} | {quantile(values, 0.5) * 1000:.1f} | "
        f"{quantile(values, 0.99) * 1000:.1f} | {max(values) * 1000:.1f} | "
        f"{samples.errors.get('/kindly', 0)} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", default="buffering", help="any of buffering,gthread,waitress")
    parser.add_argument("--slow", type=int, default=50, help="slow connections")
    parser.add_argument(
        "--trickle", type=float, default=0.5, help="seconds between a slow connection's bytes"
    )
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--pace", type=float, default=0.5, help="seconds between one client's commands")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per phase")
    parser.add_argument("--timeout", type=float, default=5.0, help="a client's wait for an answer")
    args = parser.parse_args(argv)
    slow = max(0, min(args.slow, MAX_SLOW))
    duration = max(1.0, min(args.duration, MAX_DURATION))
    key = Fernet.generate_key().decode("ascii")
    print(
        f"{slow} slow connections (a byte every {args.trickle:g} s each), {args.clients} clients with a "
        f"/kindly every {args.pace:g} s, {duration:g} s per phase, client timeout {args.timeout:g} s\n"
    )
    print("| server | slow connections | requests | p50 ms | p99 ms | max ms | errors |")
    print("|---|---|---:|---:|---:|---:|---:|")
    with FakeSlack() as fake, bench_database() as database_url, tempfile.TemporaryDirectory() as logs:
        for server in args.servers.split(","):
            with kindly(server, fake, database_url, key, Path(logs)) as port:
                options = {
                    "clients": args.clients,
                    "duration": duration,
                    "pace": args.pace,
                    "timeout": args.timeout,
                }
                print(row(server, "none", drive(port, fake, **options), duration), flush=True)
                with Tricklers(port, slow, args.trickle) as tricklers:
                    samples = drive(port, fake, **options)
                print(row(server, f"{slow} (reopened {tricklers.reopened})", samples, duration), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
