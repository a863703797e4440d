"""The Slack CLI's `start` hook (`slack run`): Kindly in Socket Mode with the tokens the CLI provides.

The CLI passes the local app's tokens as SLACK_CLI_XOXB and SLACK_CLI_XAPP; variables already set in the
environment or .env win, as with slack-cli-hooks.
"""

from __future__ import annotations

import os
import sys

from slackapp.cli import main as kindly

CLI_TOKENS = {"SLACK_CLI_XOXB": "SLACK_BOT_TOKEN", "SLACK_CLI_XAPP": "SLACK_APP_TOKEN"}


def main() -> int:
    for given, wanted in CLI_TOKENS.items():
        if os.environ.get(given) and not os.environ.get(wanted):
            os.environ[wanted] = os.environ[given]
    if not os.environ.get("SLACK_APP_TOKEN"):
        sys.stderr.write(
            "kindly: SLACK_CLI_XAPP is not set. Start Kindly with `slack run` from this folder, "
            "or set SLACK_APP_TOKEN for Socket Mode.\n"
        )
        return 2
    return kindly(["run"])


if __name__ == "__main__":
    raise SystemExit(main())
