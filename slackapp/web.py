"""The WSGI application for HTTP mode: Slack at POST /slack/events; GET /healthz (alive), /readyz
(database reachable, migrations at head) and /metrics (Prometheus; behind a bearer token when
KINDLY_METRICS_TOKEN is set).

It reads the body itself so that oversized and non-UTF-8 requests get a clear 4xx, not a traceback.
Each Slack request gets a request id (REQUEST_ID) that log lines carry, also from listeners after the ack.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_sdk.signature import SignatureVerifier

from slackapp import metrics
from slackapp.request_ids import REQUEST_ID, request_id_from

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
MAX_BODY_BYTES = 1_000_000

Readiness = Callable[[], "str | None"]


def _plain(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    body = text.encode("utf-8")
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]


class Probes:
    """GET /healthz (alive), /readyz (None from `readiness`, else its reason, 503) and /metrics.

    `liveness` adds a note to /healthz (Socket Mode says whether its connection to Slack is open).
    On its own, it is the WSGI app of Socket Mode's small health port (KINDLY_HEALTH_PORT).
    """

    def __init__(
        self,
        *,
        readiness: Readiness | None = None,
        liveness: Callable[[], str] | None = None,
        metrics_token: str | None = None,
    ) -> None:
        self._readiness = readiness
        self._liveness = liveness
        self._metrics_token = metrics_token

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path in {HEALTH_PATH, READY_PATH, METRICS_PATH} and environ.get("REQUEST_METHOD") in {
            "GET",
            "HEAD",
        }:
            return self.answer(path, environ, start_response)
        return _plain(start_response, "404 Not Found", "not found")

    def answer(self, path: str, environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        if path == METRICS_PATH and not self._may_read_metrics(environ):
            start_response(
                "401 Unauthorized",
                [("Content-Type", "text/plain; charset=utf-8"), ("WWW-Authenticate", "Bearer")],
            )
            return [b"a bearer token is required"]
        if path == HEALTH_PATH:
            note = self._liveness() if self._liveness is not None else ""
            return _plain(start_response, "200 OK", f"ok ({note})" if note else "ok")
        if path == READY_PATH:
            reason = self._readiness() if self._readiness is not None else None
            if reason is None:
                return _plain(start_response, "200 OK", "ready")
            return _plain(start_response, "503 Service Unavailable", reason)
        body, content_type = metrics.exposition()
        start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]

    def _may_read_metrics(self, environ: WSGIEnvironment) -> bool:
        """Without KINDLY_METRICS_TOKEN /metrics is open; with it, only `Authorization: Bearer <token>`."""
        if self._metrics_token is None:
            return True
        offered = str(environ.get("HTTP_AUTHORIZATION", "")).encode("utf-8", "replace")
        return hmac.compare_digest(offered, f"Bearer {self._metrics_token}".encode())


class SlackWSGI:
    """`readiness` returns None when ready, else a short reason; without it /readyz is always ready."""

    def __init__(
        self, app: App, *, readiness: Readiness | None = None, metrics_token: str | None = None
    ) -> None:
        self._app = app
        self._probes = Probes(readiness=readiness, metrics_token=metrics_token)
        # Checked here, before the body is parsed, so a forged body costs one HMAC and no parsing.
        self._verifier = SignatureVerifier(app._signing_secret)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        if path in {HEALTH_PATH, READY_PATH, METRICS_PATH} and method in {"GET", "HEAD"}:
            return self._probes.answer(path, environ, start_response)
        flow = self._app.oauth_flow
        if flow is not None and method == "GET" and path in {flow.install_path, flow.redirect_uri_path}:
            return self._oauth(environ, start_response, install=path == flow.install_path)
        if path != EVENTS_PATH:
            return _plain(start_response, "404 Not Found", "not found")
        if method != "POST":
            return _plain(start_response, "405 Method Not Allowed", "use POST")
        token = REQUEST_ID.set(request_id_from(environ))
        try:
            return self._slack(environ, start_response)
        finally:
            REQUEST_ID.reset(token)

    def _oauth(
        self, environ: WSGIEnvironment, start_response: StartResponse, *, install: bool
    ) -> list[bytes]:
        """OAuth distribution: the "Add to Slack" page and Slack's redirect back (Bolt's OAuth flow)."""
        flow = self._app.oauth_flow
        assert flow is not None
        request = WsgiHttpRequest(environ)
        bolt_request = BoltRequest(body="", query=request.query_string, headers=request.get_headers())
        response = flow.handle_installation(bolt_request) if install else flow.handle_callback(bolt_request)
        headers = [(name, value) for name, values in response.headers.items() for value in values]
        payload = (response.body or "").encode("utf-8")
        start_response(f"{response.status} {_reason(response.status)}", headers)
        return [payload]

    def _slack(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        kind = "other"

        def answer(status: int, headers: list[tuple[str, str]], payload: bytes) -> list[bytes]:
            metrics.record_request(kind, status, time.perf_counter() - started)
            headers.append(("X-Request-Id", REQUEST_ID.get() or ""))
            start_response(f"{status} {_reason(status)}", headers)
            return [payload]

        def plain(status: int, text: str) -> list[bytes]:
            body = text.encode("utf-8")
            headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
            return answer(status, headers, body)

        raw_length = environ.get("CONTENT_LENGTH") or ""
        if not raw_length.isdigit():
            return plain(411, "a Content-Length is required")
        length = int(raw_length)
        if length > MAX_BODY_BYTES:
            return plain(413, "request body too large")
        try:
            body = environ["wsgi.input"].read(length).decode("utf-8")
        except UnicodeDecodeError:
            return plain(400, "request body is not UTF-8")
        request = WsgiHttpRequest(environ)
        request_headers = request.get_headers()
        if not self._signed(body, request_headers):
            log.info("Invalid request signature: refused (%d bytes, not logged)", length)
            return plain(401, "invalid request")
        try:
            bolt_request = BoltRequest(body=body, query=request.query_string, headers=request_headers)
            kind = metrics.request_kind(bolt_request.body)
            if _malformed_event(bolt_request.body):
                return plain(400, "malformed request")
            response = self._app.dispatch(bolt_request)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            # Bolt parses the body and reads ids from it before any listener: a body of the wrong shape
            # (invalid JSON, JSON nested past the parser's depth, a list where an object belongs, a number
            # for a user) is a bad request.
            log.info("refused a malformed Slack request (%s)", kind)
            return plain(400, "malformed request")
        headers = [(name, value) for name, values in response.headers.items() for value in values]
        payload = response.body.encode("utf-8")
        if not any(name.lower() == "content-length" for name, _ in headers):
            headers.append(("Content-Length", str(len(payload))))
        return answer(response.status, headers, payload)

    def _signed(self, body: str, headers: Mapping[str, object]) -> bool:
        timestamp = str(headers.get("x-slack-request-timestamp", "")).strip()
        signature = str(headers.get("x-slack-signature", ""))
        return timestamp.isdigit() and self._verifier.is_valid(body, timestamp, signature)


def _malformed_event(body: object) -> bool:
    """An event callback whose event is not an object: Bolt's authorisation would fail reading it."""
    return (
        isinstance(body, dict)
        and body.get("type") == "event_callback"
        and not isinstance(body.get("event"), dict)
    )


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
