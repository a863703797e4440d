"""Slack's tokens sealed at rest: a thin wrapper around slack_sdk's SQLAlchemy installation store.

slack_sdk stores bot, user and refresh tokens (and an incoming webhook's URL, which can post) in clear.
This store seals each with the master keys (Fernet) on the way in and opens it on the way out, so a copy
of the database without the master key holds no usable token. A sealed value carries a marker: sealing
twice changes nothing, and a clear value stored before sealing existed still opens until
`seal_stored_tokens` (run by `kindly migrate` and at every start) has sealed it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TypeVar

from cryptography.fernet import InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import ColumnElement, Engine, MetaData, Table, or_, select, update

from slackapp.store.crypto import KeyUnavailableError
from slackapp.store.db import flush_deleted_pages

SEALED = "kindly:"
INSTALLATION_SECRETS = (
    "bot_token",
    "bot_refresh_token",
    "user_token",
    "user_refresh_token",
    "incoming_webhook_url",
)
BOT_SECRETS = ("bot_token", "bot_refresh_token")

_Record = TypeVar("_Record", Installation, Bot)


class TokenSealer:
    """Seals and opens one secret string with the master keys."""

    def __init__(self, master: MultiFernet) -> None:
        self._master = master

    def seal(self, value: str | None) -> str | None:
        if value is None or value.startswith(SEALED):
            return value
        return SEALED + self._master.encrypt(value.encode("utf-8")).decode("ascii")

    def open(self, value: str | None) -> str | None:
        if value is None or not value.startswith(SEALED):
            return value  # not sealed yet: stored before sealing existed
        try:
            return self._master.decrypt(value[len(SEALED) :].encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise KeyUnavailableError(
                "a Slack token is sealed with a master key that is not configured: check "
                "KINDLY_ENCRYPTION_KEYS (or the key file)"
            ) from None

    def rewrap(self, value: str | None) -> str | None:
        """The same secret sealed under the newest master key (a clear one is sealed)."""
        if value is None or not value.startswith(SEALED):
            return self.seal(value)
        try:
            token = self._master.rotate(value[len(SEALED) :].encode("ascii"))
        except InvalidToken:
            raise KeyUnavailableError(
                "a Slack token opens with none of the configured master keys: keep the old key in "
                "KINDLY_ENCRYPTION_KEYS, after the new one, until rotation ends"
            ) from None
        return SEALED + token.decode("ascii")


class SealedInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store, with every token sealed before it is written and opened after it is read."""

    def __init__(self, *, client_id: str, engine: Engine, sealer: TokenSealer) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self.sealer = sealer

    def save(self, installation: Installation) -> None:
        # slack_sdk saves the installation's bot through save_bot too, already sealed (sealing is idempotent).
        super().save(_with(installation, INSTALLATION_SECRETS, self.sealer.seal))

    def save_bot(self, bot: Bot) -> None:
        super().save_bot(_with(bot, BOT_SECRETS, self.sealer.seal))

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        bot = super().find_bot(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
        )
        return None if bot is None else _with(bot, BOT_SECRETS, self.sealer.open)

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        installation = super().find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if installation is None else _with(installation, INSTALLATION_SECRETS, self.sealer.open)


def _with(record: _Record, fields: tuple[str, ...], transform: Callable[[str | None], str | None]) -> _Record:
    changed = copy.copy(record)
    for name in fields:
        setattr(changed, name, transform(getattr(record, name)))
    return changed


def _secret_tables() -> dict[Table, tuple[str, ...]]:
    metadata = MetaData()
    return {
        SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations"): (
            INSTALLATION_SECRETS
        ),
        SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots"): BOT_SECRETS,
    }


SECRET_TABLES = _secret_tables()


def holds_clear_tokens(engine: Engine) -> bool:
    with engine.connect() as connection:
        return any(
            connection.execute(select(table.c.id).where(_clear(table, fields)).limit(1)).first() is not None
            for table, fields in SECRET_TABLES.items()
        )


def _clear(table: Table, fields: tuple[str, ...]) -> ColumnElement[bool]:
    return or_(*(table.c[name].not_like(f"{SEALED}%") for name in fields))


def seal_stored_tokens(engine: Engine, sealer: TokenSealer, *, batch: int = 200) -> int:
    """Seal every token still stored in clear, a batch per transaction (resumable); returns how many rows."""
    return _rewrite(engine, sealer.seal, only_clear=True, batch=batch)


def rewrap_stored_tokens(engine: Engine, sealer: TokenSealer, *, batch: int = 200) -> int:
    """Re-seal every stored token under the newest master key, a batch per transaction (resumable)."""
    return _rewrite(engine, sealer.rewrap, only_clear=False, batch=batch)


def _drop_old_row_versions(engine: Engine) -> None:
    """An UPDATE leaves the old row (the clear token, or the one sealed under the old key) behind: in
    SQLite's write-ahead log, in PostgreSQL's dead tuples. Fold the log back; rewrite the small tables."""
    if engine.dialect.name == "sqlite":
        flush_deleted_pages(engine)
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in SECRET_TABLES:
            connection.exec_driver_sql(f"VACUUM FULL {table.name}")


def _rewrite(
    engine: Engine, transform: Callable[[str | None], str | None], *, only_clear: bool, batch: int
) -> int:
    rewritten = 0
    for table, fields in SECRET_TABLES.items():
        columns = [table.c[name] for name in fields]
        pending = _clear(table, fields) if only_clear else or_(*(column.is_not(None) for column in columns))
        after = 0
        while True:
            with engine.begin() as connection:
                rows = connection.execute(
                    select(table.c.id, *columns)
                    .where(pending, table.c.id > after)
                    .order_by(table.c.id)
                    .limit(batch)
                    .with_for_update()
                ).all()
                for row in rows:
                    values = {name: transform(getattr(row, name)) for name in fields}
                    connection.execute(update(table).where(table.c.id == row.id).values(**values))
            rewritten += len(rows)
            if len(rows) < batch:
                break
            after = rows[-1].id
    if rewritten:
        _drop_old_row_versions(engine)
    return rewritten
