"""Sealing at rest, at the store's level: each person's text under their own data key, master keys that
are loaded, named, derived from and rotated as promised, and Slack's tokens sealed in the database."""

from __future__ import annotations

import os
import stat
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, MultiFernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import insert, select, text

from slackapp.config import Secret, Settings
from slackapp.store.crypto import (
    KeyUnavailableError,
    Vault,
    check_master_keys,
    derive_secret,
    holds_data_keys,
    key_id,
    load_master_keys,
    master_key_material,
    rotate_data_keys,
)
from slackapp.store.models import DataKey
from slackapp.store.reflection_meta import SEALED_SIZE, ReflectionMeta, pack, unpack
from slackapp.store.sealed_installations import (
    SEALED,
    SealedInstallationStore,
    TokenSealer,
    holds_clear_tokens,
    rewrap_stored_tokens,
    seal_stored_tokens,
)
from tests.support.store import Store, migrated_database, store

__all__ = ["migrated_database", "store"]  # fixtures

TEAM, OTHER_TEAM = "T0001", "T0002"
ALICE, BOB = "U0ALICE", "U0BOB"
WRITTEN = datetime(2027, 2, 1, 8, 15, tzinfo=UTC)


def new_key() -> bytes:
    return Fernet.generate_key()


def seal(store: Store, *, team_id: str = TEAM, user_id: str = ALICE, words: bytes = b"my words") -> bytes:
    with store.sessions.begin() as session:
        return store.vault.seal(session, team_id=team_id, user_id=user_id, plaintext=words)


def open_(store: Store, token: bytes, *, team_id: str = TEAM, user_id: str = ALICE) -> bytes:
    with store.sessions.begin() as session:
        return store.vault.open(session, team_id=team_id, user_id=user_id, token=token)


# The Vault: one data key per person


def test_a_sealed_text_opens_for_its_author_and_holds_no_clear_words(store: Store) -> None:
    token = seal(store, words=b"a private thought")
    assert b"a private thought" not in token
    assert open_(store, token) == b"a private thought"
    with store.sessions.begin() as session:
        opener = store.vault.opener(session, team_id=TEAM, user_id=ALICE)
        assert opener(token) == b"a private thought"


def test_each_person_has_their_own_data_key_so_one_cannot_open_anothers_text(store: Store) -> None:
    alices = seal(store, user_id=ALICE)
    seal(store, user_id=BOB)
    seal(store, team_id=OTHER_TEAM, user_id=ALICE)
    for team_id, user_id in ((TEAM, BOB), (OTHER_TEAM, ALICE)):
        with pytest.raises(
            KeyUnavailableError, match=r"^this text was sealed with a data key that no longer exists$"
        ):
            open_(store, alices, team_id=team_id, user_id=user_id)
        with store.sessions.begin() as session:
            opener = store.vault.opener(session, team_id=team_id, user_id=user_id)
            with pytest.raises(
                KeyUnavailableError, match=r"^this text was sealed with a data key that no longer exists$"
            ):
                opener(alices)
    with store.sessions.begin() as session:
        assert len(session.scalars(select(DataKey)).all()) == 3


def test_a_second_text_reuses_the_persons_data_key(store: Store) -> None:
    first, second = seal(store, words=b"one"), seal(store, words=b"two")
    with store.sessions.begin() as session:
        (row,) = session.scalars(select(DataKey)).all()
        data_key = Fernet(store.master.decrypt(row.wrapped_key))
    assert (data_key.decrypt(first), data_key.decrypt(second)) == (b"one", b"two")


def test_a_backdated_seal_shows_that_moment_in_the_token_and_the_new_data_keys_row(store: Store) -> None:
    with store.sessions.begin() as session:
        token = store.vault.seal(session, team_id=TEAM, user_id=ALICE, plaintext=b"x", sealed_at=WRITTEN)
        row = session.get(DataKey, (TEAM, ALICE))
        assert row is not None
        created_at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
        assert created_at == WRITTEN
        assert store.master.extract_timestamp(row.wrapped_key) == int(WRITTEN.timestamp())
        data_key = Fernet(store.master.decrypt(row.wrapped_key))
    assert data_key.extract_timestamp(token) == int(WRITTEN.timestamp())


