"""The one Slack WebClient factory: configurable base URL and retries that respect Slack."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from slackapp.config import Settings


def make_web_client(
    settings: Settings, *, token: str | None = None, timeout: int = 10, retries: bool = True
) -> WebClient:
    """A client for listeners (with slack_sdk's retry handlers), or with `retries=False` for the
    dispatcher, which paces and retries itself per workspace."""
    if token is None and settings.bot_token is not None:
        token = settings.bot_token.reveal()
    handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    return WebClient(
        token=token, base_url=settings.api_url, timeout=timeout, retry_handlers=handlers if retries else []
    )
