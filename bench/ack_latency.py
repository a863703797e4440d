"""Acknowledgement latency of Kindly in HTTP mode, next to a bare Bolt app that only acks (issue 6).

Run from the repository root (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth):

    .venv/bin/python bench/ack_latency.py                         # waitress and gunicorn, 50 clients, 30 s
    .venv/bin/python bench/ack_latency.py --quick                 # 10 clients, 5 s: a smoke run
    .venv/bin/python bench/ack_latency.py --servers gunicorn --pace 0.5

For each server it starts, one after the other, two child processes on 127.0.0.1: Kindly (the real app,
as `kindly run --http --no-scheduler` builds it, on a fresh PostgreSQL database kindly_bench_ack_*,
dropped at the end) and a bare Bolt app whose listeners only call ack(), both wrapped in the same
SlackWSGI and served the same way. FakeSlack runs in this process. Then `--clients` threads send signed
requests for `--duration` seconds, per workload:

- command: `/kindly` slash commands, each with a fresh trigger_id and response_url from FakeSlack;
- view: the kind moment's arrival view submitted with "self_critical" (answered with the practice view),
  then the friends_words practice view submitted with a short text (the reflection is saved).

Latency is measured by the client, from sending the request to reading the whole answer. With `--pace 0`
(default) each client sends its next request as soon as the answer arrives (closed loop: the server is
saturated); with `--pace S` each client sends one request every S seconds (an offered load of
clients/S requests per second). Figures are printed as a Markdown table; see bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import copy
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/ack_latency.py` puts bench/ first, not the repository
    sys.path.insert(0, str(ROOT))

from throwaway_databases import postgres_database  # noqa: E402  (bench/ is first on sys.path)

from fakeslack import FakeSlack  # noqa: E402
from fakeslack.to_app import signed_headers  # noqa: E402

HOST = "127.0.0.1"  # the load generator never targets anything else
# Made-up credentials that only FakeSlack and the local app ever see.
BOT_TOKEN = "xoxb-1-bench-token"  # noqa: S105
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"  # noqa: S105
PRACTICE = "friends_words"
MAX_CLIENTS = 200
MAX_DURATION = 600.0


# -- the child process: one app on one server ----------------------------------------------------------


def serve(args: argparse.Namespace) -> None:
    """Serve Kindly or the bare app on 127.0.0.1:PORT with waitress or gunicorn until SIGTERM."""
    from slackapp.buffering_worker import BufferingThreadWorker
    from slackapp.logs import configure_logging
    from slackapp.server import DEFAULT_THREADS, GunicornServer, Served, make_http_server

    configure_logging("text")
    load = _kindly_loader(args) if args.app == "kindly" else _bare_loader(args)
    if args.trace_file:
        load = _traced(load, Path(args.trace_file))
    if args.serve == "gunicorn":
        worker: type | str = BufferingThreadWorker if args.worker == "buffering" else "gthread"
        server = GunicornServer(load, host=HOST, port=args.port, threads=DEFAULT_THREADS, worker_class=worker)
        raise SystemExit(server.serve())
    served: Served = load()
    server = make_http_server(served.wsgi, host=HOST, port=args.port)
    signal.signal(signal.SIGTERM, lambda *_: server.close())
    try:
        server.run()
    except OSError:
        pass  # the socket closed by SIGTERM
    finally:
        served.close()


# Where a request's time goes (--trace-file): the request's own record, shared by the listener thread
# that Kindly's executor runs in a copy of the request's context.
_TRACE: contextvars.ContextVar[dict[str, float] | None] = contextvars.ContextVar("bench_trace", default=None)


def _traced(load: Callable[[], Any], path: Path) -> Callable[[], Any]:
    """Records, per request, its time in the WSGI app and its time in database statements; written as
    JSON lines to `path` when the server stops. Tells where a tail comes from (`--trace` in ack_ab.py)."""
    from slackapp.server import Served

    def traced_load() -> Served:
        served: Served = load()
        records: list[dict[str, Any]] = []
        lock = threading.Lock()
        engine = getattr(served, "engine", None)
        if engine is not None:
            from sqlalchemy import event

            @event.listens_for(engine, "before_cursor_execute")
            def before(*_: Any) -> None:
                record = _TRACE.get()
                if record is not None:
                    record["_started"] = time.perf_counter()

            @event.listens_for(engine, "after_cursor_execute")
            def after(*_: Any) -> None:
                record = _TRACE.get()
                if record is not None and "_started" in record:
                    record["db"] += time.perf_counter() - record.pop("_started")
                    record["statements"] += 1

        def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
            record = {"db": 0.0, "statements": 0, "kind": environ.get("HTTP_X_BENCH_KIND", "")}
            token = _TRACE.set(record)
            started = time.perf_counter()
            try:
                return served.wsgi(environ, start_response)
            finally:
                # What the listener does after the ack goes on adding to "db"; the ack's share is this.
                record["total"] = time.perf_counter() - started
                record["db_at_answer"], record["statements_at_answer"] = record["db"], record["statements"]
                _TRACE.reset(token)
                with lock:
                    records.append(record)

        def close() -> None:
            served.close()
            with path.open("w") as out:
                for record in records:
                    out.write(json.dumps({k: v for k, v in record.items() if not k.startswith("_")}) + "\n")

        return Served(wsgi=wsgi, close=close)

    return traced_load


def _kindly_loader(args: argparse.Namespace) -> Callable[[], Any]:
    from slackapp.config import Secret, Settings
    from slackapp.runtime import build_runtime
    from slackapp.server import Served

    settings = Settings(
        bot_token=Secret(BOT_TOKEN),
        signing_secret=Secret(SIGNING_SECRET),
        api_url=args.api_url,
        database_url=args.database_url,
        encryption_keys=(Secret(args.key),),
    )
    build_runtime(settings).close()  # migrate before any fork, as `kindly run --http` does

    @dataclass(frozen=True)
    class KindlyServed(Served):
        engine: Any = None  # for --trace-file

    def load() -> Served:
        runtime = build_runtime(settings, migrate=False)
        return KindlyServed(wsgi=runtime.wsgi(), close=runtime.close, engine=runtime.engine)

    return load


def _bare_loader(args: argparse.Namespace) -> Callable[[], Any]:
    from slack_bolt import Ack, App
    from slack_sdk import WebClient

    from slackapp.server import Served
    from slackapp.web import SlackWSGI

    def load() -> Served:
        client = WebClient(token=BOT_TOKEN, base_url=args.api_url)
        app = App(client=client, signing_secret=SIGNING_SECRET, process_before_response=False)

        @app.command("/kindly")
        def command(ack: Ack) -> None:
            ack()

        @app.view("kind_moment_arrival")
        def arrival(ack: Ack) -> None:
            ack()

        @app.view("kind_moment_practice")
        def practice(ack: Ack) -> None:
            ack()

        return Served(wsgi=SlackWSGI(app), close=lambda: None)

    return load


# -- the load generator --------------------------------------------------------------------------------


@dataclass
class Samples:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1


class Client:
    """One keep-alive connection to the app, sending signed requests as Slack does."""

    def __init__(self, port: int, user_id: str, fake: FakeSlack, *, timeout: float = 30.0) -> None:
        self._port = port
        self._timeout = timeout
        self._user = user_id
        self._fake = fake
        self._connection = http.client.HTTPConnection(HOST, port, timeout=timeout)

    def close(self) -> None:
        self._connection.close()

    def post(self, fields: dict[str, str], kind: str = "") -> tuple[float, int, bytes]:
        body = urllib.parse.urlencode(fields).encode("utf-8")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            **signed_headers(SIGNING_SECRET, body),
            "X-Bench-Kind": kind,
        }
        started = time.perf_counter()
        try:
            self._connection.request("POST", "/slack/events", body=body, headers=headers)
            response = self._connection.getresponse()
            data = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self._connection.close()
            self._connection = http.client.HTTPConnection(HOST, self._port, timeout=self._timeout)
            status, data = 599, b""
        return time.perf_counter() - started, status, data

    def command(self) -> tuple[float, int, bytes]:
        return self.post(
            kind="/kindly",
            fields={
                "token": "legacy",
                "team_id": "T0001",
                "team_domain": "kindly-test",
                "channel_id": "C0GENERAL",
                "channel_name": "general",
                "user_id": self._user,
                "user_name": self._user.lower(),
                "command": "/kindly",
                "text": "",
                "api_app_id": "A0APP0001",
                "response_url": self._fake.new_response_url(),
                "trigger_id": self._fake.new_trigger_id(),
            },
        )

    def submit(self, view: dict[str, Any]) -> tuple[float, int, bytes]:
        payload = {
            "type": "view_submission",
            "team": {"id": "T0001", "domain": "kindly-test"},
            "user": {"id": self._user, "username": self._user.lower(), "team_id": "T0001"},
            "api_app_id": "A0APP0001",
            "token": "legacy",
            "trigger_id": self._fake.new_trigger_id(),
            "view": view,
        }
        kind = (
            "view: practice saved" if view.get("callback_id") == "kind_moment_practice" else "view: arrival"
        )
        return self.post({"payload": json.dumps(payload)}, kind=kind)


def fill(view: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """The view as Slack sends it back on submit (radio buttons and text inputs only)."""
    submitted = copy.deepcopy(view)
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input" or block["block_id"] not in answers:
            continue
        element, answer = block["element"], answers[block["block_id"]]
        if element["type"] == "radio_buttons":
            option = next(o for o in element["options"] if o["value"] == answer)
            state: dict[str, Any] = {"type": "radio_buttons", "selected_option": option}
        else:
            state = {"type": element["type"], "value": answer}
        values[block["block_id"]] = {element["action_id"]: state}
    submitted.update(id="V0BENCH", hash="1.bench", state={"values": values})
    return submitted


@dataclass(frozen=True)
class Views:
    arrival: dict[str, Any]  # submitted, answered "self_critical"
    practice: dict[str, Any]  # submitted, every input answered


def learn_views(port: int, fake: FakeSlack) -> Views:
    """Take one kind moment through Kindly to learn the two views the view workload submits."""
    client = Client(port, "U0BENCHSETUP", fake)
    try:
        opened = len(fake.calls("views.open"))
        assert client.command()[1] == 200
        arrival = fake.wait_for("views.open", count=opened + 1, timeout=10)[opened].params["view"]
        _, status, body = client.submit(fill(arrival, {"arrival": "self_critical"}))
        assert status == 200, body
        practice = json.loads(body)["view"]
        inputs = {b["block_id"]: "a kind word" for b in practice["blocks"] if b.get("type") == "input"}
        assert PRACTICE in json.dumps(practice), f"the self_critical arrival did not lead to {PRACTICE}"
        return Views(fill(arrival, {"arrival": "self_critical"}), fill(practice, inputs))
    finally:
        client.close()


def drive(
    port: int, fake: FakeSlack, workload: str, views: Views, *, clients: int, duration: float, pace: float
) -> Samples:
    """`clients` threads, each with its own user and connection, for `duration` seconds."""
    samples = Samples()
    deadline = time.monotonic() + duration
    start = threading.Barrier(clients)

    def one_client(index: int) -> None:
        client = Client(port, f"U0BENCH{index:03d}", fake)
        start.wait()
        next_at = time.monotonic() + random.uniform(0, pace)
        try:
            while time.monotonic() < deadline:
                if pace:
                    time.sleep(max(0.0, next_at - time.monotonic()))
                    next_at += pace
                if workload == "command":
                    seconds, status, _ = client.command()
                    samples.add("/kindly", seconds, status == 200)
                else:
                    seconds, status, _ = client.submit(views.arrival)
                    samples.add("view: arrival", seconds, status == 200)
                    seconds, status, _ = client.submit(views.practice)
                    samples.add("view: practice saved", seconds, status == 200)
        finally:
            client.close()

    run_clients(one_client, clients, wait=duration + 60)
    return samples


def run_clients(one_client: Callable[[int], None], count: int, *, wait: float) -> None:
    """`one_client(i)` for i in range(count), each on its own thread; returns when all end (or `wait` s)."""
    threads = [threading.Thread(target=one_client, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(wait)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- orchestration -------------------------------------------------------------------------------------


def bench_database() -> contextlib.AbstractContextManager[str]:
    return postgres_database("ack")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def child(
    server: str,
    app: str,
    *,
    fake: FakeSlack,
    database_url: str,
    key: str,
    logs: Path,
    extra: tuple[str, ...] = (),
) -> Iterator[int]:
    port = free_port()
    log_path = logs / f"{server}-{app}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--serve",
                server,
                "--app",
                app,
                "--port",
                str(port),
                "--api-url",
                fake.api_url,
                "--database-url",
                database_url,
                f"--key={key}",  # a Fernet key may start with "-"
                *extra,
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{server}/{app} did not start:\n{log_path.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection(HOST, port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", default="waitress,gunicorn", help="comma-separated: waitress,gunicorn")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per workload and app")
    parser.add_argument("--pace", type=float, default=0.0, help="seconds between one client's requests")
    parser.add_argument("--workloads", default="command,view")
    parser.add_argument("--quick", action="store_true", help="10 clients, 5 s")
    # The child process's own options.
    parser.add_argument("--serve", choices=["waitress", "gunicorn"], help=argparse.SUPPRESS)
    parser.add_argument("--app", choices=["kindly", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--key", help=argparse.SUPPRESS)
    parser.add_argument("--trace-file", help=argparse.SUPPRESS)
    parser.add_argument(
        "--worker", choices=["buffering", "gthread"], default="buffering", help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.serve:
        serve(args)
        return 0
    if args.quick:
        args.clients, args.duration = 10, 5.0
    clients = max(1, min(args.clients, MAX_CLIENTS))
    duration = max(1.0, min(args.duration, MAX_DURATION))
    sys.setswitchinterval(0.0005)  # 50 client threads: hand the GIL over quickly so timing stays honest
    workloads = args.workloads.split(",")
    mode = "closed loop" if not args.pace else f"one request per client every {args.pace:g} s"
    print(f"{clients} clients, {duration:g} s per workload and app, {mode}, {os.cpu_count()} CPUs\n")
    print("| server | app | workload | requests | per s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    key = Fernet.generate_key().decode("ascii")
    p99: dict[tuple[str, str, str], float] = {}
    with FakeSlack() as fake, bench_database() as database_url, tempfile.TemporaryDirectory() as logs:
        views: Views | None = None
        for server in args.servers.split(","):
            for app in ("kindly", "bare"):
                with child(
                    server, app, fake=fake, database_url=database_url, key=key, logs=Path(logs)
                ) as port:
                    if views is None:
                        views = learn_views(port, fake)
                    for workload in workloads:
                        failed_before = sum(1 for c in fake.calls("views.open") if c.answered_error)
                        samples = drive(
                            port, fake, workload, views, clients=clients, duration=duration, pace=args.pace
                        )
                        for kind, values in samples.latencies.items():
                            p99[(server, app, kind)] = quantile(values, 0.99)
                            print(
                                f"| {server} | {app} | {kind} | {len(values)} | {len(values) / duration:.0f} "
                                f"| {quantile(values, 0.5) * 1000:.1f} | {quantile(values, 0.95) * 1000:.1f} "
                                f"| {p99[(server, app, kind)] * 1000:.1f} | {max(values) * 1000:.1f} "
                                f"| {samples.errors.get(kind, 0)} |",
                                flush=True,
                            )
                        if workload == "command" and app == "kindly":
                            failed = sum(1 for c in fake.calls("views.open") if c.answered_error)
                            print(f"|  |  | (after the ack: views.open failures {failed - failed_before}) |")
    print("\np99 of Kindly / p99 of the bare app, same server:")
    for (server, app, kind), value in sorted(p99.items()):
        bare = p99.get((server, "bare", kind))
        if app == "kindly" and bare:
            print(f"- {server}, {kind}: {value / bare:.2f}x ({value * 1000:.1f} ms vs {bare * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
