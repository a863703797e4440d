"""The `kindly` command: run, migrate, doctor, new-key."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, MultiFernet
from dotenv import load_dotenv
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from slackapp import doctor
from slackapp.config import ConfigError, Settings, load_settings, require_slack_credentials
from slackapp.logs import configure_logging
from slackapp.slack_client import make_web_client
from slackapp.store.crypto import (
    KeyUnavailableError,
    check_master_keys,
    holds_data_keys,
    load_master_keys,
    master_key_material,
    rotate_data_keys,
)
from slackapp.store.db import make_engine, make_session_factory
from slackapp.store.master_keys import key_ages, mark_rotated_out
from slackapp.store.migrate import current_revision, head_revision, upgrade_to_head
from slackapp.store.sealed_installations import (
    TokenSealer,
    holds_clear_tokens,
    rewrap_stored_tokens,
    seal_stored_tokens,
)

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

    from slackapp.runtime import Runtime

log = logging.getLogger("slackapp.cli")

SETUP_GUIDE = """\
Kindly needs a Slack app before it can run. Set these variables (in the environment or a .env file here):
  SLACK_BOT_TOKEN       xoxb-…  OAuth & Permissions -> Bot User OAuth Token
  SLACK_APP_TOKEN       xapp-…  Basic Information -> App-Level Tokens (connections:write), for Socket Mode
  SLACK_SIGNING_SECRET          Basic Information -> App Credentials -> Signing Secret, for HTTP mode (--http)
