"""Prometheus metrics: Slack requests, acknowledgement latency, deliveries and Slack API errors.

A dispatcher tick adds its counts through scheduling/tick_report.py. Counters are per process (one
gunicorn worker per process, see slackapp/server.py); Prometheus sums them across replicas. No label
ever carries a person, a workspace or anything anyone wrote.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from slack_sdk.errors import SlackApiError

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)

REQUESTS = Counter(
    "kindly_slack_requests",
    "Requests Slack sent to /slack/events, by kind and HTTP status class.",
    ["kind", "outcome"],
    registry=REGISTRY,
)
ACK_SECONDS = Histogram(
    "kindly_slack_ack_seconds",
    "Time from receiving a Slack request to having its acknowledgement ready (Slack allows 3 s).",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "kindly_deliveries",
    "Reminder deliveries handled by dispatcher ticks, by status (and reason for skipped and failed).",
    ["status", "reason"],
    registry=REGISTRY,
)
PLANNED = Counter(
    "kindly_deliveries_planned", "Reminder occurrences planned into the delivery ledger.", registry=REGISTRY
)
DIGESTS = Counter("kindly_digests_posted", "Weekly shout-out digests posted.", registry=REGISTRY)
SLACK_API_ERRORS = Counter(
    "kindly_slack_api_errors",
    "Slack Web API calls that answered an error, by method and Slack's error code.",
    ["method", "error"],
    registry=REGISTRY,
)


def request_kind(body: Mapping[str, Any]) -> str:
    """The kind of a parsed Slack request body: command, action, view_submission, shortcut, event, other."""
    if "command" in body:
        return "command"
    kind = body.get("type")
    if kind in {"block_actions", "interactive_message", "block_suggestion"}:
        return "action"
    if kind in {"view_submission", "view_closed"}:
        return "view_submission"
    if kind in {"shortcut", "message_action"}:
        return "shortcut"
    if kind == "event_callback":
        return "event"
    return "other"


def record_request(kind: str, status: int, seconds: float) -> None:
    REQUESTS.labels(kind=kind, outcome=f"{status // 100}xx").inc()
    ACK_SECONDS.labels(kind=kind).observe(seconds)


def record_slack_error(error: SlackApiError) -> None:
    """Count a Slack Web API error by method (the last part of the URL) and error code."""
    response = error.response
    method = str(getattr(response, "api_url", "") or "").rstrip("/").rsplit("/", 1)[-1] or "unknown"
    code = response.get("error") if isinstance(response.data, dict) else None
    SLACK_API_ERRORS.labels(method=method, error=str(code or f"http_{response.status_code}")).inc()


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus text format, and their content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
