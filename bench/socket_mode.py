"""Socket Mode clients under a dropped connection and a `disconnect` warning (issue 15).

Run from the repository root:

    .venv/bin/python bench/socket_mode.py                 # every client, 2 rounds each (~5 min)
    .venv/bin/python bench/socket_mode.py --clients websockets,aiohttp --rounds 5

For each client slack_sdk ships (the built-in one, as Bolt's SocketModeHandler starts it; the
websocket-client one, through Bolt's adapter; the asyncio `websockets` and `aiohttp` ones, through
Kindly's SocketModeService, which runs the same Bolt app on a thread pool), a bare Bolt app whose
listener only acks connects to FakeSlack in this process, and then, per round:

- drop: FakeSlack ends the connection with a FIN and no close frame. Measured: seconds until a new
  connection is open (given up after --give-up s), and the CPU this process used meanwhile, in % of one
  core (FakeSlack idles meanwhile, so it is the client's read loop).
- warning: FakeSlack sends `disconnect` (reason `warning`) and sends new envelopes only to the app's
  other connections, closing the old one 10 s later, as Slack does; an envelope is sent at once.
  Measured: seconds from sending the envelope to its ack (the client must open a new connection first).

Goals: a new connection within 15 s of a drop with no busy loop, and every envelope acked within 1 s.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_bolt import App
from slack_sdk import WebClient

from fakeslack import FakeSlack
from slackapp.socket_mode import SocketModeService

CLIENTS = ("builtin", "websocket_client", "websockets", "aiohttp")
APP_TOKEN = "xapp-1-A0APP0001-bench"  # noqa: S105 (FakeSlack's)
COMMAND = {"command": "/bench", "team_id": "T0001", "user_id": "U0BENCH", "api_app_id": "A0APP0001"}


def bare_app(fake: FakeSlack) -> App:
    app = App(
        client=WebClient(token="xoxb-bench", base_url=fake.api_url),  # noqa: S106 (FakeSlack's)
        request_verification_enabled=False,
        token_verification_enabled=False,
    )

    @app.command("/bench")
    def command(ack: Callable[..., None]) -> None:
        ack()

    return app


def connect(kind: str, app: App, fake: FakeSlack) -> Callable[[], None]:
    """Connect with the `kind` client; returns how to stop it."""
    if kind == "builtin":
        from slack_bolt.adapter.socket_mode.builtin import SocketModeHandler

        handler: Any = SocketModeHandler(app, APP_TOKEN)
        handler.connect()
        return lambda: handler.close()
    if kind == "websocket_client":
        from slack_bolt.adapter.socket_mode.websocket_client import SocketModeHandler as WsClientHandler

        handler = WsClientHandler(app, APP_TOKEN)
        handler.connect()
        return lambda: handler.close()
    if kind == "websockets":
        from slack_sdk.socket_mode.websockets import SocketModeClient
    else:
        from slack_sdk.socket_mode.aiohttp import SocketModeClient  # type: ignore[assignment]
    service = SocketModeService(app, app_token=APP_TOKEN, api_url=fake.api_url, client_class=SocketModeClient)
    service.start()
    return service.stop


def newest(fake: FakeSlack, timeout: float = 120.0) -> int:
    return max(fake.socket_mode.wait_for_connections(1, timeout=timeout))


def drop_round(fake: FakeSlack, give_up: float) -> tuple[float | None, float]:
    before = newest(fake)
    fake.socket_mode.drop(before)
    wall, cpu = time.perf_counter(), time.process_time()
    reconnected: float | None = None
    while time.perf_counter() - wall < give_up:
        try:
            numbers = fake.socket_mode.wait_for_connections(1, timeout=0.5)
        except TimeoutError:
            continue
        if max(numbers) > before:
            reconnected = time.perf_counter() - wall
            break
    elapsed = time.perf_counter() - wall
    return reconnected, 100 * (time.process_time() - cpu) / elapsed


def warning_round(fake: FakeSlack) -> float:
    fake.socket_mode.disconnect("warning", connection=newest(fake), close_after=10.0)
    started = time.perf_counter()
    fake.socket_mode.send("slash_commands", COMMAND, timeout=60)
    return time.perf_counter() - started


def bench(kind: str, rounds: int, give_up: float) -> dict[str, Any]:
    with FakeSlack() as fake:
        fake.socket_mode.ack_timeout = 30.0  # measure the client's own latency, not Slack's redelivery
        stop = connect(kind, bare_app(fake), fake)
        try:
            fake.socket_mode.wait_for_connections(1)
            drops = [drop_round(fake, give_up) for _ in range(rounds)]
            newest(fake)
            warnings = [warning_round(fake) for _ in range(rounds)]
        finally:
            stop()
    return {"drops": drops, "warnings": warnings}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--give-up", type=float, default=90.0, help="seconds to wait for a reconnect")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    print(
        "| client | reconnect after a FIN (s), per round | CPU meanwhile (% of a core) "
        "| ack during a `warning` replacement (s), per round |"
    )
    print("|---|---|---|---|")
    for kind in args.clients.split(","):
        print(f"running {kind}…", file=sys.stderr)
        result = bench(kind, args.rounds, args.give_up)
        drops = ", ".join("—" if s is None else f"{s:.2f}" for s, _ in result["drops"])
        missed = sum(1 for s, _ in result["drops"] if s is None)
        cpu = statistics.mean(c for _, c in result["drops"])
        warnings = ", ".join(f"{s:.2f}" for s in result["warnings"])
        note = f" ({missed} not within {args.give_up:g} s)" if missed else ""
        print(f"| {kind} | {drops}{note} | {cpu:.0f} | {warnings} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
