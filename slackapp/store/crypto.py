"""Envelope encryption: each person's text is sealed with their own data key.

Data keys are stored wrapped by the master keys (MultiFernet, newest first). Destroying a person's
data key makes every copy of their ciphertext unreadable with the live keys (crypto-shredding);
rotating a master key re-wraps the small data keys instead of every body.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from slackapp.config import Settings
from slackapp.store.models import DataKey
from slackapp.store.upsert import insert_ignoring_conflicts

log = logging.getLogger(__name__)


class KeyUnavailableError(Exception):
    """A stored secret cannot be opened with the configured master keys."""


def load_master_keys(settings: Settings, *, may_create: bool = True) -> MultiFernet:
    """The configured master keys, or the embedded default's key file.

    The key file is created on first run only; `may_create=False` (the database already holds wrapped
    data keys) refuses to replace a lost file, which would silently make every reflection unreadable.
    """
    return MultiFernet([Fernet(key) for key in master_key_material(settings, may_create=may_create)])


def master_key_material(settings: Settings, *, may_create: bool = True) -> list[bytes]:
    """The raw master keys, newest first (see `load_master_keys`)."""
    if settings.encryption_keys:
        return [key.reveal().encode("ascii") for key in settings.encryption_keys]
    if settings.key_file is None:
        raise KeyUnavailableError("no master key configured: set KINDLY_ENCRYPTION_KEYS")
    return [_read_or_create_key_file(settings.key_file, may_create=may_create)]


def key_id(key: bytes) -> str:
    """A master key's public name: a one-way digest that tells keys apart and reveals nothing of them."""
    return hmac.new(key, b"kindly master key id", hashlib.sha256).hexdigest()[:32]


def _read_or_create_key_file(path: Path, *, may_create: bool) -> bytes:
    if path.exists() or not may_create:
        return _read_key_file(path)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key_file(path)
    key = Fernet.generate_key()
    os.fchmod(descriptor, 0o600)  # whatever the umask
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key + b"\n")
    log.warning(
        "Created master key file %s (mode 0600). Back it up: without it no reflection can be read.", path
    )
    return key


def _read_key_file(path: Path) -> bytes:
    restore = "restore it from your backup (without it no reflection can be read)"
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        raise KeyUnavailableError(f"the master key file {path} is missing: {restore}") from None
    except OSError as error:
        raise KeyUnavailableError(f"the master key file {path} cannot be read ({error.strerror})") from None
    try:
        Fernet(key)
    except ValueError:
        raise KeyUnavailableError(f"the master key file {path} is damaged: {restore}") from None
    return key


def holds_data_keys(session: Session) -> bool:
    return session.scalars(select(DataKey.user_id).limit(1)).first() is not None


def check_master_keys(session: Session, master: MultiFernet) -> None:
    """Raise KeyUnavailableError unless a stored data key opens with these master keys."""
    row = session.scalars(select(DataKey).limit(1)).first()
    if row is None:
        return
    try:
        master.decrypt(row.wrapped_key)
    except InvalidToken:
        raise KeyUnavailableError(
            "the stored data keys were wrapped by a master key that is not configured: "
            "check KINDLY_ENCRYPTION_KEYS (or the key file)"
        ) from None