def test_an_undated_seal_is_stamped_now(store: Store) -> None:
    before = int(datetime.now(UTC).timestamp())
    token = seal(store)
    with store.sessions.begin() as session:
        row = session.get(DataKey, (TEAM, ALICE))
        assert row is not None
        stamps = (
            Fernet(store.master.decrypt(row.wrapped_key)).extract_timestamp(token),
            store.master.extract_timestamp(row.wrapped_key),
        )
    assert all(before - 1 <= stamp <= int(datetime.now(UTC).timestamp()) + 1 for stamp in stamps)


def test_without_a_data_key_nothing_opens_and_nothing_is_made(store: Store) -> None:
    token = Fernet(new_key()).encrypt(b"forged")
    with pytest.raises(KeyUnavailableError, match=r"^no data key for this person$"):
        open_(store, token)
    with store.sessions.begin() as session:
        with pytest.raises(KeyUnavailableError, match=r"^no data key for this person$"):
            store.vault.opener(session, team_id=TEAM, user_id=ALICE)
        assert not holds_data_keys(session)


def test_destroying_a_data_key_shreds_only_that_persons_text(store: Store) -> None:
    alices, bobs = seal(store, user_id=ALICE), seal(store, user_id=BOB)
    elsewhere = seal(store, team_id=OTHER_TEAM, user_id=ALICE)
    with store.sessions.begin() as session:
        store.vault.destroy(session, team_id=TEAM, user_id=ALICE)
    with pytest.raises(KeyUnavailableError):
        open_(store, alices)
    assert open_(store, bobs, user_id=BOB) == b"my words"
    assert open_(store, elsewhere, team_id=OTHER_TEAM) == b"my words"


def test_a_data_key_wrapped_by_an_unconfigured_master_key_is_refused_with_a_clear_error(store: Store) -> None:
    token = seal(store)
    stranger = Vault(MultiFernet([Fernet(new_key())]))
    with store.sessions.begin() as session:
        wrapped_elsewhere = "^a data key is wrapped by a master key that is not in KINDLY_ENCRYPTION_KEYS$"
        with pytest.raises(KeyUnavailableError, match=wrapped_elsewhere):
            stranger.open(session, team_id=TEAM, user_id=ALICE, token=token)
        with pytest.raises(KeyUnavailableError, match=wrapped_elsewhere):
            stranger.seal(session, team_id=TEAM, user_id=ALICE, plaintext=b"more")


def test_a_data_key_made_by_another_process_meanwhile_is_the_one_used(store: Store) -> None:
    """Two first seals race: the row already in the database wins, and both texts open with it."""
    theirs = new_key()
    with store.sessions.begin() as session:
        assert session.get(DataKey, (TEAM, ALICE)) is None  # this session has looked: nothing yet
        with store.engine.begin() as other:  # another process inserts it meanwhile
            other.execute(
                insert(DataKey).values(
                    team_id=TEAM, user_id=ALICE, wrapped_key=store.master.encrypt(theirs), created_at=WRITTEN
                )
            )
        token = store.vault.seal(session, team_id=TEAM, user_id=ALICE, plaintext=b"mine")
    assert Fernet(theirs).decrypt(token) == b"mine"


def test_holding_data_keys_and_checking_the_master_keys_against_them(store: Store) -> None:
    with store.sessions.begin() as session:
        assert not holds_data_keys(session)
        check_master_keys(session, MultiFernet([Fernet(new_key())]))  # nothing to check against yet
    seal(store)
    with store.sessions.begin() as session:
        assert holds_data_keys(session)
        check_master_keys(session, store.master)
        with pytest.raises(KeyUnavailableError) as refused:
            check_master_keys(session, MultiFernet([Fernet(new_key())]))
    assert str(refused.value) == (
        "the stored data keys were wrapped by a master key that is not configured: "
        "check KINDLY_ENCRYPTION_KEYS (or the key file)"
    )


# Master keys: configured, or a key file made once


def test_configured_master_keys_come_newest_first_and_the_newest_wraps(tmp_path: Path) -> None:
    newest, older = new_key(), new_key()
    settings = Settings(encryption_keys=(Secret(newest.decode()), Secret(older.decode())))
    assert master_key_material(settings) == [newest, older]
    master = load_master_keys(settings)
    assert Fernet(newest).decrypt(master.encrypt(b"x")) == b"x"
    assert master.decrypt(Fernet(older).encrypt(b"y")) == b"y"
    assert not (tmp_path / "kindly-master.key").exists()


