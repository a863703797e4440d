"""Configuration and the `kindly` command, as an operator meets them: settings, start-up, keys."""

from __future__ import annotations

import socket
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from fakeslack import FakeSlack
from slackapp.config import DEFAULT_API_URL, ConfigError, Secret, Settings, load_settings
from slackapp.store.crypto import KeyUnavailableError, Vault, load_master_keys
from slackapp.store.db import SessionFactory, make_engine, make_session_factory
from slackapp.store.migrate import current_revision, head_revision, upgrade_to_head
from tests.support.cli import RunningKindly, clean_env, free_port, run_kindly
from tests.support.http import get

BOT_TOKEN = "xoxb-1-config-test-token"
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"
KEY_FILE = "kindly-master.key"
DATABASE_FILE = "kindly.sqlite3"


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


# -- load_settings -----------------------------------------------------------------------------------


def test_settings_default_to_a_sqlite_file_and_key_file_in_the_working_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # load_settings reads only the mapping it is given, never the process environment.
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-developers-shell")

    settings = load_settings({})

    url = make_url(settings.database_url)
    assert url.get_backend_name() == "sqlite"
    assert url.database == DATABASE_FILE
    assert settings.api_url == "https://slack.com/api/" == DEFAULT_API_URL
    assert settings.encryption_keys == ()
    assert settings.key_file == Path(KEY_FILE)
    assert settings.log_format == "text"
    assert settings.bot_token is None
    assert not settings.socket_mode
    assert settings.uninstall_grace == timedelta(0)  # an uninstalled workspace's data goes at once


def test_uninstall_grace_is_read_in_whole_days() -> None:
    settings = load_settings({"KINDLY_UNINSTALL_GRACE_DAYS": " 30 "})

    assert settings.uninstall_grace == timedelta(days=30)


def test_configured_encryption_keys_replace_the_key_file_on_sqlite() -> None:
    first, second = new_key(), new_key()

    settings = load_settings({"KINDLY_ENCRYPTION_KEYS": f"{first}, {second}"})

    assert settings.key_file is None
    assert [key.reveal() for key in settings.encryption_keys] == [first, second]


def test_slack_api_url_gets_a_trailing_slash() -> None:
    settings = load_settings({"SLACK_API_URL": "https://slack-gov.com/api"})

    assert settings.api_url == "https://slack-gov.com/api/"


def test_plain_postgresql_url_uses_the_installed_psycopg_driver() -> None:
    settings = load_settings(
        {
            "DATABASE_URL": "postgresql://kindly:pw@db.internal:5432/kindly",
            "KINDLY_ENCRYPTION_KEYS": new_key(),
        }
    )

    assert settings.database_url == "postgresql+psycopg://kindly:pw@db.internal:5432/kindly"


