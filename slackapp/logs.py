"""Logging set-up. Kindly never logs what people write; the Slack libraries' debug output (which
includes request bodies) is held at INFO whatever the root level, and the bodies they log above it are
withheld. With KINDLY_LOG_FORMAT=json every line is one JSON object, and lines logged while handling a
Slack request carry its `request_id`."""

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


class RequestBodyFilter(logging.Filter):
    """Withholds request bodies that Slack's libraries put in log lines.

    Bolt logs the whole body of a request whose signature does not match, at INFO
    (`RequestVerification._debug_log_error`: "Invalid request signature detected (..., body: ...)"), and
    parts of it for an unhandled request or a middleware that answered nothing. A forged or replayed
    request can carry someone's words, so the line keeps what it says and loses the body.
    """

    MARKERS = ("body: ", "body=", "Unhandled request (", "for the request (")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        found = [(message.find(marker), marker) for marker in self.MARKERS if marker in message]
        if found:
            position, marker = min(found)
            record.msg = message[: position + len(marker)] + "[request body withheld])"
            record.args = ()
        return True


REQUEST_BODY_FILTER = RequestBodyFilter()
# Bolt names a component's logger after its class, copying the app logger's filters when it is created;
# the one that logs bodies is named here too, in case it was created before.
BODY_LOGGERS = ("slackapp.bolt", "slack_bolt.RequestVerification", "slack_bolt.App")


def make_handler(log_format: str, stream: TextIO | None = None) -> logging.Handler:
    """A stream handler (stderr by default) in the given format, adding request ids to records."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RequestIdFilter())
    handler.addFilter(REQUEST_BODY_FILTER)
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
    for name in BODY_LOGGERS:
        logger = logging.getLogger(name)
        if REQUEST_BODY_FILTER not in logger.filters:
            logger.addFilter(REQUEST_BODY_FILTER)
