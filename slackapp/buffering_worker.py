"""A gunicorn worker that reads each request whole in its event loop before a thread serves it.

gunicorn's gthread worker hands a connection to a thread as soon as its first bytes arrive, and the
thread then blocks reading the rest: a few dozen clients that trickle their bytes hold every thread, and
Slack's requests wait past its 3-second deadline. Here the worker's event loop (one thread, non-blocking
sockets) collects the request line, headers and body first; a thread only ever gets a request that has
fully arrived, so it never waits on a client. A request that has not arrived within REQUEST_READ_SECONDS
is dropped, and one larger than the limits is refused from the loop without reaching the app.
"""

from __future__ import annotations

import contextlib
import errno
import selectors
import time
from enum import Enum
from functools import partial
from socket import SHUT_WR, socket
from typing import Any

from gunicorn.workers import gthread

from slackapp.web import MAX_BODY_BYTES

REQUEST_READ_SECONDS = 10.0  # a whole request, from its first byte wanted to its last byte read
REFUSAL_LINGER_SECONDS = 2.0  # after refusing, read (and discard) what the client still sends
MAX_HEAD_BYTES = 64 * 1024  # request line and headers; Slack's are well under 2 KiB
_RECEIVE_BYTES = 64 * 1024
# gunicorn is untyped: its worker and connection classes are used as Any.
_ThreadWorker: Any = gthread.ThreadWorker
TConn: Any = gthread.TConn
_HEAD_END = b"\r\n\r\n"


class Arrival(Enum):
    PARTIAL = "partial"
    WHOLE = "whole"
    TOO_LARGE = "too large"
    NO_LENGTH = "no length"


def arrival_of(received: bytes | bytearray, *, max_body: int = MAX_BODY_BYTES) -> Arrival:
    """How much of one HTTP/1.x request `received` holds.

    Only what decides whether to wait is read here; gunicorn's parser still parses (and may refuse) the
    request. A body without a Content-Length (chunked) could trickle forever, so it is refused: Slack
    and the reverse proxies in deploy/ always send a length.
    """
    head_end = received.find(_HEAD_END)
    if head_end < 0:
        return Arrival.TOO_LARGE if len(received) > MAX_HEAD_BYTES else Arrival.PARTIAL
    if head_end > MAX_HEAD_BYTES:
        return Arrival.TOO_LARGE
    length = 0
    for line in bytes(received[:head_end]).split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"transfer-encoding":
            return Arrival.NO_LENGTH
        if name == b"content-length":
            if not value.strip().isdigit():
                return Arrival.WHOLE  # malformed: gunicorn's parser answers 400
            length = max(length, int(value.strip()))  # duplicates: gunicorn answers 400 once all is here
    if length > max_body:
        return Arrival.TOO_LARGE
    return Arrival.WHOLE if len(received) - head_end - len(_HEAD_END) >= length else Arrival.PARTIAL


_REFUSALS = {
    Arrival.TOO_LARGE: b"413 Content Too Large",
    Arrival.NO_LENGTH: b"411 Length Required",
}


class _Reading:
    """A connection whose request is still arriving."""

    def __init__(self, deadline: float) -> None:
        self.received = bytearray()
        self.deadline = deadline
        self.continued = False
        self.refused = False  # answered already: what still arrives is read only to be discarded


class BufferingThreadWorker(_ThreadWorker):  # type: ignore[misc]
    """gthread, except that a request reaches a thread only once all of it has arrived."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reading: dict[TConn, _Reading] = {}
        self._arrived: dict[TConn, bytes] = {}

    def accept(self, listener: socket) -> None:
        try:
            client, address = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        self._start_reading(TConn(self.cfg, client, address, listener.getsockname()))

    def on_client_socket_readable(self, conn: TConn, client: socket) -> None:
        """A kept-alive connection's next request is starting: read it in the loop too."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._start_reading(conn)
        self._on_readable(conn, client)

    def _start_reading(self, conn: TConn) -> None:
        conn.sock.setblocking(False)
        self._reading[conn] = _Reading(time.monotonic() + REQUEST_READ_SECONDS)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn))

    def _on_readable(self, conn: TConn, _client: socket) -> None:
        reading = self._reading.get(conn)
        if reading is None:
            return
        try:
            data = conn.sock.recv(_RECEIVE_BYTES)
        except BlockingIOError:
            return
        except OSError:
            self._drop(conn)
            return
        if not data:
            self._drop(conn)
            return
        if reading.refused:
            return
        reading.received += data
        self._judge(conn, reading)

    def enqueue_req(self, conn: TConn) -> None:
        """A thread for a request that has arrived whole; gthread also calls this for a kept-alive
        connection whose next request it has partly read already (pipelined): that one is read on in
        the loop, as its thread would otherwise block on the rest."""
        if conn in self._arrived or conn.parser is None:
            super().enqueue_req(conn)
            return
        pending = conn.parser.unreader.take_buffered()
        self._start_reading(conn)
        reading = self._reading[conn]
        reading.received += pending
        self._judge(conn, reading)

    def _judge(self, conn: TConn, reading: _Reading) -> None:
        arrival = arrival_of(reading.received)
        if arrival is Arrival.PARTIAL:
            self._continue_if_expected(conn, reading)
        elif arrival is Arrival.WHOLE:
            self._stop_reading(conn)
            self._arrived[conn] = bytes(reading.received)
            self.enqueue_req(conn)
        else:
            self._refuse(conn, _REFUSALS[arrival])

    def _continue_if_expected(self, conn: TConn, reading: _Reading) -> None:
        """A client that sent `Expect: 100-continue` waits for this before it sends its body."""
        head_end = reading.received.find(_HEAD_END)
        if reading.continued or head_end < 0:
            return
        if b"expect: 100-continue" in bytes(reading.received[:head_end]).lower():
            reading.continued = True
            try:
                conn.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")
            except OSError:
                self._drop(conn)

    def handle(self, conn: TConn) -> Any:
        """In a thread: serve the request that arrived whole; the parser reads it from memory."""
        arrived = self._arrived.pop(conn, b"")
        conn.data_ready = True
        conn.init()
        if arrived:
            conn.parser.unreader.unread(arrived)
        return super().handle(conn)

    def murder_pending(self) -> None:
        """Drop connections whose request has not arrived in time (and idle ones when stopping)."""
        super().murder_pending()
        now = time.monotonic()
        for conn, reading in list(self._reading.items()):
            if reading.deadline <= now or (not self.alive and not reading.received):
                self._drop(conn)

    def _stop_reading(self, conn: TConn) -> None:
        self._reading.pop(conn, None)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(conn.sock)

    def _drop(self, conn: TConn) -> None:
        self._stop_reading(conn)
        self.nr_conns -= 1
        conn.close()

    def _refuse(self, conn: TConn, status: bytes) -> None:
        """Answer from the loop and close after a short linger, so the client reads the answer (closing
        with its body unread would reset the connection and lose the answer)."""
        body = status[4:]
        head = b"HTTP/1.1 %s\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
        reading = self._reading[conn]
        reading.refused = True
        reading.received = bytearray()
        reading.deadline = min(reading.deadline, time.monotonic() + REFUSAL_LINGER_SECONDS)
        try:
            conn.sock.send(head % (status, len(body)) + body)
            conn.sock.shutdown(SHUT_WR)
        except OSError:
            self._drop(conn)
