"""The one Slack WebClient factory: configurable base URL, and retries only where repeating is safe."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.error import HTTPError, URLError

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

from slackapp.config import Settings

PAGE_SIZE = 200  # the `limit` Slack recommends for its cursor-paginated methods
SLACK_TIMEOUT = 10.0  # seconds a call may take before the client gives up waiting for the answer

# Calls that post something: repeated after Slack may have acted on them, they post it twice.
POSTING_METHODS = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.scheduleMessage",
        "chat.meMessage",
        "files.completeUploadExternal",
    }
)


class OnlyWhenSafe(RetryHandler):
    """slack_sdk's handler, except that a posting call is repeated only when Slack cannot have acted on
    it: a 429 (Slack refused it), or a connection that failed before the request left (urllib wraps
    those in URLError). Never after a 5xx, a reset or a timeout while awaiting the answer."""

    def __init__(self, inner: RetryHandler) -> None:
        super().__init__(max_retry_count=inner.max_retry_count, interval_calculator=inner.interval_calculator)
        self._inner = inner

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if _method(request) in POSTING_METHODS and not _never_acted(response, error):
            return False
        return self._inner.can_retry(state=state, request=request, response=response, error=error)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        self._inner.prepare_for_next_attempt(state=state, request=request, response=response, error=error)


def _method(request: HttpRequest) -> str:
    return request.url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]


def _never_acted(response: HttpResponse | None, error: Exception | None) -> bool:
    if response is not None:
        return response.status_code == 429
    return isinstance(error, URLError) and not isinstance(error, HTTPError)


def make_web_client(
    settings: Settings, *, token: str | None = None, timeout: float = SLACK_TIMEOUT, retries: bool = True
) -> WebClient:
    """A client for listeners (with slack_sdk's retry handlers where repeating is safe), or with
    `retries=False` for the dispatcher, which paces and retries itself per workspace."""
    if token is None and settings.bot_token is not None:
        token = settings.bot_token.reveal()
    handlers: list[RetryHandler] = [
        OnlyWhenSafe(ConnectionErrorRetryHandler(max_retry_count=2)),
        OnlyWhenSafe(RateLimitErrorRetryHandler(max_retry_count=2)),
        OnlyWhenSafe(ServerErrorRetryHandler(max_retry_count=2)),
    ]
    return WebClient(
        token=token,
        base_url=settings.api_url,
        timeout=timeout,  # type: ignore[arg-type]  # urllib takes fractions of a second too
        retry_handlers=handlers if retries else [],
    )


def pages(
    method: Callable[..., SlackResponse], *, before_each: Callable[[], None], **params: Any
) -> Iterator[SlackResponse]:
    """Every page of a cursor-paginated Web API method; `before_each` runs before each call (to pace it)."""
    cursor = ""
    while True:
        before_each()
        page = method(limit=PAGE_SIZE, cursor=cursor or None, **params)
        yield page
        cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
        if not cursor:
            return
