"""What an operator must keep safe: private files, a closed /metrics, and master keys rotated on a schedule
and retired once the backups they protect have expired (which is what lets forget-me reach backups)."""

from __future__ import annotations

import os
import stat
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import update

from fakeslack import FakeSlack
from slackapp.config import Secret, Settings, load_settings
from slackapp.runtime import build_runtime
from slackapp.store.db import make_engine
from slackapp.store.models import MasterKey
from tests.conftest import BOT_TOKEN, Kindly, running_kindly
from tests.support.cli import clean_env, run_kindly

METRICS_TOKEN = "scrape-me-0123456789abcdef"


@pytest.fixture
def embedded(tmp_path: Path, fake_slack: FakeSlack) -> Settings:
    """The embedded default: a SQLite file and a master key file, in a fresh directory."""
    return Settings(
        bot_token=Secret(BOT_TOKEN),
        api_url=fake_slack.api_url,
        database_url=f"sqlite:///{tmp_path / 'kindly.sqlite3'}",
        key_file=tmp_path / "kindly-master.key",
    )


def started_once(settings: Settings, *, at: datetime | None = None) -> None:
    build_runtime(settings, clock=lambda: at or datetime.now(UTC)).close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def doctor(tmp_path: Path, fake: FakeSlack, **variables: str) -> list[str]:
    env = clean_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.api_url, **variables)
    result = run_kindly("doctor", cwd=tmp_path, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout.splitlines()


def embedded_env(settings: Settings) -> dict[str, str]:
    assert settings.key_file is not None
    return {"DATABASE_URL": settings.database_url, "KINDLY_KEY_FILE": str(settings.key_file)}


# -- file modes ----------------------------------------------------------------------------------------


def test_the_database_and_the_key_file_are_created_readable_by_their_owner_only(
    embedded: Settings, tmp_path: Path
) -> None:
    previous = os.umask(0o002)  # a permissive umask, as on many desktops
    try:
        started_once(embedded)
    finally:
        os.umask(previous)
    created = [tmp_path / "kindly.sqlite3", tmp_path / "kindly-master.key"]
    created += [path for path in tmp_path.glob("kindly.sqlite3-*")]  # -wal and -shm, when left
    assert {path.name: mode(path) for path in created} == {path.name: 0o600 for path in created}


def test_doctor_warns_when_the_database_or_the_key_file_is_readable_by_others(
    embedded: Settings, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    started_once(embedded)
    private = doctor(tmp_path, fake_slack, **embedded_env(embedded))
    assert not [line for line in private if line.startswith("WARN")], private

    (tmp_path / "kindly.sqlite3").chmod(0o644)
    (tmp_path / "kindly-master.key").chmod(0o640)
    exposed = [line for line in doctor(tmp_path, fake_slack, **embedded_env(embedded)) if "WARN" in line]
    assert len(exposed) == 2, exposed
    assert "database file" in exposed[0] and "mode 644" in exposed[0] and "chmod 600" in exposed[0]
    assert "master key file" in exposed[1] and "mode 640" in exposed[1]


# -- /metrics ------------------------------------------------------------------------------------------


@pytest.fixture
def guarded(settings: Settings, fake_slack: FakeSlack) -> Iterator[Kindly]:
    yield from running_kindly(replace(settings, metrics_token=Secret(METRICS_TOKEN)), fake_slack)


def metrics_status(kindly: Kindly, authorization: str | None) -> tuple[int, bytes]:
    request = urllib.request.Request(f"{kindly.base_url}/metrics")  # noqa: S310
    if authorization is not None:
        request.add_header("Authorization", authorization)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_metrics_answer_only_the_bearer_of_the_configured_token(guarded: Kindly) -> None:
    for wrong in (None, "Bearer nope", f"Bearer {METRICS_TOKEN}x", METRICS_TOKEN, f"Basic {METRICS_TOKEN}"):
        status, body = metrics_status(guarded, wrong)
        assert status == 401 and b"kindly_" not in body, wrong
    status, body = metrics_status(guarded, f"Bearer {METRICS_TOKEN}")
    assert status == 200 and b"kindly_" in body


def test_metrics_token_is_read_from_the_environment_and_never_shown() -> None:
    settings = load_settings({"KINDLY_METRICS_TOKEN": METRICS_TOKEN})
    assert settings.metrics_token == Secret(METRICS_TOKEN)
    assert METRICS_TOKEN not in repr(settings)


# -- master keys: age, rotation, retirement ------------------------------------------------------------


def test_doctor_reports_the_age_of_the_oldest_master_key_and_warns_once_it_is_due_for_rotation(
    embedded: Settings, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    started_once(embedded, at=datetime.now(UTC) - timedelta(days=100))

    lines = doctor(tmp_path, fake_slack, **embedded_env(embedded))
    (age,) = [line for line in lines if "oldest master key in use" in line]
    assert age.startswith("WARN") and "(100 days ago)" in age and "rotate it" in age
    relaxed = doctor(tmp_path, fake_slack, **embedded_env(embedded), KINDLY_KEY_MAX_AGE_DAYS="365")
    (age,) = [line for line in relaxed if "oldest master key in use" in line]
    assert age.startswith("ok") and "(100 days ago)" in age


def test_rotating_keys_says_how_long_to_keep_the_old_key_and_doctor_says_when_to_destroy_it(
    settings: Settings, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    old, new = settings.encryption_keys[0].reveal(), Fernet.generate_key().decode()
    started_once(settings, at=datetime.now(UTC) - timedelta(days=80))
    both = {"DATABASE_URL": settings.database_url, "KINDLY_ENCRYPTION_KEYS": f"{new},{old}"}
    retention = {**both, "KINDLY_BACKUP_RETENTION_DAYS": "30"}
    started_once(replace(settings, encryption_keys=(Secret(new), Secret(old))))

    before = doctor(tmp_path, fake_slack, **retention)
    assert any(line.startswith("WARN key 2") and "run `kindly rotate-keys`" in line for line in before)
    (age,) = [line for line in before if "oldest master key in use" in line]
    assert "key 2 of 2" in age and "(80 days ago)" in age

    rotated = run_kindly("rotate-keys", cwd=tmp_path, env=clean_env(tmp_path, **retention))
    assert rotated.returncode == 0, rotated.stderr
    keep_until = f"{datetime.now(UTC) + timedelta(days=30):%Y-%m-%d}"
    assert f"until {keep_until}" in rotated.stdout and "destroy every copy" in rotated.stdout

    after = doctor(tmp_path, fake_slack, **retention)
    assert any(line.startswith("ok   key 2") and f"keep it until {keep_until}" in line for line in after)

    # A month on (the record of the rotation moved back, as time would), the backups it protected expired.
    engine = make_engine(settings.database_url)
    with engine.begin() as connection:
        month_ago = datetime.now(UTC) - timedelta(days=31)
        rotated_out = update(MasterKey).where(MasterKey.rotated_out_at.is_not(None))
        connection.execute(rotated_out.values(rotated_out_at=month_ago))
    engine.dispose()
    expired = doctor(tmp_path, fake_slack, **retention)
    assert any(
        line.startswith("WARN key 2") and "remove it from KINDLY_ENCRYPTION_KEYS and destroy" in line
        for line in expired
    )