To create the app: https://api.slack.com/apps -> Create New App -> From a manifest -> paste manifest.yml
(from this repository), then Install to Workspace. Then run `kindly doctor` to check, and `kindly run` again.
"""


def _settings() -> Settings:
    # The working directory's .env (the default search starts beside this module instead).
    load_dotenv(Path.cwd() / ".env", override=False)
    return load_settings(os.environ)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    http = args.http or not settings.socket_mode
    if settings.bot_token is None and settings.app_token is None and settings.signing_secret is None:
        sys.stderr.write(SETUP_GUIDE)
        return 2
    require_slack_credentials(settings, http=http)
    if http:
        return _serve_http(settings, host=args.host, port=args.port, with_scheduler=not args.no_scheduler)

    from slackapp.runtime import build_runtime
    from slackapp.socket_mode import check_bot_token

    if settings.bot_token is not None:  # before Bolt's own check, which would end in a traceback
        check_bot_token(settings.bot_token.reveal(), api_url=settings.api_url)
    runtime = build_runtime(settings)
    try:
        log.info("Kindly is connecting to Slack in Socket Mode")
        connection = runtime.socket_mode().start()  # a refused token stops here with one line
        _say_start(settings, mode="Socket Mode", with_scheduler=not args.no_scheduler)
        scheduler = None if args.no_scheduler else _start_scheduler(runtime)
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
            connection.wait()
        except KeyboardInterrupt:
            log.info("Kindly is stopping")
        finally:
            connection.stop()
            if scheduler is not None:
                scheduler.shutdown(wait=True)
    finally:
        runtime.close()
    return 0


def _say_start(settings: Settings, *, mode: str, with_scheduler: bool) -> None:
    """One line that says how this process runs; one more first if Slack cannot be reached."""
    from slackapp.health import SlackReadiness

    slack = SlackReadiness(make_web_client(settings, retries=False, timeout=5), oauth=settings.oauth)
    slack()
    log.info(
        "Kindly starts: %s; database %s; workspace %s; %s",
        mode,
        make_url(settings.database_url).render_as_string(hide_password=True),
        slack.workspace,
        f"scheduler in this process, a tick every {settings.tick_seconds} s"
        if with_scheduler
        else "scheduler off here (--no-scheduler): run `kindly scheduler` elsewhere",
    )


def _start_scheduler(runtime: Runtime) -> BaseScheduler:
    from slackapp.scheduling.jobs import build_scheduler

    tick_seconds = runtime.settings.tick_seconds
    scheduler = build_scheduler(
        runtime.services, runtime.dispatcher, tick_seconds=tick_seconds, blocking=False
    )
    scheduler.start()
    log.info("Reminders: the dispatcher ticks every %d s in this process", tick_seconds)
    return scheduler


def _serve_http(settings: Settings, *, host: str, port: int, with_scheduler: bool) -> int:
    """Serve Slack with gunicorn (see slackapp/server.py); SIGTERM stops it gracefully."""
    from slackapp.runtime import build_runtime
    from slackapp.server import GunicornServer, Served

    # Migrate and check the keys (creating the key file on first run) before gunicorn forks its worker,
    # so that a problem stops start-up with one clear line rather than a worker failing to boot.
    build_runtime(settings).close()
    # One line now if Slack cannot be reached (serving goes on regardless), and the workspace's name.
    _say_start(settings, mode="HTTP mode", with_scheduler=with_scheduler)

    def load() -> Served:
        runtime = build_runtime(settings, migrate=False)
        scheduler = _start_scheduler(runtime) if with_scheduler else None

        def close() -> None:
            if scheduler is not None:
                scheduler.shutdown(wait=True)
            runtime.close()

        return Served(wsgi=runtime.wsgi(), close=close)

    def ready() -> None:
        log.info(
            "Kindly is listening on http://%s:%s/slack/events (probes: /healthz, /readyz; /metrics)",
            host,
            port,
        )

    return GunicornServer(load, host=host, port=port, on_ready=ready).serve()


def _scheduler(_args: argparse.Namespace, settings: Settings) -> int:
    require_slack_credentials(settings, http=True, signing=False)
    from slackapp.runtime import build_runtime
    from slackapp.scheduling.jobs import build_scheduler

    runtime = build_runtime(settings)
    scheduler = build_scheduler(
        runtime.services, runtime.dispatcher, tick_seconds=settings.tick_seconds, blocking=True
    )
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    log.info("Kindly's scheduler is running: a dispatcher tick every %d s", settings.tick_seconds)
    try:
        scheduler.start()
    except KeyboardInterrupt:
        log.info("Kindly's scheduler is stopping")
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)  # let a tick in progress finish before the database closes
        runtime.close()
    return 0


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


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    require_slack_credentials(settings, http=True, signing=False)
    from slackapp.runtime import build_runtime

    runtime = build_runtime(settings)
    try:
        report = runtime.dispatcher.tick(args.now or datetime.now(UTC))
    finally:
        runtime.close()
    print(report.summary())
    return 0


def _stop_on_sigterm(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # the same clean stop as Ctrl-C, for docker stop and systemd


def _migrate(_args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    upgrade_to_head(engine, master_keys=lambda: load_master_keys(settings, may_create=False))
    print(f"Database is at the latest migration ({head_revision()}).")
    # Migrating needs no master key (a deploy step may not have it) unless tokens are still in clear.
    if holds_clear_tokens(engine):
        try:
            master = load_master_keys(settings, may_create=False)
        except KeyUnavailableError:
            print("Slack tokens stored in clear are sealed when Kindly first starts with its master key.")
        else:
            sealed = seal_stored_tokens(engine, TokenSealer(master))
            print(f"Sealed the Slack tokens of {sealed} installation rows that were stored in clear.")
    engine.dispose()
    return 0


def _missing_sqlite_file(database_url: str) -> Path | None:
    """The SQLite file DATABASE_URL names, when it does not exist yet."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in {None, "", ":memory:"}:
        return None
    path = Path(str(url.database))
    return None if path.exists() else path


def _quiet_library_logs() -> None:
    """Doctor reports each problem itself, in one line: no migration chatter or slack_sdk errors too."""
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("slack_sdk").setLevel(logging.CRITICAL)


