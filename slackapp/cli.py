"""The `kindly` command: parses the command line and runs a subcommand (see slackapp/commands/).

run, scheduler and dispatch serve Slack and send reminders; migrate, purge, rotate-keys and new-key look
after the database and its keys; doctor checks a deployment; manifest and playground help set up and try.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from dotenv import load_dotenv
from sqlalchemy.exc import SQLAlchemyError

from slackapp.commands import checks, data, serving, tools
from slackapp.config import ConfigError, Settings, load_settings
from slackapp.logs import configure_logging
from slackapp.store.crypto import KeyUnavailableError


def _settings() -> Settings:
    # The working directory's .env (the default search starts beside this module instead).
    load_dotenv(Path.cwd() / ".env", override=False)
    return load_settings(os.environ)


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO-8601 instant, e.g. 2026-01-05T08:00:00Z"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no UTC offset: add Z or +01:00, e.g. 2026-01-05T08:00:00Z"
        )
    return moment.astimezone(UTC)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kindly", description="Kindly, a Slack app for self-compassion at work."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run", help="start the app (Socket Mode when SLACK_APP_TOKEN is set, else HTTP)"
    )
    run.add_argument("--http", action="store_true", help="serve HTTP even when SLACK_APP_TOKEN is set")
    run.add_argument("--host", default="0.0.0.0", help="HTTP bind address (default 0.0.0.0)")  # noqa: S104
    run.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    run.add_argument("--no-scheduler", action="store_true", help="do not send reminders from this process")
    run.set_defaults(handler=serving.run)
    commands.add_parser(
        "scheduler", help="only send reminders: the dispatcher tick, without serving Slack"
    ).set_defaults(handler=serving.scheduler)
    dispatch = commands.add_parser("dispatch", help="run exactly one dispatcher tick and exit (cron, tests)")
    dispatch.add_argument("--now", type=_instant, help="the instant to tick as of (ISO-8601 with offset)")
    dispatch.set_defaults(handler=serving.dispatch)
    commands.add_parser(
        "purge",
        help="delete reflections past their retention, uninstalled workspaces' data past their grace "
        "period, and old bookkeeping",
    ).set_defaults(handler=data.purge)
    commands.add_parser("rotate-keys", help="re-wrap data keys under the newest master key").set_defaults(
        handler=data.rotate_keys
    )
    commands.add_parser("migrate", help="bring the database to the latest migration").set_defaults(
        handler=data.migrate
    )
    commands.add_parser("doctor", help="check configuration, database and Slack token").set_defaults(
        handler=checks.doctor
    )
    playground = commands.add_parser(
        "playground", help="try Kindly in a browser: the real app, a fake Slack, no workspace or tokens"
    )
    playground.add_argument("--port", type=int, default=3000, help="page port (default 3000)")
    playground.set_defaults(handler=tools.playground)
    commands.add_parser("new-key", help="print a new master key for KINDLY_ENCRYPTION_KEYS").set_defaults(
        handler=data.new_key
    )
    manifest = commands.add_parser(
        "manifest", help="print the Slack app manifest (HTTP mode with --url, else Socket Mode) as JSON"
    )
    where = manifest.add_mutually_exclusive_group()
    where.add_argument("--url", help="the app's public https origin, e.g. https://kindly.example.com")
    where.add_argument("--socket", action="store_true", help="the Socket Mode manifest (the default)")
    manifest.add_argument("--yaml", action="store_true", help="print YAML instead of JSON")
    manifest.set_defaults(handler=tools.manifest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in {"new-key", "manifest"}:  # they need no settings
        return int(args.handler(args, None))
    try:
        settings = _settings()
        configure_logging(settings.log_format, getattr(logging, settings.log_level))
        return int(args.handler(args, settings))
    except ConfigError as error:
        sys.stderr.write(f"kindly: {error}\n")
        return 2
    except KeyUnavailableError as error:
        sys.stderr.write(f"kindly: {error}\n")
        return 2
    except SQLAlchemyError as error:
        sys.stderr.write(
            f"kindly: the database is unreachable ({type(error).__name__}). Check DATABASE_URL; "
            "`kindly doctor` says more.\n"
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
