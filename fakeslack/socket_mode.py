"""Socket Mode as Slack documents it: apps.connections.open, then envelopes over a WebSocket.

An app asks apps.connections.open (with its `xapp-` token) for a single-use `ws://127.0.0.1:PORT/link/?ticket=`
URL, connects, and gets `hello`. Each envelope (`slash_commands`, `interactive`, `events_api`) goes to
one connection of the app; the app acks it with `{"envelope_id": ..., "payload": {...}?}`. An envelope
not acked within `ack_timeout`, or whose connection went away first, is sent again on a live connection
with `retry_attempt` + 1, up to `max_retries` times. `disconnect` (reason `warning` or
`refresh_requested`) tells a connection it will close; new envelopes then go to the app's other
connections, and the fake closes it after `close_after` seconds. `drop` ends a connection with a FIN and
no close frame, as a load balancer does.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
import socket
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from fakeslack.answers import Answer
from fakeslack.records import CallLog, RecordedCall
from fakeslack.tokens import TokenRegistry

EnvelopeType = Literal["slash_commands", "interactive", "events_api"]
DisconnectReason = Literal["warning", "refresh_requested"]

MAX_CONNECTIONS = 10  # per app, as Slack allows
ACK_METHOD = "socket_mode.ack"
ENVELOPE_METHOD = "socket_mode.envelope"
CONNECT_METHOD = "socket_mode.connect"
CLOSED_METHOD = "socket_mode.closed"


class NotAcknowledgedError(AssertionError):
    """The app acked no attempt of an envelope (Slack would show the person an error)."""


@dataclass(frozen=True)
class Ack:
    """The app's acknowledgement of one envelope."""

    envelope_id: str
    payload: dict[str, Any] | None
    retry_attempt: int  # the attempt that was acked
    connection: int


@dataclass
class _Connection:
    number: int
    socket: ServerConnection
    draining: bool = False
    gone: asyncio.Event = field(default_factory=asyncio.Event)