def test_without_keys_or_a_key_file_there_is_no_master_key() -> None:
    for call in (lambda: master_key_material(Settings()), lambda: derive_secret(Settings(), "any")):
        with pytest.raises(
            KeyUnavailableError, match=r"^no master key configured: set KINDLY_ENCRYPTION_KEYS$"
        ):
            call()


def test_the_key_file_is_made_once_private_to_its_owner_and_read_back_after(tmp_path: Path) -> None:
    path = tmp_path / "kindly-master.key"
    settings = Settings(key_file=path)
    old_umask = os.umask(0o277)  # would leave the owner read-only: the mode is set whatever the umask
    try:
        (made,) = master_key_material(settings)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes() == made + b"\n"
    Fernet(made)  # a usable key
    assert master_key_material(settings) == [made]
    assert master_key_material(settings, may_create=False) == [made]
    assert Fernet(made).decrypt(load_master_keys(settings).encrypt(b"x")) == b"x"


def test_the_key_file_is_made_on_first_run_by_default(tmp_path: Path) -> None:
    path = tmp_path / "kindly-master.key"
    master = load_master_keys(Settings(key_file=path))
    assert master.decrypt(Fernet(path.read_bytes().strip()).encrypt(b"x")) == b"x"


def test_a_key_file_path_that_is_a_dangling_link_is_never_written_through(tmp_path: Path) -> None:
    """A link planted where the key file goes would make Kindly write its master key elsewhere."""
    target = tmp_path / "elsewhere.key"
    path = tmp_path / "kindly-master.key"
    path.symlink_to(target)
    with pytest.raises(KeyUnavailableError, match="is missing"):
        master_key_material(Settings(key_file=path))
    assert not target.exists()


def test_a_lost_key_file_is_never_silently_replaced(tmp_path: Path) -> None:
    path = tmp_path / "kindly-master.key"
    with pytest.raises(KeyUnavailableError, match="is missing: restore it from your backup"):
        master_key_material(Settings(key_file=path), may_create=False)
    with pytest.raises(KeyUnavailableError, match="is missing"):
        load_master_keys(Settings(key_file=path), may_create=False)
    assert not path.exists()