MALFORMED = [
    pytest.param(
        {"SLACK_BOT_TOKEN": "xoxp-user-token-secret"},
        "SLACK_BOT_TOKEN",
        "Bot User OAuth Token",
        "xoxp-user-token-secret",
        id="bot-token-prefix",
    ),
    pytest.param(
        {"SLACK_APP_TOKEN": "xoxb-not-an-app-token"},
        "SLACK_APP_TOKEN",
        "App-Level Tokens",
        "xoxb-not-an-app-token",
        id="app-token-prefix",
    ),
    pytest.param(
        {"SLACK_SIGNING_SECRET": "this-is-not-hex-at-all"},
        "SLACK_SIGNING_SECRET",
        "Signing Secret",
        "this-is-not-hex-at-all",
        id="signing-secret-not-hex",
    ),
    pytest.param(
        {"SLACK_SIGNING_SECRET": "0123456789abcdef"},
        "SLACK_SIGNING_SECRET",
        "32 characters of 0-9 and a-f (like 5fa0…e91c); this one has 16 characters. Find it at",
        "0123456789abcdef",
        id="signing-secret-too-short",
    ),
    pytest.param(
        {"SLACK_SIGNING_SECRET": "AbCdEfGhIjKlMnOpQrStUvWx"},
        "SLACK_SIGNING_SECRET",
        "that is the Verification Token",
        "AbCdEfGhIjKlMnOpQrStUvWx",
        id="signing-secret-is-the-verification-token",
    ),
    pytest.param(
        {"SLACK_SIGNING_SECRET": "xoxb-123-456-secret"},
        "SLACK_SIGNING_SECRET",
        "is a token (xoxb…), not the signing secret",
        "123-456-secret",
        id="signing-secret-is-a-token",
    ),
    pytest.param(
        {"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL", "https://", None, id="api-url-not-a-url"
    ),
    pytest.param(
        {"DATABASE_URL": "not a database url"},
        "DATABASE_URL",
        "postgresql+psycopg://",
        None,
        id="database-url-unparseable",
    ),
    pytest.param(
        {"DATABASE_URL": "mysql://kindly:mysql-password@db/kindly", "KINDLY_ENCRYPTION_KEYS": new_key()},
        "DATABASE_URL",
        "SQLite or PostgreSQL",
        "mysql-password",
        id="database-url-mysql",
    ),
    pytest.param(
        {"KINDLY_ENCRYPTION_KEYS": f"{new_key()},not-a-fernet-key"},
        "KINDLY_ENCRYPTION_KEYS",
        "key 2",
        "not-a-fernet-key",
        id="encryption-key-invalid",
    ),
    pytest.param({"KINDLY_LOG_FORMAT": "xml"}, "KINDLY_LOG_FORMAT", "'json'", None, id="log-format-xml"),
    pytest.param({"KINDLY_LOG_LEVEL": "loud"}, "KINDLY_LOG_LEVEL", "DEBUG, INFO", None, id="log-level-loud"),
    pytest.param(
        {"KINDLY_UNINSTALL_GRACE_DAYS": "-1"},
        "KINDLY_UNINSTALL_GRACE_DAYS",
        "whole days between 0 and 365",
        None,
        id="uninstall-grace-negative",
    ),
    pytest.param(
        {"KINDLY_UNINSTALL_GRACE_DAYS": "abc"},
        "KINDLY_UNINSTALL_GRACE_DAYS",
        "whole days between 0 and 365",
        None,
        id="uninstall-grace-not-a-number",
    ),
    pytest.param(
        {"KINDLY_UNINSTALL_GRACE_DAYS": "1.5"},
        "KINDLY_UNINSTALL_GRACE_DAYS",
        "whole days between 0 and 365",
        None,
        id="uninstall-grace-not-whole",
    ),
    pytest.param(
        {"KINDLY_UNINSTALL_GRACE_DAYS": "400"},
        "KINDLY_UNINSTALL_GRACE_DAYS",
        "whole days between 0 and 365",
        None,
        id="uninstall-grace-over-a-year",
    ),
    pytest.param(
        {"DATABASE_URL": "postgresql://kindly:pg-password@db/kindly"},
        "KINDLY_ENCRYPTION_KEYS",
        "kindly new-key",
        "pg-password",
        id="postgresql-without-keys",
    ),
]


@pytest.mark.parametrize(("env", "variable", "remedy", "secret"), MALFORMED)
def test_malformed_setting_stops_with_one_line_naming_it_and_the_fix(
    env: dict[str, str], variable: str, remedy: str, secret: str | None
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(env)

    message = str(raised.value)
    assert raised.value.variable == variable
    assert message.startswith(variable)
    assert "\n" not in message
    assert remedy in message
    if secret is not None:
        assert secret not in message


def test_secrets_never_show_in_the_settings_repr() -> None:
    secrets = {
        "SLACK_BOT_TOKEN": "xoxb-very-secret-bot",
        "SLACK_APP_TOKEN": "xapp-very-secret-app",
        "SLACK_SIGNING_SECRET": "feedfacecafebeef0123456789abcdef",
        "SLACK_CLIENT_SECRET": "very-secret-client",
        "KINDLY_ENCRYPTION_KEYS": new_key(),
    }
    database_password = "very-secret-db-password"
    settings = load_settings(
        {**secrets, "DATABASE_URL": f"postgresql://kindly:{database_password}@db/kindly"}
    )

    for shown in (repr(settings), str(settings)):
        for value in [*secrets.values(), database_password]:
            assert value not in shown
    assert settings.bot_token is not None and settings.bot_token.reveal() == secrets["SLACK_BOT_TOKEN"]


# -- `kindly run` refusing to start --------------------------------------------------------------------


def test_run_without_slack_variables_explains_how_to_create_the_app(tmp_path: Path) -> None:
    result = run_kindly("run", cwd=tmp_path, env=clean_env(tmp_path))

    assert result.returncode == 2
    for variable in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        assert variable in result.stderr
    assert "manifest.yml" in result.stderr
    assert "api.slack.com/apps" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_http_with_only_a_bot_token_names_the_missing_signing_secret(tmp_path: Path) -> None:
    result = run_kindly("run", "--http", cwd=tmp_path, env=clean_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN))

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "SLACK_SIGNING_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_with_a_malformed_bot_token_names_it_in_one_line(tmp_path: Path) -> None:
    result = run_kindly("run", cwd=tmp_path, env=clean_env(tmp_path, SLACK_BOT_TOKEN="foo"))

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "SLACK_BOT_TOKEN" in result.stderr
    assert "xoxb-" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("days", ["-1", "abc"])
def test_run_with_a_malformed_uninstall_grace_stops_with_one_line(tmp_path: Path, days: str) -> None:
    env = clean_env(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        KINDLY_UNINSTALL_GRACE_DAYS=days,
    )
    result = run_kindly("run", "--http", cwd=tmp_path, env=env)

    assert result.returncode == 2
    assert result.stderr == (
        f"kindly: KINDLY_UNINSTALL_GRACE_DAYS is '{days}'. Use whole days between 0 and 365 (default 0)\n"
    )
    assert not (tmp_path / DATABASE_FILE).exists()


def test_dotenv_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_APP_TOKEN=not-an-app-token\n")

    result = run_kindly("run", cwd=tmp_path, env=clean_env(tmp_path))

    assert result.returncode == 2
    assert result.stderr.startswith("kindly: SLACK_APP_TOKEN should start with 'xapp-'")
    assert "not-an-app-token" not in result.stderr


def test_a_real_environment_variable_wins_over_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=malformed-from-dotenv\n")

    result = run_kindly("run", "--http", cwd=tmp_path, env=clean_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN))

    # The environment's well-formed token was used, so start-up got as far as the next missing setting.
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET is not set" in result.stderr
    assert "SLACK_BOT_TOKEN" not in result.stderr


