"""The WSGI application for HTTP mode: Slack at POST /slack/events, health at GET /healthz.

It reads the body itself so that oversized and non-UTF-8 requests get a clear 4xx, not a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1_000_000


def _plain(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    body = text.encode("utf-8")
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]


class SlackWSGI:
    def __init__(self, app: App) -> None:
        self._app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH and method in {"GET", "HEAD"}:
            return _plain(start_response, "200 OK", "ok")
        if path != EVENTS_PATH:
            return _plain(start_response, "404 Not Found", "not found")
        if method != "POST":
            return _plain(start_response, "405 Method Not Allowed", "use POST")
        return self._slack(environ, start_response)

    def _slack(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        raw_length = environ.get("CONTENT_LENGTH") or ""
        if not raw_length.isdigit():
            return _plain(start_response, "411 Length Required", "a Content-Length is required")
        length = int(raw_length)
        if length > MAX_BODY_BYTES:
            return _plain(start_response, "413 Content Too Large", "request body too large")
        try:
            body = environ["wsgi.input"].read(length).decode("utf-8")
        except UnicodeDecodeError:
            return _plain(start_response, "400 Bad Request", "request body is not UTF-8")
        request = WsgiHttpRequest(environ)
        response = self._app.dispatch(
            BoltRequest(body=body, query=request.query_string, headers=request.get_headers())
        )
        headers = [(name, value) for name, values in response.headers.items() for value in values]
        payload = response.body.encode("utf-8")
        if not any(name.lower() == "content-length" for name, _ in headers):
            headers.append(("Content-Length", str(len(payload))))
        start_response(f"{response.status} {_reason(response.status)}", headers)
        return [payload]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
