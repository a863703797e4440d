"""Logging set-up. Kindly never logs what people write; the Slack libraries' debug output (which
includes request bodies) is held at INFO whatever the root level. With KINDLY_LOG_FORMAT=json every line
is one JSON object, and lines logged while handling a Slack request carry its `request_id`."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TextIO

from slackapp.request_ids import REQUEST_ID

SLACK_LOGGERS = ("slack_bolt", "slack_sdk", "slackapp.bolt")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (the Slack request being handled, or None) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def make_handler(log_format: str, stream: TextIO | None = None) -> logging.Handler:
    """A stream handler (stderr by default) in the given format, adding request ids to records."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RequestIdFilter())
    return handler


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    handler = make_handler(log_format)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    hold_slack_debug_logging()


def hold_slack_debug_logging() -> None:
    """slack_sdk and Bolt log request and response bodies at DEBUG: views with decrypted reflections."""
    for name in SLACK_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
