"""`kindly run`, `kindly scheduler` and `kindly dispatch`: the commands that serve Slack and send reminders.

`run` serves Slack in Socket Mode or over HTTP (gunicorn), with the scheduler in the process unless told
otherwise; `scheduler` only ticks; `dispatch` runs exactly one tick as of a chosen instant and exits.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from slackapp.config import Settings, require_slack_credentials
from slackapp.slack_client import make_web_client

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

    from slackapp.runtime import Runtime

log = logging.getLogger("slackapp.cli")  # the `kindly` command's own lines, whichever command runs

SETUP_GUIDE = """\
Kindly needs a Slack app before it can run. Set these variables (in the environment or a .env file here):
  SLACK_BOT_TOKEN       xoxb-…  OAuth & Permissions -> Bot User OAuth Token
  SLACK_APP_TOKEN       xapp-…  Basic Information -> App-Level Tokens (connections:write), for Socket Mode
  SLACK_SIGNING_SECRET          Basic Information -> App Credentials -> Signing Secret, for HTTP mode (--http)
To create the app: https://api.slack.com/apps -> Create New App -> From a manifest -> paste manifest.yml
(from this repository), then Install to Workspace. Then run `kindly doctor` to check, and `kindly run` again.
"""


def run(args: argparse.Namespace, settings: Settings) -> int:
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
    from slackapp.jobs import build_scheduler

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


def scheduler(_args: argparse.Namespace, settings: Settings) -> int:
    require_slack_credentials(settings, http=True, signing=False)
    from slackapp.jobs import build_scheduler
    from slackapp.runtime import build_runtime

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


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
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
