"""`kindly migrate`, `purge`, `rotate-keys` and `new-key`: the database, what it keeps, and its keys.

`migrate` brings the schema to the latest migration (and seals Slack tokens stored in clear when the
master key is at hand); `purge` runs the housekeeping job once; `rotate-keys` re-wraps every data key
and token under the newest master key; `new-key` prints a new master key.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from cryptography.fernet import Fernet, MultiFernet

from slackapp.config import Settings
from slackapp.store.crypto import (
    KeyUnavailableError,
    holds_data_keys,
    load_master_keys,
    master_key_material,
    rotate_data_keys,
)
from slackapp.store.db import make_engine, make_session_factory
from slackapp.store.master_keys import mark_rotated_out
from slackapp.store.migrate import head_revision, upgrade_to_head
from slackapp.store.sealed_installations import (
    TokenSealer,
    holds_clear_tokens,
    rewrap_stored_tokens,
    seal_stored_tokens,
)


def migrate(_args: argparse.Namespace, settings: Settings) -> int:
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


def purge(_args: argparse.Namespace, settings: Settings) -> int:
    from slackapp.jobs import housekeeping
    from slackapp.runtime import open_services

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


def rotate_keys(_args: argparse.Namespace, settings: Settings) -> int:
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


def new_key(_args: argparse.Namespace, _settings: Settings | None) -> int:
    print(Fernet.generate_key().decode("ascii"))
    return 0
