"""Slack's tokens at rest: sealed with the master keys, still usable by the app, re-sealed by rotation.

The adversary is whoever holds a copy of the database (a dump, a replica, a stolen disk) without the
master key: they must find no token that works against Slack.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine

from fakeslack import FakeSlack
from slackapp.config import Secret, Settings
from slackapp.store.crypto import load_master_keys
from slackapp.store.sealed_installations import SealedInstallationStore, TokenSealer
from tests.conftest import Kindly, distributed_settings, running_kindly
from tests.support.cli import clean_env, run_kindly
from tests.support.database import raw_database_bytes
from tests.support.journeys import save_reminder
from tests.support.oauth import install, stored_tokens
from tests.support.slack_requests import Person

SUNDAY_NOON = datetime(2027, 1, 3, 12, tzinfo=UTC)
MONDAY_NINE_BERLIN = datetime(2027, 1, 4, 8, tzinfo=UTC)
WORKSPACE = Person("U0SEAL", "T0SEAL", "sealed")
SECRETS = {
    "bot_token": "xoxb-T0SEAL-bot-secret-0001",
    "bot_refresh_token": "xoxe-1-bot-refresh-secret-0002",
    "user_token": "xoxp-T0SEAL-user-secret-0003",
    "user_refresh_token": "xoxe-1-user-refresh-secret-0004",
    "incoming_webhook_url": "https://hooks.slack.com/services/T0SEAL/B0HOOK/webhook-secret-0005",
}


def slash_command_token(kindly: Kindly, who: Person) -> str:
    """The bot token Kindly used to answer `/kindly` from `who`: it authorised the request."""
    assert kindly.slack.command("", who=who).status == 200
    opened = kindly.fake.wait_for("views.open", count=len(kindly.fake.calls("views.open")) + 1)[-1]
    token: str = opened.params["token"]
    return token


def test_tokens_of_an_oauth_install_are_not_in_clear_in_the_database_and_still_authorise(
    distributed: Kindly,
) -> None:
    install(distributed, WORKSPACE.team_id)
    tokens = stored_tokens(distributed)
    bot = next(token for token in tokens if token.startswith(f"xoxb-{WORKSPACE.team_id}-"))
    user = next(token for token in tokens if token.startswith("xoxp-"))

    stored = raw_database_bytes(distributed.runtime.engine)
    for token in (bot, user):
        assert token.encode() not in stored
    assert b"xoxb-" not in stored and b"xoxp-" not in stored
    assert stored_tokens(distributed, opened=False).isdisjoint(tokens)

    assert slash_command_token(distributed, WORKSPACE) == bot
    # The dispatcher finds the same token by the workspace's id.
    distributed.fake.set_user(WORKSPACE.user_id, tz="Europe/Berlin")
    distributed.clock.set(SUNDAY_NOON)
    assert save_reminder(distributed, who=WORKSPACE)["response_action"] == "update"
    assert distributed.dispatch(MONDAY_NINE_BERLIN).sent == 1
    assert distributed.fake.calls("chat.postMessage")[-1].params["token"] == bot


def test_every_secret_of_an_installation_is_sealed_and_opens_again(distributed: Kindly) -> None:
    engine = distributed.runtime.engine
    store = sealed_store(distributed)
    store.save(an_installation(installed_at=datetime.now(UTC)))

    stored = raw_database_bytes(engine)
    assert not [name for name, secret in SECRETS.items() if secret.encode() in stored]
    found = store.find_installation(enterprise_id=None, team_id=WORKSPACE.team_id)
    assert found is not None
    assert {name: getattr(found, name) for name in SECRETS} == SECRETS
    bot = store.find_bot(enterprise_id=None, team_id=WORKSPACE.team_id)
    assert bot is not None
    assert (bot.bot_token, bot.bot_refresh_token) == (SECRETS["bot_token"], SECRETS["bot_refresh_token"])


def sealed_store(kindly: Kindly) -> SealedInstallationStore:
    settings = kindly.runtime.settings
    assert settings.client_id is not None
    sealer = TokenSealer(load_master_keys(settings, may_create=False))
    return SealedInstallationStore(client_id=settings.client_id, engine=kindly.runtime.engine, sealer=sealer)


def an_installation(*, installed_at: datetime) -> Installation:
    return Installation(
        app_id="A0APP0001",
        enterprise_id=None,
        team_id=WORKSPACE.team_id,
        user_id=WORKSPACE.user_id,
        bot_id="B0BOT",
        bot_user_id="U0BOT0001",
        bot_scopes="commands,chat:write",
        bot_token_expires_at=int((installed_at + timedelta(hours=12)).timestamp()),
        user_token_expires_at=int((installed_at + timedelta(hours=12)).timestamp()),
        incoming_webhook_channel_id="C0HOOK",
        installed_at=installed_at.timestamp(),
        bot_token=SECRETS["bot_token"],
        bot_refresh_token=SECRETS["bot_refresh_token"],
        user_token=SECRETS["user_token"],
        user_refresh_token=SECRETS["user_refresh_token"],
        incoming_webhook_url=SECRETS["incoming_webhook_url"],
    )


@contextmanager
def app_on(settings: Settings, fake_slack: FakeSlack) -> Iterator[Kindly]:
    yield from running_kindly(settings, fake_slack)


def save_in_clear(engine: Engine, client_id: str) -> None:
    """What an earlier Kindly stored: slack_sdk's own store, tokens in clear."""
    SQLAlchemyInstallationStore(client_id=client_id, engine=engine).save(
        an_installation(installed_at=datetime.now(UTC))
    )


