"""Posting one message and saying what became of it: posted, refused, rate-limited or unknown.

Written by hand rather than with slack_sdk's retry handlers because a post must never be repeated
once Slack may have acted on it, a 429 must hold only its own workspace's lane, the waits must use the
dispatcher's clock (tests advance it instead of sleeping), and Slack's permanent errors must stop the
person's schedule instead of being retried.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError, URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp import metrics

log = logging.getLogger(__name__)

# Slack will never deliver to this person: stop their schedule and keep the reason.
PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "account_inactive",
        "user_disabled",
        "messages_tab_disabled",
        "cannot_dm_bot",
        "channel_not_found",
        "is_archived",
        "user_is_restricted",
        "not_allowed_token_type",
    }
)
# Answered with HTTP 200 but meaning "something broke on our side": Slack may have posted it.
AMBIGUOUS_ERRORS = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})
# Only a request that never reached Slack (connection refused, no route, DNS) is retried in place.
BACKOFF_SECONDS = (1.0, 4.0, 16.0)


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


@dataclass(frozen=True)
class Refused:
    """Slack answered with an error and did not post; `permanent` when retrying can never help."""

    error: str
    permanent: bool


@dataclass(frozen=True)
class RateLimited:
    """Slack answered 429 and did not post: try again after `retry_after` seconds."""

    retry_after: float


@dataclass(frozen=True)
class Unreachable:
    """The request never reached Slack, however often it was tried: nothing was posted."""


@dataclass(frozen=True)
class Unknown:
    """The request left and no clear answer came back (5xx, reset, timeout): Slack may have posted it."""

    reason: str


Outcome = Posted | Refused | RateLimited | Unreachable | Unknown


def post_once(
    client: WebClient,
    *,
    channel: str,
    message: Mapping[str, Any],
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Post once: a request that never left is retried with a backoff, nothing else ever is."""
    for wait in (*BACKOFF_SECONDS, None):
        try:
            response = client.chat_postMessage(channel=channel, **message)
            return Posted(channel=str(response.get("channel", channel)), ts=str(response.get("ts", "")))
        except SlackApiError as error:
            return _answered(error)
        except URLError as error:
            # urllib wraps what fails while connecting and sending in URLError: the request did not
            # leave whole, so Slack cannot have acted on it.
            if isinstance(error, HTTPError):
                return (
                    Unknown(reason=f"http_{error.code}") if error.code >= 500 else Refused(str(error), False)
                )
            if wait is None:
                return Unreachable()
            sleep(wait)
        except OSError as error:  # a reset, a closed connection or a timeout while awaiting the answer
            log.warning("chat.postMessage got no answer (%s); not sending it again", type(error).__name__)
            return Unknown(reason="no_answer")
    return Unreachable()


def _answered(error: SlackApiError) -> Outcome:
    metrics.record_slack_error(error)
    status = error.response.status_code
    code = str(error.response.get("error", "unknown_error") or "unknown_error")
    if status == 429:
        retry_after = float(error.response.headers.get("Retry-After", "1") or 1)
        log.info("Slack rate-limited chat.postMessage for a workspace; retry after %.0f s", retry_after)
        return RateLimited(retry_after=max(retry_after, 1.0))
    if status >= 500 or code in AMBIGUOUS_ERRORS:
        log.warning("chat.postMessage answered %s %s; not sending it again", status, code)
        return Unknown(reason=f"http_{status}" if status >= 500 else code)
    return Refused(error=code, permanent=code in PERMANENT_ERRORS)
