"""Logging set-up. Kindly never logs what people write; the Slack libraries' debug output (which
includes request bodies) is held at INFO whatever the root level."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

SLACK_LOGGERS = ("slack_bolt", "slack_sdk", "slackapp.bolt")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    hold_slack_debug_logging()


def hold_slack_debug_logging() -> None:
    """slack_sdk and Bolt log request and response bodies at DEBUG: views with decrypted reflections."""
    for name in SLACK_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
