"""The HTTP layer: read the request, hand it to the router, write the answer. Never logs bodies."""

from __future__ import annotations

import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from fakeslack.answers import DROPPED
from fakeslack.router import Request, Router

logger = logging.getLogger(__name__)


class FakeSlackHTTPServer(ThreadingHTTPServer):
    """A threading server that carries the router its handlers use."""

    daemon_threads = True
    # socketserver's default backlog is 5: with several Kindly processes calling at once, connections
    # beyond it were reset or delayed a second, which real Slack never does.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], router: Router) -> None:
        super().__init__(address, FakeSlackRequestHandler)
        self.router = router


class FakeSlackRequestHandler(BaseHTTPRequestHandler):
    server: FakeSlackHTTPServer

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        request = Request(path=url.path, query=url.query, headers=dict(self.headers.items()), body=body)
        answer = self.server.router.handle(request)
        logger.debug("fake slack %s %s -> %s %s", self.command, url.path, answer.status, answer.error or "")
        if answer.status == DROPPED:
            self.close_connection = True  # the client sees the connection end with no answer
            return
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        except OSError:  # the client gave up waiting (a held answer): as Slack, nothing to do
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Silence http.server's stderr access log; `_serve` logs at debug level instead."""