def test_tokens_stored_in_clear_by_an_earlier_version_are_sealed_by_kindly_migrate(
    settings: Settings, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    distributed = distributed_settings(settings)
    with app_on(distributed, fake_slack) as kindly:
        save_in_clear(kindly.runtime.engine, "111.222")
        assert SECRETS["bot_token"].encode() in raw_database_bytes(kindly.runtime.engine)

        keys = ",".join(key.reveal() for key in settings.encryption_keys)
        env = clean_env(tmp_path, DATABASE_URL=settings.database_url, KINDLY_ENCRYPTION_KEYS=keys)
        migrated = run_kindly("migrate", cwd=tmp_path, env=env)
        assert migrated.returncode == 0, migrated.stderr
        assert "Sealed the Slack tokens of 2 installation rows" in migrated.stdout
        assert not [s for s in SECRETS.values() if s.encode() in raw_database_bytes(kindly.runtime.engine)]
        again = run_kindly("migrate", cwd=tmp_path, env=env)  # nothing left: needs no key, changes nothing
        assert again.returncode == 0 and "Sealed" not in again.stdout

        assert slash_command_token(kindly, WORKSPACE) == SECRETS["bot_token"]


def test_starting_kindly_seals_tokens_left_in_clear(settings: Settings, fake_slack: FakeSlack) -> None:
    distributed = distributed_settings(settings)
    with app_on(distributed, fake_slack) as first:
        save_in_clear(first.runtime.engine, "111.222")
    with app_on(distributed, fake_slack) as restarted:
        assert SECRETS["user_token"].encode() not in raw_database_bytes(restarted.runtime.engine)
        assert slash_command_token(restarted, WORKSPACE) == SECRETS["bot_token"]


def test_rotate_keys_reseals_tokens_so_the_old_key_can_go(
    settings: Settings, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    old = settings.encryption_keys[0]
    new = Secret(Fernet.generate_key().decode())
    with app_on(distributed_settings(settings), fake_slack) as kindly:
        install(kindly, WORKSPACE.team_id)
        bot = slash_command_token(kindly, WORKSPACE)
    env = clean_env(
        tmp_path, DATABASE_URL=settings.database_url, KINDLY_ENCRYPTION_KEYS=f"{new.reveal()},{old.reveal()}"
    )
    rotated = run_kindly("rotate-keys", cwd=tmp_path, env=env)
    assert rotated.returncode == 0, rotated.stderr
    assert "2 installations' Slack tokens" in rotated.stdout  # slack_installations and slack_bots rows

    with app_on(distributed_settings(replace(settings, encryption_keys=(new,))), fake_slack) as later:
        assert slash_command_token(later, WORKSPACE) == bot
        assert bot.encode() not in raw_database_bytes(later.runtime.engine)
