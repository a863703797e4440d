"""The page's server: one HTML page, one script, one stylesheet, and JSON endpoints. 127.0.0.1 only."""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kindly_playground.session import Playground, PlaygroundError

log = logging.getLogger(__name__)

STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/playground.js": ("playground.js", "text/javascript; charset=utf-8"),
    "/playground.css": ("playground.css", "text/css; charset=utf-8"),
}
MAX_BODY_BYTES = 1_000_000
Endpoint = Callable[[Playground, str, dict[str, Any]], dict[str, Any]]


def _command(playground: Playground, user: str, body: dict[str, Any]) -> dict[str, Any]:
    playground.command(user, channel_id=str(body.get("channel") or ""), text=str(body.get("text") or ""))
    return {}


def _home(playground: Playground, user: str, _body: dict[str, Any]) -> dict[str, Any]:
    playground.open_home(user)
    return {}


def _press(playground: Playground, user: str, body: dict[str, Any]) -> dict[str, Any]:
    surface = body.get("surface")
    playground.press(
        user,
        surface=surface if isinstance(surface, dict) else {},
        block_id=str(body.get("block_id") or ""),
        action_id=str(body.get("action_id") or ""),
        values=_values(body.get("values")),
    )
    return {}


def _submit(playground: Playground, user: str, body: dict[str, Any]) -> dict[str, Any]:
    playground.submit(user, view_id=str(body.get("view_id") or ""), values=_values(body.get("values")) or {})
    return {}


def _close(playground: Playground, user: str, body: dict[str, Any]) -> dict[str, Any]:
    playground.close(user, view_id=str(body.get("view_id") or ""), everything=body.get("everything") is True)
    return {}


def _clock(playground: Playground, user: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"summary": playground.set_clock(user, local=str(body.get("local") or ""))}


ENDPOINTS: dict[str, Endpoint] = {
    "/api/command": _command,
    "/api/home": _home,
    "/api/press": _press,
    "/api/submit": _submit,
    "/api/close": _close,
    "/api/clock": _clock,
}


def _values(raw: Any) -> dict[str, dict[str, str | list[str] | None]] | None:
    """The page's control values, keeping only the shapes a control can hold."""
    if not isinstance(raw, dict):
        return None
    values: dict[str, dict[str, str | list[str] | None]] = {}
    for block_id, actions in raw.items():
        if not isinstance(actions, dict):
            continue
        for action_id, value in actions.items():
            if value is None or isinstance(value, str):
                values.setdefault(str(block_id), {})[str(action_id)] = value
            elif isinstance(value, list):
                values.setdefault(str(block_id), {})[str(action_id)] = [str(v) for v in value]
    return values


class PlaygroundHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], playground: Playground) -> None:
        super().__init__(address, PlaygroundRequestHandler)
        self.playground = playground

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A page reloaded or closed mid-answer (its long poll hangs up) is normal, not an error."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class PlaygroundRequestHandler(BaseHTTPRequestHandler):
    server: PlaygroundHTTPServer

    def do_GET(self) -> None:
        if not self._local_host():
            return
        url = urlsplit(self.path)
        if url.path in STATIC:
            name, content_type = STATIC[url.path]
            body = files("kindly_playground").joinpath("static", name).read_bytes()
            self._send(HTTPStatus.OK, body, content_type)
        elif url.path == "/api/state":
            query = parse_qs(url.query)
            since = query.get("since", [""])[0]
            self._answer(
                lambda: self.server.playground.state(
                    query.get("user", [""])[0], since=int(since) if since.lstrip("-").isdigit() else None
                )
            )
        elif url.path == "/api/file":
            self._file(parse_qs(url.query))
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8")

    def _file(self, query: dict[str, list[str]]) -> None:
        """A shared file, downloaded as Slack's client offers it."""
        try:
            name, content = self.server.playground.shared_file(
                query.get("user", [""])[0], query.get("id", [""])[0]
            )
        except PlaygroundError as error:
            self._send(HTTPStatus.NOT_FOUND, str(error).encode("utf-8"), "text/plain; charset=utf-8")
            return
        safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
        self._send(
            HTTPStatus.OK,
            content,
            "application/octet-stream",
            headers={"Content-Disposition": f'attachment; filename="{safe_name}"'},
        )

    def do_POST(self) -> None:
        if not self._local_host():
            return
        endpoint = ENDPOINTS.get(urlsplit(self.path).path)
        if endpoint is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8")
            return
        # Only JSON: a page on another origin cannot send it without a CORS preflight, which fails here.
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            self._send(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, b"send JSON", "text/plain; charset=utf-8")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"too large", "text/plain; charset=utf-8")
            return
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            self._send(HTTPStatus.BAD_REQUEST, b"send a JSON object", "text/plain; charset=utf-8")
            return
        user = str(body.get("user") or "")
        playground = self.server.playground

        def run() -> dict[str, Any]:
            extra = endpoint(playground, user, body)
            return {**extra, "state": playground.state(user)}

        self._answer(run)

    def _answer(self, produce: Callable[[], dict[str, Any]]) -> None:
        try:
            answer = produce()
        except PlaygroundError as error:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(error)})
            return
        except Exception:
            log.exception("the playground failed to answer %s", self.path)
            self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "the playground failed; see its log"})
            return
        self._json(HTTPStatus.OK, answer)

    def _local_host(self) -> bool:
        """Refuse other Host names, so a web page cannot reach the playground by DNS rebinding."""
        host = self.headers.get("Host", "").rsplit(":", 1)[0]
        if host in {"127.0.0.1", "localhost", "[::1]"}:
            return True
        self._send(HTTPStatus.FORBIDDEN, b"use http://127.0.0.1", "text/plain; charset=utf-8")
        return False

    def _json(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode("utf-8"), "application/json; charset=utf-8")

    def _send(
        self, status: HTTPStatus, body: bytes, content_type: str, *, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https:")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows the playground's address and the app's own log lines."""


class PageServer:
    """The page's server in a background thread."""

    def __init__(self, playground: Playground, *, host: str = "127.0.0.1", port: int = 3000) -> None:
        self._server = PlaygroundHTTPServer((host, port), playground)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="playground-page",
            daemon=True,
        )

    @property
    def url(self) -> str:
        return self._server.url

    def start(self) -> PageServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
