"""Route one HTTP request to the Web API, a response URL or an upload URL; record it; answer."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from fakeslack.answers import Answer
from fakeslack.failures import FailurePlan
from fakeslack.gates import Gates
from fakeslack.methods import NO_TOKEN_METHODS, answer_method
from fakeslack.methods.context import MethodContext
from fakeslack.methods.people import installed_into
from fakeslack.params import bearer_token, parse_params
from fakeslack.ratelimit import RateLimiter
from fakeslack.records import CallLog, RecordedCall
from fakeslack.response_urls import ResponseUrlRegistry
from fakeslack.tokens import TokenRegistry

RESPONSE_URL_METHOD = "response_url"
UPLOAD_METHOD = "upload"

_API = re.compile(r"^/api/(?P<method>[A-Za-z0-9_.]+)$")
_RESPONSE = re.compile(r"^/response/(?P<id>[A-Za-z0-9_-]+)$")
_UPLOAD = re.compile(r"^/upload/(?P<id>[A-Za-z0-9]+)$")


@dataclass(frozen=True)
class Request:
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")


@dataclass(frozen=True)
class Router:
    """Shared by all server threads; every collaborator is thread-safe."""

    context: MethodContext
    calls: CallLog
    failures: FailurePlan
    limiter: RateLimiter
    tokens: TokenRegistry
    response_urls: ResponseUrlRegistry
    gates: Gates = field(default_factory=Gates)

    def handle(self, request: Request) -> Answer:
        if match := _API.match(request.path):
            return self._api(match["method"], request)
        if match := _RESPONSE.match(request.path):
            return self._response_url(match["id"], request)
        if match := _UPLOAD.match(request.path):
            return self._upload(match["id"], request)
        return Answer.text("not found", status=HTTPStatus.NOT_FOUND, error="not_found")

    def _api(self, method: str, request: Request) -> Answer:
        try:
            params = parse_params(content_type=request.content_type, body=request.body, query=request.query)
        except (ValueError, UnicodeDecodeError):
            return self._record(method, {}, request, Answer.slack_error("invalid_form_data"))
        token = bearer_token(request.headers) or _str_or_none(params.get("token"))
        if token is not None:
            params["token"] = token
        team = installed_into(token) or self.context.workspace.team_id
        answer = None if method in NO_TOKEN_METHODS else _auth_error(self.tokens.check(token))
        planned = None if answer else self.failures.take_for(method, team=team)
        if planned is not None and not planned.after_delivery:
            answer = planned.answer
        answer = answer or self._rate_limited(method, params, team)
        self.gates.pass_through(method, team=team)
        if answer is not None:
            return self._record(method, params, request, answer)
        answer = answer_method(self.context, method, params)
        if planned is not None:  # it took effect; the answer that comes back says it failed
            return self._record(method, params, request, planned.answer, acted=answer.status < 400)
        if self.gates.holds_after_delivery(method, team):
            self._record(method, params, request, answer, acted=True)
            self.gates.pass_through(method, team=team, after_delivery=True)
            return answer
        return self._record(method, params, request, answer)

    def _response_url(self, url_id: str, request: Request) -> Answer:
        try:
            params = parse_params(content_type=request.content_type, body=request.body, query="")
        except (ValueError, UnicodeDecodeError):
            params = {}
        if isinstance(params.get("payload"), str):
            params = _json_object(params["payload"])
        params["_response_url_id"] = url_id
        answer = self.failures.take(RESPONSE_URL_METHOD)
        if answer is None:
            error = self.response_urls.use(url_id)
            answer = Answer.text("ok") if error is None else Answer.text(error, status=404, error=error)
        return self._record(RESPONSE_URL_METHOD, params, request, answer)

    def _upload(self, file_id: str, request: Request) -> Answer:
        params: dict[str, Any] = {"file_id": file_id, "size": len(request.body)}
        answer = self.failures.take(UPLOAD_METHOD)
        if answer is None:
            stored = self.context.uploads.store(file_id, request.body)
            answer = (
                Answer.text(f"OK - {len(request.body)}")
                if stored
                else Answer.text("file_not_found", status=HTTPStatus.NOT_FOUND, error="file_not_found")
            )
        return self._record(UPLOAD_METHOD, params, request, answer)

    def _rate_limited(self, method: str, params: dict[str, Any], team: str) -> Answer | None:
        retry_after = self.limiter.check(method, params, team=team)
        if retry_after is None:
            return None
        headers = (("Retry-After", str(retry_after)),)
        return Answer.slack_error("ratelimited", status=HTTPStatus.TOO_MANY_REQUESTS, headers=headers)

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        request: Request,
        answer: Answer,
        *,
        acted: bool | None = None,
    ) -> Answer:
        if answer.status == HTTPStatus.TOO_MANY_REQUESTS:
            self.limiter.count_429(method)
        self.calls.append(
            RecordedCall(
                method=method,
                params=params,
                headers=dict(request.headers),
                answered_status=answer.status,
                answered_error=answer.error,
                answer=_answer_object(answer),
                acted=acted,
            )
        )
        return answer


def _answer_object(answer: Answer) -> dict[str, Any] | None:
    if not answer.content_type.startswith("application/json"):
        return None
    try:
        decoded = json.loads(answer.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return decoded if isinstance(decoded, dict) else None


def _auth_error(error: str | None) -> Answer | None:
    return None if error is None else Answer.slack_error(error)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _json_object(text: str) -> dict[str, Any]:
    try:
        decoded = json.loads(text)
    except json.JSONDecodeError:
        return {"payload": text}
    return decoded if isinstance(decoded, dict) else {"payload": decoded}