def _doctor(_args: argparse.Namespace, settings: Settings) -> int:
    _quiet_library_logs()
    problems = 0

    def report(ok: bool, text: str) -> None:
        nonlocal problems
        problems += 0 if ok else 1
        print(f"{'ok  ' if ok else 'FAIL'} {text}")

    report(True, "configuration is well-formed")
    # Checking must not create anything: connecting to a missing SQLite file would create it empty.
    missing = _missing_sqlite_file(settings.database_url)
    if missing is not None:
        report(
            False, f"no database yet: {missing} does not exist; `kindly migrate` (or `kindly run`) creates it"
        )
        print("skip encryption keys: cannot be checked until the database exists")
    else:
        engine = make_engine(settings.database_url)
        try:
            current = current_revision(engine)
            head = head_revision()
            report(
                current == head,
                f"database reachable, migration {current or 'none'} (latest {head})"
                + ("" if current == head else ": run `kindly migrate`"),
            )
        except SQLAlchemyError as error:
            report(
                False,
                f"database unreachable: {type(error).__name__}. Check DATABASE_URL and that the server runs",
            )
        try:
            with make_session_factory(engine).begin() as session:
                key_file = settings.key_file
                if key_file is not None and not key_file.exists() and not holds_data_keys(session):
                    report(True, f"no data yet: the master key file {key_file} will be created on first run")
                else:
                    check_master_keys(session, load_master_keys(settings, may_create=False))
                    report(True, "encryption keys are readable and open the stored data keys")
        except KeyUnavailableError as error:
            report(False, f"encryption keys: {error}")
        except SQLAlchemyError:
            print("skip encryption keys: cannot be checked until the database is reachable")
        for finding in _key_age_findings(settings, engine):
            print(f"{'ok  ' if finding.ok else 'WARN'} {finding.text}")
    for finding in doctor.file_modes(settings):
        print(f"{'ok  ' if finding.ok else 'WARN'} {finding.text}")
    if settings.bot_token is None:
        report(False, "SLACK_BOT_TOKEN is not set: see `kindly run` for how to create the app")
    else:
        try:
            identity = make_web_client(settings).auth_test()
            report(True, f"Slack token works: bot {identity.get('user')} in workspace {identity.get('team')}")
        except SlackApiError as error:
            report(
                False,
                f"Slack refused the token ({error.response.get('error')}): reinstall the app or "
                "copy the Bot User OAuth Token again",
            )
        except OSError as error:
            report(
                False,
                f"Slack unreachable at {settings.api_url} ({type(error).__name__}): check SLACK_API_URL",
            )
    return 1 if problems else 0


def _key_age_findings(settings: Settings, engine: Engine) -> list[doctor.Finding]:
    try:
        keys = master_key_material(settings, may_create=False)
        with make_session_factory(engine).begin() as session:
            ages = key_ages(session, keys)
    except (KeyUnavailableError, SQLAlchemyError):
        return []  # reported above
    return list(doctor.key_ages(settings, ages, now=datetime.now(UTC)))


def _purge(_args: argparse.Namespace, settings: Settings) -> int:
    from slackapp.runtime import open_services
    from slackapp.scheduling.jobs import housekeeping

    foundation = open_services(settings)  # purging needs the database only, not Slack
    engine, services = foundation.engine, foundation.services
    try:
        housekeeping(services)
    finally:
        engine.dispose()
    print(
        "Purged reflections past their workspace's retention, the data of uninstalled workspaces whose "
        "grace period ended, and old bookkeeping (see the log line)."
    )
    return 0


