"""Serving HTTP mode with waitress, a production WSGI server that also runs in a background thread."""

from __future__ import annotations

import threading
from typing import Any

from waitress.server import create_server

from slackapp.web import SlackWSGI


def make_http_server(wsgi: SlackWSGI, *, host: str, port: int, threads: int = 16) -> Any:
    """A bound, not yet running server; call .run() to serve until interrupted."""
    return create_server(wsgi, host=host, port=port, threads=threads, ident="kindly")


class BackgroundServer:
    """A waitress server in a thread, stopped cleanly from the outside (tests, the playground)."""

    def __init__(self, wsgi: SlackWSGI, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = make_http_server(wsgi, host=host, port=port)
        self._thread = threading.Thread(target=self._server.run, name="kindly-http", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self._server.effective_host}:{self._server.effective_port}"

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        # Closing from the server's own loop thread avoids closing a socket it is select()ing on.
        self._server.trigger.pull_trigger(self._close_in_loop)
        self._thread.join(timeout)
        self._server.task_dispatcher.shutdown()

    def _close_in_loop(self) -> None:
        for channel in list(self._server._map.values()):
            channel.close()