def test_a_damaged_or_unreadable_key_file_says_so(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.key"
    damaged.write_bytes(b"not a key\n")
    with pytest.raises(KeyUnavailableError, match="is damaged: restore it"):
        master_key_material(Settings(key_file=damaged))
    unreadable = tmp_path / "a-directory.key"
    unreadable.mkdir()
    with pytest.raises(KeyUnavailableError, match="cannot be read"):
        master_key_material(Settings(key_file=unreadable))


def test_a_master_keys_id_is_stable_across_versions() -> None:
    """Stored in master_keys: a different id for the same key would forget when it came into use."""
    assert key_id(b"kindly-test-master-key-0000000000000000000=") == "0813440552b74626e6ec00d1b123b5fd"


def test_a_master_keys_id_tells_keys_apart_and_reveals_nothing_of_the_key() -> None:
    first, second = new_key(), new_key()
    assert key_id(first) == key_id(first) != key_id(second)
    assert len(key_id(first)) == 32 and int(key_id(first), 16) >= 0
    assert key_id(first).encode() not in first and first.decode()[:8] not in key_id(first)


def test_derived_secrets_differ_per_purpose_and_follow_the_newest_master_key(tmp_path: Path) -> None:
    newest, older = new_key(), new_key()
    settings = Settings(encryption_keys=(Secret(newest.decode()), Secret(older.decode())))
    quota = derive_secret(settings, "kindly shout-out quota")
    assert len(quota) == 32
    assert quota == derive_secret(
        Settings(encryption_keys=(Secret(newest.decode()),)), "kindly shout-out quota"
    )
    assert quota != derive_secret(settings, "another purpose")
    assert quota != derive_secret(
        Settings(encryption_keys=(Secret(older.decode()),)), "kindly shout-out quota"
    )
    assert newest not in quota
    key_file = tmp_path / "kindly-master.key"
    key_file.write_bytes(newest + b"\n")
    assert derive_secret(Settings(key_file=key_file), "kindly shout-out quota") == quota


# Rotation: every data key re-wrapped under the newest master key, in batches


def test_rotation_rewraps_every_data_key_in_batches_so_the_old_master_key_can_go(store: Store) -> None:
    people = [f"U{n:04d}" for n in range(5)]
    tokens = {user_id: seal(store, user_id=user_id, words=user_id.encode()) for user_id in people}
    old = Fernet(store.master_key)
    newest = Fernet(new_key())
    rotated = rotate_data_keys(store.sessions, MultiFernet([newest, old]), batch=2)
    assert rotated == 5
    only_new = Vault(MultiFernet([newest]))
    with store.sessions.begin() as session:
        for user_id, token in tokens.items():
            assert only_new.open(session, team_id=TEAM, user_id=user_id, token=token) == user_id.encode()


def test_rotation_resumes_after_the_last_key_it_rewrapped(store: Store) -> None:
    for user_id in ("U1", "U2", "U3"):
        seal(store, user_id=user_id)
    old = Fernet(store.master_key)
    newest = Fernet(new_key())
    assert rotate_data_keys(store.sessions, MultiFernet([newest, old]), after=(TEAM, "U1")) == 2
    with store.sessions.begin() as session:
        wrapped = {row.user_id: row.wrapped_key for row in session.scalars(select(DataKey))}
    assert old.decrypt(wrapped["U1"])  # not reached
    for user_id in ("U2", "U3"):
        newest.decrypt(wrapped[user_id])


def test_rotation_pages_through_every_workspace_and_person_one_key_at_a_time(store: Store) -> None:
    owners = [("T0001", "U5"), ("T0002", "U1"), ("T0001", "U3"), ("T0002", "U4")]  # not in key order
    for team_id, user_id in owners:
        seal(store, team_id=team_id, user_id=user_id)
    newest = Fernet(new_key())
    assert rotate_data_keys(store.sessions, MultiFernet([newest, Fernet(store.master_key)]), batch=1) == 4
    with store.sessions.begin() as session:
        for row in session.scalars(select(DataKey)):
            newest.decrypt(row.wrapped_key)


def test_rotation_commits_batch_by_batch_so_a_failure_keeps_the_work_done(store: Store) -> None:
    for user_id in ("U1", "U2", "U3"):
        seal(store, user_id=user_id)
    lost = Vault(MultiFernet([Fernet(new_key())]))
    with store.sessions.begin() as session:
        lost.seal(session, team_id=TEAM, user_id="U4", plaintext=b"under a key that is gone")
    newest = Fernet(new_key())
    with pytest.raises(KeyUnavailableError) as stopped:
        rotate_data_keys(store.sessions, MultiFernet([newest, Fernet(store.master_key)]), batch=2)
    assert str(stopped.value) == (
        "a data key opens with none of the configured master keys (2 re-wrapped): keep the old key in "
        "KINDLY_ENCRYPTION_KEYS, after the new one, until rotation ends"
    )
    with store.sessions.begin() as session:
        wrapped = {row.user_id: row.wrapped_key for row in session.scalars(select(DataKey))}
    for user_id in ("U1", "U2"):
        newest.decrypt(wrapped[user_id])


def test_rotation_without_the_old_master_key_stops_with_how_far_it_got(store: Store) -> None:
    for user_id in ("U1", "U2"):
        seal(store, user_id=user_id)
    with pytest.raises(KeyUnavailableError, match=r"\(0 re-wrapped\).*keep the old key"):
        rotate_data_keys(store.sessions, MultiFernet([Fernet(new_key())]), batch=1)
    assert rotate_data_keys(store.sessions, store.master) == 2
    assert rotate_data_keys(store.sessions, store.master, batch=2) == 2  # a full last batch, then none


# A reflection's metadata: one fixed size


def test_reflection_metadata_packs_to_one_size_and_unpacks_to_itself() -> None:
    plain = ReflectionMeta(practice="comfort")
    mending = ReflectionMeta(practice="kintsugi", revisits=uuid.uuid4(), wording=2)
    for meta in (plain, mending):
        packed = pack(meta)
        assert len(packed) == SEALED_SIZE
        assert unpack(packed) == meta
    assert pack(plain).rstrip(b" ") == b'{"practice":"comfort","revisits":null,"wording":null}'
    assert unpack(b'{"practice":"comfort","revisits":null}') == plain  # kept before wordings were
    longest = ReflectionMeta(practice="p" * (SEALED_SIZE - len(pack(ReflectionMeta(practice="")).rstrip())))
    assert len(pack(longest).rstrip()) == SEALED_SIZE and unpack(pack(longest)) == longest
    with pytest.raises(ValueError, match="longer than 128 bytes"):
        pack(ReflectionMeta(practice=longest.practice + "p"))


# Slack's tokens, sealed in slack_sdk's installation tables


def test_a_token_is_sealed_once_opens_and_rewraps_under_the_newest_key() -> None:
    old, newest = Fernet(new_key()), Fernet(new_key())
    sealer = TokenSealer(MultiFernet([old]))
    sealed = sealer.seal("xoxb-secret")
    assert sealed is not None and sealed.startswith(SEALED) and "xoxb-secret" not in sealed
    assert sealer.seal(sealed) == sealed
    assert sealer.open(sealed) == "xoxb-secret"
    assert sealer.seal(None) is None and sealer.open(None) is None and sealer.rewrap(None) is None
    assert sealer.open("xoxb-clear") == "xoxb-clear"  # stored before sealing existed
    rotating = TokenSealer(MultiFernet([newest, old]))
    rewrapped = rotating.rewrap(sealed)
    assert rewrapped is not None and rewrapped.startswith(SEALED)
    assert TokenSealer(MultiFernet([newest])).open(rewrapped) == "xoxb-secret"
    clear_rewrapped = rotating.rewrap("xoxb-clear")
    assert clear_rewrapped is not None and clear_rewrapped.startswith(SEALED)
    assert TokenSealer(MultiFernet([newest])).open(clear_rewrapped) == "xoxb-clear"
    stranger = TokenSealer(MultiFernet([Fernet(new_key())]))
    with pytest.raises(KeyUnavailableError) as unopened:
        stranger.open(sealed)
    assert str(unopened.value) == (
        "a Slack token is sealed with a master key that is not configured: check "
        "KINDLY_ENCRYPTION_KEYS (or the key file)"
    )
    with pytest.raises(KeyUnavailableError) as unrotated:
        stranger.rewrap(sealed)
    assert str(unrotated.value) == (
        "a Slack token opens with none of the configured master keys: keep the old key in "
        "KINDLY_ENCRYPTION_KEYS, after the new one, until rotation ends"
    )


def installation(n: int, *, user_token: str | None) -> Installation:
    return Installation(
        app_id="A0APP",
        team_id=f"T{n:04d}",
        user_id=f"U{n:04d}",
        bot_token=f"xoxb-bot-{n}",
        bot_id="B0BOT",
        bot_user_id="U0BOT",
        bot_scopes=["chat:write"],
        bot_refresh_token=None,
        user_token=user_token,
        installed_at=1_800_000_000.0 + n,
    )


def test_installations_are_stored_sealed_and_read_back_open(store: Store) -> None:
    sealer = TokenSealer(store.master)
    installations = SealedInstallationStore(client_id="111.222", engine=store.engine, sealer=sealer)
    installations.save(installation(1, user_token="xoxp-user"))
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT bot_token, user_token FROM slack_installations")).all()
        bots = connection.execute(text("SELECT bot_token FROM slack_bots")).scalars().all()
    assert all(value.startswith(SEALED) for row in stored for value in row)
    assert bots and all(value.startswith(SEALED) for value in bots)
    assert not holds_clear_tokens(store.engine)
    found = installations.find_installation(enterprise_id=None, team_id="T0001")
    assert found is not None and (found.bot_token, found.user_token) == ("xoxb-bot-1", "xoxp-user")
    bot = installations.find_bot(enterprise_id=None, team_id="T0001")
    assert bot is not None and bot.bot_token == "xoxb-bot-1"
    assert installations.find_bot(enterprise_id=None, team_id="T0404") is None
    assert installations.find_installation(enterprise_id=None, team_id="T0404") is None


def test_tokens_stored_in_clear_are_sealed_in_batches_then_rewrapped_under_a_new_key(store: Store) -> None:
    clear_store = SealedInstallationStore(
        client_id="111.222", engine=store.engine, sealer=TokenSealer(store.master)
    )
    for n in range(1, 4):  # as an earlier version wrote them: in clear
        super(SealedInstallationStore, clear_store).save(installation(n, user_token=None))
    assert holds_clear_tokens(store.engine)
    sealer = TokenSealer(store.master)
    # the three installations, two rows a batch (slack_sdk saved their bots through our sealing save_bot)
    assert seal_stored_tokens(store.engine, sealer, batch=2) == 3
    assert not holds_clear_tokens(store.engine)
    assert seal_stored_tokens(store.engine, sealer, batch=2) == 0
    newest = Fernet(new_key())
    rotating = TokenSealer(MultiFernet([newest, Fernet(store.master_key)]))
    assert rewrap_stored_tokens(store.engine, rotating, batch=2) == 6
    with store.engine.connect() as connection:
        values = connection.execute(text("SELECT bot_token, user_token FROM slack_installations")).all()
    assert [user_token for _, user_token in values] == [None, None, None]
    only_new = TokenSealer(MultiFernet([newest]))
    assert sorted(only_new.open(bot_token) or "" for bot_token, _ in values) == [
        "xoxb-bot-1",
        "xoxb-bot-2",
        "xoxb-bot-3",
    ]
    reopened = SealedInstallationStore(client_id="111.222", engine=store.engine, sealer=only_new)
    found = reopened.find_installation(enterprise_id=None, team_id="T0002")
    assert found is not None and found.bot_token == "xoxb-bot-2"


def test_an_org_wide_installs_bot_is_found_from_any_of_its_workspaces(store: Store) -> None:
    installations = SealedInstallationStore(
        client_id="111.222", engine=store.engine, sealer=TokenSealer(store.master)
    )
    installations.save(
        Installation(
            app_id="A0APP",
            enterprise_id="E0ORG",
            team_id=None,
            user_id="U0ADMIN",
            bot_token="xoxb-org",
            bot_id="B0BOT",
            bot_user_id="U0BOT",
            is_enterprise_install=True,
            installed_at=1_800_000_000.0,
        )
    )
    bot = installations.find_bot(enterprise_id="E0ORG", team_id="T0INORG", is_enterprise_install=True)
    assert bot is not None and bot.bot_token == "xoxb-org"
    found = installations.find_installation(
        enterprise_id="E0ORG", team_id="T0INORG", is_enterprise_install=True
    )
    assert found is not None and found.bot_token == "xoxb-org"
    assert (
        installations.find_bot(enterprise_id="E0OTHER", team_id="T0INORG", is_enterprise_install=True) is None
    )


def test_rewrapping_goes_on_after_each_full_batch_and_counts_each_row_once(store: Store) -> None:
    installations = SealedInstallationStore(
        client_id="111.222", engine=store.engine, sealer=TokenSealer(store.master)
    )
    for n in range(1, 5):
        installations.save(installation(n, user_token=None))
    newest = Fernet(new_key())
    rotating = TokenSealer(MultiFernet([newest, Fernet(store.master_key)]))
    assert rewrap_stored_tokens(store.engine, rotating, batch=3) == 8  # four installations, four bots


def test_rewrapping_commits_batch_by_batch_so_a_failure_keeps_the_work_done(store: Store) -> None:
    """A token under a key that is gone stops the rewrap; the batches before it stay rewrapped."""
    installations = SealedInstallationStore(
        client_id="111.222", engine=store.engine, sealer=TokenSealer(store.master)
    )
    for n in range(1, 3):
        installations.save(installation(n, user_token=None))
    lost = TokenSealer(MultiFernet([Fernet(new_key())]))
    SealedInstallationStore(client_id="111.222", engine=store.engine, sealer=lost).save(
        installation(3, user_token=None)
    )
    newest = Fernet(new_key())
    with pytest.raises(KeyUnavailableError):
        rewrap_stored_tokens(
            store.engine, TokenSealer(MultiFernet([newest, Fernet(store.master_key)])), batch=2
        )
    with store.engine.connect() as connection:
        tokens = (
            connection.execute(text("SELECT bot_token FROM slack_installations ORDER BY id")).scalars().all()
        )
    only_new = TokenSealer(MultiFernet([newest]))
    assert [only_new.open(token) for token in tokens[:2]] == ["xoxb-bot-1", "xoxb-bot-2"]


def test_each_persons_installation_is_found_by_their_user_id(store: Store) -> None:
    installations = SealedInstallationStore(
        client_id="111.222", engine=store.engine, sealer=TokenSealer(store.master)
    )
    for n, user_id in enumerate(("U0FIRST", "U0SECOND")):
        installations.save(
            Installation(
                app_id="A0APP",
                team_id="T0001",
                user_id=user_id,
                bot_token="xoxb-bot",
                user_token=f"xoxp-{user_id}",
                installed_at=1_800_000_000.0 + n,
            )
        )
    first = installations.find_installation(enterprise_id=None, team_id="T0001", user_id="U0FIRST")
    assert first is not None and first.user_token == "xoxp-U0FIRST"
    latest = installations.find_installation(enterprise_id=None, team_id="T0001")
    assert latest is not None and latest.user_token == "xoxp-U0SECOND"