class Vault:
    """Seals and opens one person's private text with their own data key."""

    def __init__(self, master: MultiFernet) -> None:
        self._master = master

    def seal(
        self,
        session: Session,
        *,
        team_id: str,
        user_id: str,
        plaintext: bytes,
        sealed_at: datetime | None = None,
    ) -> bytes:
        """Encrypt with the person's data key (made on first use).

        A Fernet token carries its time in clear, and so does a new data key's row: `sealed_at` stands
        in for "now" in both, for text whose moment of writing must not show (an anonymous shout-out).
        """
        return self.sealer(session, team_id=team_id, user_id=user_id, sealed_at=sealed_at)(plaintext)

    def sealer(
        self, session: Session, *, team_id: str, user_id: str, sealed_at: datetime | None = None
    ) -> Callable[[bytes], bytes]:
        """Seals many texts of one person with their data key fetched and unwrapped once (the session
        holds the key's row only weakly: a second `seal` would read it again)."""
        moment = sealed_at or datetime.now(UTC)
        data_key = self._data_key(session, team_id=team_id, user_id=user_id, create=True, created_at=moment)

        def seal_text(plaintext: bytes) -> bytes:
            return data_key.encrypt_at_time(plaintext, int(moment.timestamp()))

        return seal_text

    def open(self, session: Session, *, team_id: str, user_id: str, token: bytes) -> bytes:
        data_key = self._data_key(session, team_id=team_id, user_id=user_id, create=False)
        try:
            return data_key.decrypt(token)
        except InvalidToken:
            raise KeyUnavailableError("this text was sealed with a data key that no longer exists") from None

    def opener(self, session: Session, *, team_id: str, user_id: str) -> Callable[[bytes], bytes]:
        """Opens many of one person's tokens with their data key unwrapped once (a journal's metadata)."""
        data_key = self._data_key(session, team_id=team_id, user_id=user_id, create=False)

        def open_token(token: bytes) -> bytes:
            try:
                return data_key.decrypt(token)
            except InvalidToken:
                raise KeyUnavailableError(
                    "this text was sealed with a data key that no longer exists"
                ) from None

        return open_token

    def destroy(self, session: Session, *, team_id: str, user_id: str) -> None:
        """Crypto-shred: without the data key, the person's ciphertext cannot be opened again."""
        session.execute(delete(DataKey).where(DataKey.team_id == team_id, DataKey.user_id == user_id))

    def _data_key(
        self,
        session: Session,
        *,
        team_id: str,
        user_id: str,
        create: bool,
        created_at: datetime | None = None,
    ) -> Fernet:
        row = session.get(DataKey, (team_id, user_id))
        if row is None:
            if not create:
                raise KeyUnavailableError("no data key for this person")
            row = self._create_data_key(
                session, team_id=team_id, user_id=user_id, created_at=created_at or datetime.now(UTC)
            )
        try:
            return Fernet(self._master.decrypt(row.wrapped_key))
        except InvalidToken:
            raise KeyUnavailableError(
                "a data key is wrapped by a master key that is not in KINDLY_ENCRYPTION_KEYS"
            ) from None

    def _create_data_key(
        self, session: Session, *, team_id: str, user_id: str, created_at: datetime
    ) -> DataKey:
        wrapped = self._master.encrypt_at_time(Fernet.generate_key(), int(created_at.timestamp()))
        inserted = insert_ignoring_conflicts(
            session,
            DataKey,
            team_id=team_id,
            user_id=user_id,
            wrapped_key=wrapped,
            created_at=created_at,
        )
        row = session.get(DataKey, (team_id, user_id), populate_existing=not inserted)
        assert row is not None
        return row


def derive_secret(settings: Settings, purpose: str) -> bytes:
    """A 32-byte secret for one purpose, derived from the newest master key (HKDF-SHA256)."""
    if settings.encryption_keys:
        material = settings.encryption_keys[0].reveal().encode("ascii")
    elif settings.key_file is not None:
        material = _read_key_file(settings.key_file)
    else:
        raise KeyUnavailableError("no master key configured: set KINDLY_ENCRYPTION_KEYS")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode("utf-8")).derive(
        material
    )


def rotate_data_keys(
    sessions: sessionmaker[Session],
    master: MultiFernet,
    *,
    batch: int = 500,
    after: tuple[str, str] = ("", ""),
) -> int:
    """Re-wrap every data key under the newest master key, a batch per transaction.

    Resumable and safe while the app runs: each batch commits on its own, and re-wrapping a key that is
    already under the newest master key just wraps it again. Returns how many keys were re-wrapped.
    """
    rotated = 0
    position = after
    while True:
        with sessions.begin() as session:
            rows = session.scalars(
                select(DataKey)
                .where(tuple_(DataKey.team_id, DataKey.user_id) > position)
                .order_by(DataKey.team_id, DataKey.user_id)
                .limit(batch)
                .with_for_update()
            ).all()
            for row in rows:
                try:
                    row.wrapped_key = master.rotate(row.wrapped_key)
                except InvalidToken:
                    raise KeyUnavailableError(
                        f"a data key opens with none of the configured master keys ({rotated} re-wrapped):"
                        " keep the old key in KINDLY_ENCRYPTION_KEYS, after the new one, until rotation ends"
                    ) from None
            rotated += len(rows)
            if len(rows) < batch:
                return rotated
            position = (rows[-1].team_id, rows[-1].user_id)