class SocketModeHub:
    """The Socket Mode side of FakeSlack: one asyncio loop on a daemon thread, driven from test threads."""

    def __init__(
        self,
        *,
        app_id: str,
        tokens: TokenRegistry,
        calls: CallLog,
        ack_timeout: float = 3.0,
        max_retries: int = 3,
        ping_interval: float | None = 10.0,
    ) -> None:
        self._app_id = app_id
        self._tokens = tokens
        self._calls = calls
        self.ack_timeout = ack_timeout
        self._max_retries = max_retries
        self._ping_interval = ping_interval
        self._lock = threading.Lock()
        self._tickets: set[str] = set()
        self._numbers = itertools.count(1)
        self._envelope_numbers = itertools.count(1)
        self._connections: dict[int, _Connection] = {}
        self._acks: dict[str, asyncio.Future[Ack]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._changed: asyncio.Condition | None = None
        self._acks_to_lose = 0

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> None:
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name="fake-slack-socket", daemon=True
        )
        self._thread.start()
        ready.wait()

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        self._loop, self._thread = None, None

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        self._changed = asyncio.Condition()
        self._server = loop.run_until_complete(self._listen())
        ready.set()
        try:
            loop.run_forever()
        finally:
            self._server.close()
            for connection in list(self._connections.values()):
                connection.socket.transport.abort()
            loop.run_until_complete(self._server.wait_closed())
            loop.close()

    async def _listen(self) -> Server:
        return await serve(self._serve, "127.0.0.1", 0, ping_interval=self._ping_interval, max_size=2**22)

    @property
    def port(self) -> int:
        assert self._server is not None, "FakeSlack is not running"
        port: int = next(iter(self._server.sockets)).getsockname()[1]
        return port

    # -- apps.connections.open ---------------------------------------------------------------------

    def connections_open(self, params: dict[str, Any]) -> Answer:
        """apps.connections.open: a single-use WebSocket URL for an app-level (`xapp-`) token."""
        token = params.get("token")
        if not isinstance(token, str) or not token:
            return Answer.slack_error("not_authed")
        if not token.startswith("xapp-"):
            return Answer.slack_error("invalid_auth")
        if error := self._tokens.revoked_error(token):
            return Answer.slack_error(error)
        ticket = secrets.token_hex(16)
        with self._lock:
            self._tickets.add(ticket)
        url = f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self._app_id}"
        return Answer.ok({"ok": True, "url": url})

    # -- the WebSocket side ------------------------------------------------------------------------

    async def _serve(self, websocket: ServerConnection) -> None:
        assert websocket.request is not None and self._changed is not None
        ticket = parse_qs(urlsplit(websocket.request.path).query).get("ticket", [""])[0]
        with self._lock:
            valid = ticket in self._tickets
            self._tickets.discard(ticket)
        if not valid:
            await websocket.close(1008, "invalid ticket")
            return
        if len(self._connections) >= MAX_CONNECTIONS:
            await websocket.close(1008, "too_many_websockets")
            return
        connection = _Connection(number=next(self._numbers), socket=websocket)
        async with self._changed:
            self._connections[connection.number] = connection
            self._changed.notify_all()
        self._record(CONNECT_METHOD, {"connection": connection.number})
        hello = {
            "type": "hello",
            "num_connections": len(self._connections),
            "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
            "connection_info": {"app_id": self._app_id},
        }
        try:
            await websocket.send(json.dumps(hello))
            async for message in websocket:
                self._receive(connection, message)
        except ConnectionClosed:
            pass
        finally:
            connection.gone.set()
            async with self._changed:
                self._connections.pop(connection.number, None)
                self._changed.notify_all()
            self._record(CLOSED_METHOD, {"connection": connection.number})

    def _receive(self, connection: _Connection, message: str | bytes) -> None:
        try:
            decoded = json.loads(message)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return
        if not isinstance(decoded, dict) or not isinstance(decoded.get("envelope_id"), str):
            return
        envelope_id = decoded["envelope_id"]
        payload = decoded.get("payload") if isinstance(decoded.get("payload"), dict) else None
        with self._lock:
            lost, self._acks_to_lose = self._acks_to_lose > 0, max(self._acks_to_lose - 1, 0)
        if lost:
            self._record(
                ACK_METHOD, {"envelope_id": envelope_id, "lost": True, "connection": connection.number}
            )
            return
        self._record(
            ACK_METHOD, {"envelope_id": envelope_id, "payload": payload, "connection": connection.number}
        )
        waiting = self._acks.get(envelope_id)
        if waiting is not None and not waiting.done():
            # Slack takes an ack by envelope id, whichever of the app's connections it arrives on.
            waiting.set_result(Ack(envelope_id, payload, retry_attempt=-1, connection=connection.number))

    async def _live_connection(self) -> _Connection:
        """A connection that is not being replaced, round robin; waits for one to connect."""
        assert self._changed is not None
        async with self._changed:
            while True:
                live = [c for c in self._connections.values() if not c.draining]
                if live:
                    chosen = live[next(self._envelope_numbers) % len(live)]
                    return chosen
                await self._changed.wait()

    async def _deliver(
        self, kind: EnvelopeType, payload: dict[str, Any], accepts_response_payload: bool
    ) -> Ack:
        envelope_id = secrets.token_hex(12)
        acked: asyncio.Future[Ack] = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = acked
        reason = ""
        try:
            for attempt in range(self._max_retries + 1):
                connection = await self._live_connection()
                envelope = {
                    "envelope_id": envelope_id,
                    "type": kind,
                    "payload": payload,
                    "accepts_response_payload": accepts_response_payload,
                    "retry_attempt": attempt,
                    "retry_reason": reason,
                }
                with contextlib.suppress(ConnectionClosed):
                    await connection.socket.send(json.dumps(envelope))
                self._record(
                    ENVELOPE_METHOD,
                    {
                        "envelope_id": envelope_id,
                        "type": kind,
                        "retry_attempt": attempt,
                        "retry_reason": reason,
                        "connection": connection.number,
                    },
                )
                gone: asyncio.Future[Any] = asyncio.ensure_future(connection.gone.wait())
                waiting: set[asyncio.Future[Any]] = {acked, gone}
                done, _ = await asyncio.wait(waiting, timeout=self.ack_timeout, return_when="FIRST_COMPLETED")
                gone.cancel()
                if acked.done():
                    ack = acked.result()
                    return Ack(envelope_id, ack.payload, retry_attempt=attempt, connection=ack.connection)
                reason = "connection_failed" if gone in done else "timeout"
            raise NotAcknowledgedError(f"envelope {envelope_id} ({kind}) was never acknowledged")
        finally:
            self._acks.pop(envelope_id, None)

    # -- driven from tests -------------------------------------------------------------------------

    def _call(self, coroutine: Coroutine[Any, Any, Any], timeout: float | None = None) -> Any:
        assert self._loop is not None, "FakeSlack is not running"
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def send(
        self,
        kind: EnvelopeType,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        timeout: float = 30.0,
    ) -> Ack:
        """Deliver one envelope and wait for its ack (retried as Slack does), or NotAcknowledgedError."""
        accepts = kind != "events_api" if accepts_response_payload is None else accepts_response_payload
        result: Ack = self._call(self._deliver(kind, payload, accepts), timeout)
        return result

    def lose_acks(self, count: int = 1) -> None:
        """The next `count` acks never count, as when they reach Slack too late: the envelope is retried."""
        with self._lock:
            self._acks_to_lose = count

    def envelopes(self, envelope_id: str | None = None) -> list[dict[str, Any]]:
        """Every delivery attempt so far (envelope_id, type, retry_attempt and _reason, connection)."""
        return [
            call.params
            for call in self._calls.calls(ENVELOPE_METHOD)
            if envelope_id is None or call.params["envelope_id"] == envelope_id
        ]

    def connection_numbers(self) -> list[int]:
        """The open connections, oldest first (numbers count up from 1 over the hub's life)."""
        return sorted(self._connections)

    def wait_for_connections(self, count: int, *, timeout: float = 20.0, live: bool = True) -> list[int]:
        """Block until at least `count` connections are open (and not being replaced, if `live`)."""

        async def wait() -> list[int]:
            assert self._changed is not None
            async with self._changed:
                while True:
                    found = [n for n, c in self._connections.items() if not (live and c.draining)]
                    if len(found) >= count:
                        return sorted(found)
                    await self._changed.wait()

        numbers: list[int] = self._call(asyncio.wait_for(wait(), timeout))
        return numbers

    def disconnect(
        self, reason: DisconnectReason, *, connection: int | None = None, close_after: float = 10.0
    ) -> int:
        """Tell a connection (default: the oldest) it will close, then close it after `close_after` s."""

        async def announce() -> int:
            assert self._changed is not None
            target = self._connections[connection or min(self._connections)]
            async with self._changed:
                target.draining = True
                self._changed.notify_all()
            message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake"}}
            with contextlib.suppress(ConnectionClosed):
                await target.socket.send(json.dumps(message))
            asyncio.get_running_loop().call_later(
                close_after, lambda: asyncio.ensure_future(target.socket.close(1000, "disconnect"))
            )
            return target.number

        number: int = self._call(announce())
        return number

    def drop(self, connection: int | None = None) -> int:
        """End a connection (default: the oldest) abruptly: a FIN, no close frame."""

        async def cut() -> int:
            target = self._connections[connection or min(self._connections)]
            raw = target.socket.transport.get_extra_info("socket")
            if raw is not None:
                with contextlib.suppress(OSError):
                    raw.shutdown(socket.SHUT_RDWR)
            target.socket.transport.abort()
            return target.number

        number: int = self._call(cut())
        return number

    def _record(self, method: str, params: dict[str, Any]) -> None:
        self._calls.append(RecordedCall(method=method, params=params, headers={}))
