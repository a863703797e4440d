"""`kindly doctor`: checks configuration, the database, the encryption keys and the Slack token.

Each check prints one line, "ok" or "FAIL" (and "WARN" for what protects data at rest, see doctor.py);
checking never creates anything, not even an empty SQLite file.
"""

from __future__ import annotations

import argparse
import logging
from datetime import UTC, datetime
from pathlib import Path

from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from slackapp.config import Settings
from slackapp.doctor import Finding, file_modes, key_ages
from slackapp.slack_client import make_web_client
from slackapp.store.crypto import (
    KeyUnavailableError,
    check_master_keys,
    holds_data_keys,
    load_master_keys,
    master_key_material,
)
from slackapp.store.db import make_engine, make_session_factory
from slackapp.store.master_keys import key_ages as stored_key_ages
from slackapp.store.migrate import current_revision, head_revision


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


def doctor(_args: argparse.Namespace, settings: Settings) -> int:
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
    for finding in file_modes(settings):
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


def _key_age_findings(settings: Settings, engine: Engine) -> list[Finding]:
    try:
        keys = master_key_material(settings, may_create=False)
        with make_session_factory(engine).begin() as session:
            ages = stored_key_ages(session, keys)
    except (KeyUnavailableError, SQLAlchemyError):
        return []  # reported above
    return list(key_ages(settings, ages, now=datetime.now(UTC)))