# -- `kindly migrate` ----------------------------------------------------------------------------------


def test_migrate_creates_the_sqlite_file_at_the_latest_migration(tmp_path: Path) -> None:
    result = run_kindly("migrate", cwd=tmp_path, env=clean_env(tmp_path))

    assert result.returncode == 0, result.stderr
    head = head_revision()
    assert head is not None
    assert f"latest migration ({head})" in result.stdout
    database = tmp_path / DATABASE_FILE
    assert database.is_file()
    assert current_revision(make_engine(f"sqlite:///{database}")) == head
    # Migrating needs no master key, so a deploy step without the key can run it.
    assert not (tmp_path / KEY_FILE).exists()


# -- `kindly run --http` -------------------------------------------------------------------------------


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def start_http(tmp_path: Path, fake: FakeSlack) -> tuple[RunningKindly, str]:
    port = free_port()
    env = clean_env(
        tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake.api_url
    )
    kindly = RunningKindly("run", "--http", "--port", str(port), "--host", "127.0.0.1", cwd=tmp_path, env=env)
    return kindly, f"http://127.0.0.1:{port}"


def test_run_http_serves_health_and_creates_a_private_key_file(tmp_path: Path, fake_slack: FakeSlack) -> None:
    kindly, base_url = start_http(tmp_path, fake_slack)
    with kindly:
        starts = kindly.wait_for_line("Kindly starts")
        kindly.wait_for_line("listening")
        for _ in range(3):
            assert get(f"{base_url}/readyz") == (200, "ready")

        assert get(f"{base_url}/healthz") == (200, "ok")
        assert get(f"{base_url}/nope")[0] == 404
        assert (tmp_path / DATABASE_FILE).is_file()
        key_file = tmp_path / KEY_FILE
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        Fernet(key_file.read_bytes().strip())
    log = kindly.stop()

    assert log.count(KEY_FILE) == 1
    assert "Traceback" not in log
    assert starts.rstrip().endswith(
        f"Kindly starts: HTTP mode; database sqlite:///{DATABASE_FILE}; "
        "workspace Kindly Test Workspace (T0001); scheduler in this process, a tick every 30 s"
    )
    for chatter in ("Context impl", "Running job", "executed successfully"):  # per probe, per tick
        assert chatter not in log


def test_run_http_with_slack_unreachable_still_serves_health_and_readyz_says_why(tmp_path: Path) -> None:
    port, nowhere = free_port(), f"http://127.0.0.1:{free_port()}/api/"
    env = clean_env(
        tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=nowhere
    )
    base_url = f"http://127.0.0.1:{port}"
    with RunningKindly(
        "run", "--http", "--port", str(port), "--host", "127.0.0.1", cwd=tmp_path, env=env
    ) as kindly:
        warning = kindly.wait_for_line("not ready")
        kindly.wait_for_line("listening")

        assert get(f"{base_url}/healthz") == (200, "ok")
        assert get(f"{base_url}/readyz") == (503, f"Slack API unreachable at {nowhere} (URLError)")
    log = kindly.stop()

    assert f"Slack API unreachable at {nowhere}" in warning
    assert "Traceback" not in log


