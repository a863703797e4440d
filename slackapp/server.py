"""Serving HTTP mode with waitress, a production WSGI server that also runs in a test thread."""

from __future__ import annotations

from typing import Any

from waitress.server import create_server

from slackapp.web import SlackWSGI


def make_http_server(wsgi: SlackWSGI, *, host: str, port: int, threads: int = 16) -> Any:
    """A bound, not yet running server; call .run() to serve and .close() to stop."""
    return create_server(wsgi, host=host, port=port, threads=threads, ident="kindly")
