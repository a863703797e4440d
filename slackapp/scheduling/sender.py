"""Posting one message under the workspace's pace, with Slack's own retry rules.

Written by hand rather than with slack_sdk's retry handlers because a 429 must hold only its own
workspace's bucket, the waits must use the dispatcher's clock (tests advance it instead of sleeping),
and Slack's permanent errors must stop the person's schedule instead of being retried.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp import metrics
from slackapp.scheduling.pacing import Pacer

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
BACKOFF_SECONDS = (1.0, 4.0, 16.0)
MAX_RATE_LIMITED = 5


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


@dataclass(frozen=True)
class TooLate:
    """Waiting (for the pace, or out a 429) took the message past its grace window: not sent."""


@dataclass(frozen=True)
class Refused:
    """Slack answered with an error; `permanent` when retrying can never help this person."""

    error: str
    permanent: bool


def post_paced(
    client: WebClient,
    pacer: Pacer,
    *,
    team_id: str,
    channel: str,
    message: Mapping[str, Any],
    sleep: Callable[[float], None] = time.sleep,
    too_late: Callable[[], bool] = lambda: False,
) -> Posted | Refused | TooLate:
    transient_failures = 0
    rate_limited = 0
    while True:
        pacer.acquire(team_id)
        if too_late():  # checked after any wait for the pace or a 429, just before sending
            return TooLate()
        try:
            response = client.chat_postMessage(channel=channel, **message)
            return Posted(channel=str(response.get("channel", channel)), ts=str(response.get("ts", "")))
        except SlackApiError as error:
            metrics.record_slack_error(error)
            status = error.response.status_code
            code = str(error.response.get("error", "unknown_error"))
            if status == 429 and rate_limited < MAX_RATE_LIMITED:
                rate_limited += 1
                wait = float(error.response.headers.get("Retry-After", "1") or 1)
                log.info("Slack rate-limited chat.postMessage for a workspace; waiting %.0f s", wait)
                pacer.hold(team_id, wait)
                continue
            if status < 500 or transient_failures >= len(BACKOFF_SECONDS):
                return Refused(error=code, permanent=code in PERMANENT_ERRORS)
        except (TimeoutError, URLError, ConnectionError):
            if transient_failures >= len(BACKOFF_SECONDS):
                return Refused(error="slack_unreachable", permanent=False)
        sleep(BACKOFF_SECONDS[transient_failures])
        transient_failures += 1