def test_run_http_with_a_revoked_token_serves_health_and_readyz_names_the_refusal(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    fake_slack.revoke_token(BOT_TOKEN)
    kindly, base_url = start_http(tmp_path, fake_slack)
    with kindly:
        kindly.wait_for_line("listening")

        assert get(f"{base_url}/healthz") == (200, "ok")
        status, reason = get(f"{base_url}/readyz")
    log = kindly.stop()

    assert (status, reason.split(":")[0]) == (503, "Slack refused the bot token (token_revoked)")
    assert "Traceback" not in log
    assert BOT_TOKEN not in log


def test_run_http_with_a_short_signing_secret_says_what_it_looks_like(tmp_path: Path) -> None:
    env = clean_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET="0123456789abcdef")

    result = run_kindly("run", "--http", cwd=tmp_path, env=env)

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "32 characters of 0-9 and a-f" in result.stderr
    assert "Signing Secret" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_second_start_reuses_the_key_file(tmp_path: Path, fake_slack: FakeSlack) -> None:
    first, _ = start_http(tmp_path, fake_slack)
    with first:
        first.wait_for_line("listening")
    key = (tmp_path / KEY_FILE).read_bytes()

    second, base_url = start_http(tmp_path, fake_slack)
    with second:
        second.wait_for_line("listening")
        assert get(f"{base_url}/healthz") == (200, "ok")
    log = second.stop()

    assert (tmp_path / KEY_FILE).read_bytes() == key
    assert "Created master key file" not in log


# -- `kindly doctor` -----------------------------------------------------------------------------------


def doctor_env(tmp_path: Path, fake: FakeSlack, **variables: str) -> dict[str, str]:
    return clean_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.api_url, **variables)


def migrated_sqlite(directory: Path) -> None:
    upgrade_to_head(make_engine(f"sqlite:///{directory / DATABASE_FILE}"))


def test_doctor_reports_ok_when_everything_works(tmp_path: Path, fake_slack: FakeSlack) -> None:
    migrated_sqlite(tmp_path)

    result = run_kindly("doctor", cwd=tmp_path, env=doctor_env(tmp_path, fake_slack))

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) >= 4
    assert all(line.startswith("ok ") for line in lines)
    assert any("Slack token works" in line for line in lines)
    assert len(fake_slack.calls("auth.test")) == 1
    assert result.stderr == ""  # no library noise (alembic's migration context lines)


def test_doctor_fails_when_slack_refuses_the_token(tmp_path: Path, fake_slack: FakeSlack) -> None:
    migrated_sqlite(tmp_path)
    fake_slack.revoke_token(BOT_TOKEN)

    result = run_kindly("doctor", cwd=tmp_path, env=doctor_env(tmp_path, fake_slack))

    assert result.returncode == 1
    assert "FAIL Slack refused the token (token_revoked)" in result.stdout
    assert BOT_TOKEN not in result.stdout + result.stderr