def _rotate_keys(_args: argparse.Namespace, settings: Settings) -> int:
    """Re-wrap every person's data key under the newest key of KINDLY_ENCRYPTION_KEYS."""
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        keys = master_key_material(settings, may_create=not holds_data_keys(session))
    master = MultiFernet([Fernet(key) for key in keys])
    rotated = rotate_data_keys(sessions, master)
    tokens = rewrap_stored_tokens(engine, TokenSealer(master))
    now = datetime.now(UTC)
    with sessions.begin() as session:
        mark_rotated_out(session, keys, now=now)
    engine.dispose()
    print(f"Re-wrapped {rotated} data keys and {tokens} installations' Slack tokens under the newest key.")
    if len(keys) > 1:
        keep = (
            f"until {now + settings.backup_retention:%Y-%m-%d}"
            if settings.backup_retention
            else "until every backup taken before today has expired (KINDLY_BACKUP_RETENTION_DAYS dates it)"
        )
        print(
            f"The {len(keys) - 1} older key(s) now wrap nothing live. Keep them (configured or offline) "
            f"{keep}: older backups need them. Then remove them and destroy every copy, so that "
            "what people deleted cannot be read from old backups either. `kindly doctor` reminds you."
        )
    return 0


def _playground(args: argparse.Namespace, _settings: Settings) -> int:
    try:  # only here: the app itself never needs the playground, and the container image leaves it out
        from kindly_playground import run_playground
    except ModuleNotFoundError as missing:
        sys.stderr.write(
            f"kindly: the playground is not installed here (no module {missing.name!r}). "
            "In a checkout of Kindly, run: pip install -e '.[playground]'\n"
        )
        return 2
    return run_playground(port=args.port)


def _new_key(_args: argparse.Namespace, _settings: Settings | None) -> int:
    print(Fernet.generate_key().decode("ascii"))
    return 0


def _manifest(args: argparse.Namespace, _settings: Settings | None) -> int:
    from slackapp.manifest import ManifestError, http_manifest, load_manifest, render

    try:
        manifest = http_manifest(args.url) if args.url else load_manifest()
    except ManifestError as error:
        sys.stderr.write(f"kindly: --url {error}\n")
        return 2
    sys.stdout.write(render(manifest, as_yaml=args.yaml))
    return 0


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
    run.set_defaults(handler=_run)
    commands.add_parser(
        "scheduler", help="only send reminders: the dispatcher tick, without serving Slack"
    ).set_defaults(handler=_scheduler)
    dispatch = commands.add_parser("dispatch", help="run exactly one dispatcher tick and exit (cron, tests)")
    dispatch.add_argument("--now", type=_instant, help="the instant to tick as of (ISO-8601 with offset)")
    dispatch.set_defaults(handler=_dispatch)
    commands.add_parser(
        "purge",
        help="delete reflections past their retention, uninstalled workspaces' data past their grace "
        "period, and old bookkeeping",
    ).set_defaults(handler=_purge)
    commands.add_parser("rotate-keys", help="re-wrap data keys under the newest master key").set_defaults(
        handler=_rotate_keys
    )
    commands.add_parser("migrate", help="bring the database to the latest migration").set_defaults(
        handler=_migrate
    )
    commands.add_parser("doctor", help="check configuration, database and Slack token").set_defaults(
        handler=_doctor
    )
    playground = commands.add_parser(
        "playground", help="try Kindly in a browser: the real app, a fake Slack, no workspace or tokens"
    )
    playground.add_argument("--port", type=int, default=3000, help="page port (default 3000)")
    playground.set_defaults(handler=_playground)
    commands.add_parser("new-key", help="print a new master key for KINDLY_ENCRYPTION_KEYS").set_defaults(
        handler=_new_key
    )
    manifest = commands.add_parser(
        "manifest", help="print the Slack app manifest (HTTP mode with --url, else Socket Mode) as JSON"
    )
    where = manifest.add_mutually_exclusive_group()
    where.add_argument("--url", help="the app's public https origin, e.g. https://kindly.example.com")
    where.add_argument("--socket", action="store_true", help="the Socket Mode manifest (the default)")
    manifest.add_argument("--yaml", action="store_true", help="print YAML instead of JSON")
    manifest.set_defaults(handler=_manifest)
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
