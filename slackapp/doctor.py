"""`kindly doctor`'s checks of what protects data at rest: file modes and the master keys' ages.

Each check yields findings: "ok" lines, and "warn" lines an operator should act on (they do not make the
command fail: Kindly still works, but less of what it promises holds).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from slackapp.config import Settings
from slackapp.private_files import exposed_to_others, sqlite_file
from slackapp.store.master_keys import KeyAge

ROTATION_STEPS = (
    "`kindly new-key`, put the new key first in KINDLY_ENCRYPTION_KEYS, restart every process, "
    "then `kindly rotate-keys`"
)


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str


def file_modes(settings: Settings) -> Iterator[Finding]:
    """The SQLite database and the master key file must be readable by their owner only."""
    files = {"database file": sqlite_file(settings.database_url), "master key file": settings.key_file}
    for role, path in files.items():
        if path is None or not path.exists():
            continue
        if exposed_to_others(path):
            yield Finding(
                False,
                f"the {role} {path} is readable by group or others (mode {path.stat().st_mode & 0o777:o}): "
                f"`chmod 600 {path}`",
            )
        else:
            yield Finding(True, f"the {role} {path} is readable by its owner only")


def key_ages(settings: Settings, ages: Sequence[KeyAge], *, now: datetime) -> Iterator[Finding]:
    """How old the oldest master key in use is, and which older keys may be retired."""
    recorded = [age for age in ages if age.first_seen_at is not None]
    if not recorded:
        yield Finding(True, "master keys: first use not recorded yet (it is, when Kindly starts)")
        return
    oldest = min(recorded, key=lambda age: age.first_seen_at or now)
    assert oldest.first_seen_at is not None
    days = (now - oldest.first_seen_at).days
    text = (
        f"oldest master key in use: key {oldest.position} of {len(ages)} (id {oldest.key_id[:8]}), "
        f"first used {oldest.first_seen_at:%Y-%m-%d} ({days} days ago)"
    )
    too_old = now - oldest.first_seen_at > settings.key_max_age
    yield Finding(
        not too_old,
        text
        + (f": older than {settings.key_max_age.days} days, rotate it: {ROTATION_STEPS}" if too_old else ""),
    )
    for age in ages[1:]:
        yield from _older_key(settings, age, now=now)


def _older_key(settings: Settings, age: KeyAge, *, now: datetime) -> Iterator[Finding]:
    name = f"key {age.position} (id {age.key_id[:8]})"
    if age.rotated_out_at is None:
        yield Finding(False, f"{name} may still wrap data: run `kindly rotate-keys`")
        return
    since = f"{age.rotated_out_at:%Y-%m-%d}"
    if settings.backup_retention is None:
        yield Finding(
            True,
            f"{name} wraps nothing since {since}: once every backup taken before then has expired, remove "
            "it from KINDLY_ENCRYPTION_KEYS and destroy every copy (set KINDLY_BACKUP_RETENTION_DAYS for "
            "the date)",
        )
        return
    retire_on = age.rotated_out_at + settings.backup_retention
    if now >= retire_on:
        yield Finding(
            False,
            f"{name} wraps nothing since {since} and the backups it protects expired on "
            f"{retire_on:%Y-%m-%d}: remove it from KINDLY_ENCRYPTION_KEYS and destroy every copy, so that "
            "what people deleted is gone from old backups too",
        )
    else:
        yield Finding(
            True,
            f"{name} wraps nothing since {since}: keep it until {retire_on:%Y-%m-%d} (backups taken before "
            "the rotation need it), then remove it and destroy every copy",
        )