def test_doctor_fails_cleanly_when_the_database_is_unreachable(tmp_path: Path, fake_slack: FakeSlack) -> None:
    env = doctor_env(
        tmp_path,
        fake_slack,
        DATABASE_URL="postgresql://kindly:doctor-db-password@127.0.0.1:1/kindly",
        KINDLY_ENCRYPTION_KEYS=new_key(),
    )

    result = run_kindly("doctor", cwd=tmp_path, env=env)

    assert result.returncode == 1
    failures = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert len(failures) == 1
    assert "database unreachable" in failures[0]
    assert "DATABASE_URL" in failures[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert "doctor-db-password" not in result.stdout + result.stderr


def test_doctor_gives_up_on_a_database_host_that_never_answers(tmp_path: Path, fake_slack: FakeSlack) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        env = doctor_env(
            tmp_path,
            fake_slack,
            DATABASE_URL=f"postgresql://kindly@127.0.0.1:{port}/kindly",
            KINDLY_ENCRYPTION_KEYS=new_key(),
        )

        result = run_kindly("doctor", cwd=tmp_path, env=env)  # a hang fails: run_kindly has a timeout

    assert result.returncode == 1
    assert any(
        "database unreachable" in line for line in result.stdout.splitlines() if line.startswith("FAIL")
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_doctor_in_a_fresh_folder_creates_nothing_and_says_what_creates_the_database(tmp_path: Path) -> None:
    result = run_kindly("doctor", cwd=tmp_path, env=clean_env(tmp_path))

    assert result.returncode == 1
    assert list(tmp_path.iterdir()) == []  # no empty kindly.sqlite3, no key file
    assert (
        f"FAIL no database yet: {DATABASE_FILE} does not exist; `kindly migrate` (or `kindly run`) creates it"
        in result.stdout.splitlines()
    )
    assert result.stderr == ""


def test_doctor_says_slack_is_unreachable_in_one_line_without_library_noise(tmp_path: Path) -> None:
    migrated_sqlite(tmp_path)
    nowhere = f"http://127.0.0.1:{free_port()}/api/"
    env = clean_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=nowhere)

    result = run_kindly("doctor", cwd=tmp_path, env=env)

    assert result.returncode == 1
    assert (
        f"FAIL Slack unreachable at {nowhere} (URLError): check SLACK_API_URL" in result.stdout.splitlines()
    )
    assert result.stderr == ""


# -- `kindly purge` ------------------------------------------------------------------------------------


def test_purge_needs_no_slack_variables(tmp_path: Path) -> None:
    migrated_sqlite(tmp_path)

    result = run_kindly("purge", cwd=tmp_path, env=clean_env(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Purged reflections past their workspace's retention")
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr


# -- `kindly new-key` ----------------------------------------------------------------------------------


def test_new_key_prints_a_usable_fernet_key(tmp_path: Path) -> None:
    result = run_kindly("new-key", cwd=tmp_path, env=clean_env(tmp_path))

    assert result.returncode == 0
    key = result.stdout.strip()
    assert result.stdout == key + "\n"
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"kind")) == b"kind"
    assert load_settings({"KINDLY_ENCRYPTION_KEYS": key}).encryption_keys == (Secret(key),)


# -- slackapp.store.crypto -----------------------------------------------------------------------------


def test_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    key_file = tmp_path / KEY_FILE
    settings = Settings(key_file=key_file)

    first = load_master_keys(settings)
    created = key_file.read_bytes()
    second = load_master_keys(settings)

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_bytes() == created
    assert second.decrypt(first.encrypt(b"still readable")) == b"still readable"


def test_damaged_key_file_is_refused_with_its_path(tmp_path: Path) -> None:
    key_file = tmp_path / KEY_FILE
    key_file.write_bytes(b"this is not a fernet key\n")

    with pytest.raises(KeyUnavailableError) as raised:
        load_master_keys(Settings(key_file=key_file))

    assert str(key_file) in str(raised.value)
    assert "damaged" in str(raised.value)
    assert key_file.read_bytes() == b"this is not a fernet key\n"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'vault.sqlite3'}")
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> SessionFactory:
    return make_session_factory(engine)


def seal(vault: Vault, sessions: SessionFactory, plaintext: bytes, user_id: str = "U0ALICE") -> bytes:
    with sessions.begin() as session:
        return vault.seal(session, team_id="T0001", user_id=user_id, plaintext=plaintext)


def open_sealed(vault: Vault, sessions: SessionFactory, token: bytes, user_id: str = "U0ALICE") -> bytes:
    with sessions.begin() as session:
        return vault.open(session, team_id="T0001", user_id=user_id, token=token)


def vault_with(*keys: str) -> Vault:
    return Vault(load_master_keys(Settings(encryption_keys=tuple(Secret(key) for key in keys))))


def test_vault_opens_what_it_sealed(sessions: SessionFactory) -> None:
    vault = vault_with(new_key())

    token = seal(vault, sessions, b"I was kind to myself today")

    assert b"I was kind to myself today" not in token
    assert open_sealed(vault, sessions, token) == b"I was kind to myself today"


def test_destroyed_data_key_makes_old_text_unreadable(sessions: SessionFactory) -> None:
    vault = vault_with(new_key())
    token = seal(vault, sessions, b"to be forgotten")

    with sessions.begin() as session:
        vault.destroy(session, team_id="T0001", user_id="U0ALICE")

    with pytest.raises(KeyUnavailableError):
        open_sealed(vault, sessions, token)


def test_data_key_under_a_rotated_master_key_opens_while_the_old_key_is_listed(
    sessions: SessionFactory,
) -> None:
    old, new = new_key(), new_key()
    token = seal(vault_with(old), sessions, b"written before rotation")

    assert open_sealed(vault_with(new, old), sessions, token) == b"written before rotation"

    with pytest.raises(KeyUnavailableError) as raised:
        open_sealed(vault_with(new), sessions, token)
    assert "KINDLY_ENCRYPTION_KEYS" in str(raised.value)
