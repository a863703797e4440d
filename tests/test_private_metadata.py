"""What a reflection is about is as private as what it says: a copy of the database shows neither."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from sqlalchemy import select

from slackapp.config import Secret, Settings
from slackapp.jobs import housekeeping
from slackapp.practices.catalogue import ARRIVALS, PRACTICES
from slackapp.scheduling.gentle import PERSONAL_REASONS
from slackapp.store.crypto import Vault, load_master_keys
from slackapp.store.db import flush_deleted_pages, make_engine, make_session_factory
from slackapp.store.migrate import downgrade_to, upgrade_to, upgrade_to_head
from slackapp.store.models import Delivery, Reflection
from slackapp.store.reflection_meta import SEALED_SIZE, ReflectionMeta, pack
from slackapp.store.reflections import list_entries, read_meta
from tests.conftest import Kindly
from tests.support.database import raw_database_bytes
from tests.support.http import get
from tests.support.journeys import open_journal, save_reminder, take_kind_moment, view_after
from tests.support.slack_requests import Person
from tests.support.views import fill

ALICE = Person("U0ALICE", "T0001", "alice")
WORDS_OF_PRACTICE = sorted({*PRACTICES, *ARRIVALS})  # practice keys and the arrival options they map to


def entry_ids(journal: dict[str, object]) -> list[str]:
    blocks = journal["blocks"]
    assert isinstance(blocks, list)
    return [
        block["accessory"]["value"]
        for block in blocks
        if block.get("accessory", {}).get("action_id") == "journal_entry_open"
    ]


def mend_with_kintsugi(kindly: Kindly, *, entry_id: str, who: Person) -> None:
    arrival = view_after(kindly, "views.open", lambda: kindly.slack.command("", who=who))
    kintsugi = kindly.slack.view_submission(fill(arrival, {"arrival": "revisiting"}), who=who).json()["view"]
    reply = kindly.slack.view_submission(
        fill(kintsugi, {"entry": entry_id, "lesson": "it taught me"}), who=who
    )
    assert "Mended in gold." in str(reply.json()["view"])


def test_no_practice_arrival_or_kintsugi_link_can_be_read_from_the_database(kindly: Kindly) -> None:
    for arrival, practice in ARRIVALS.items():
        if not PRACTICES[practice].revisits_entry:
            take_kind_moment(kindly, arrival=arrival, text="words", who=ALICE)
    journal_ids = entry_ids(open_journal(kindly, ALICE))
    revisited, untouched = journal_ids[-1], journal_ids[-2]
    mend_with_kintsugi(kindly, entry_id=revisited, who=ALICE)
    kindly.settle()
    flush_deleted_pages(kindly.runtime.engine)  # SQLite: only the live pages, not old copies in the WAL

    raw = raw_database_bytes(kindly.runtime.engine).lower()
    assert [word for word in WORDS_OF_PRACTICE if word.encode() in raw] == []
    # The link would be a second copy of the old entry's id: it appears exactly as often as any id.
    for form in (lambda i: i.hex, str):
        assert raw.count(form(uuid.UUID(revisited)).encode()) == raw.count(
            form(uuid.UUID(untouched)).encode()
        )

    services = kindly.runtime.services
    with services.sessions.begin() as session:
        rows = session.scalars(select(Reflection)).all()
        assert len({len(row.sealed_meta) for row in rows}) == 1, "ciphertext lengths tell practices apart"
        assert sorted(read_meta(session, services.vault, row).practice for row in rows) == sorted(
            ARRIVALS.values()
        )
        entries = list_entries(session, services.vault, team_id="T0001", user_id=ALICE.user_id, limit=20)
    assert [str(entry.row.id) for entry in entries if entry.mended] == [revisited]  # the gold seam, still


def test_every_practice_pads_to_the_same_length() -> None:
    longest = max(PRACTICES, key=len)
    assert {len(pack(ReflectionMeta(practice=key))) for key in PRACTICES} == {SEALED_SIZE}
    assert len(pack(ReflectionMeta(practice=longest, revisits=uuid.uuid4()))) == SEALED_SIZE
    with pytest.raises(ValueError, match="longer"):
        pack(ReflectionMeta(practice="x" * SEALED_SIZE))


REFLECTIONS = sa.table(
    "reflections",
    sa.column("id", sa.Uuid()),
    sa.column("team_id", sa.String()),
    sa.column("user_id", sa.String()),
    sa.column("practice", sa.String()),
    sa.column("body", sa.LargeBinary()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("mended_by_id", sa.Uuid()),
    sa.column("mended_at", sa.DateTime(timezone=True)),
)


def seed_clear_rows(settings: Settings) -> tuple[uuid.UUID, uuid.UUID, datetime]:
    """Rows as revision 0007 kept them: practice and the kintsugi link in clear."""
    engine = make_engine(settings.database_url)
    vault = Vault(load_master_keys(settings))
    old, mending, at = uuid.uuid4(), uuid.uuid4(), datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    try:
        upgrade_to(engine, "0007")
        with make_session_factory(engine).begin() as session:
            body = vault.seal(session, team_id="T0001", user_id=ALICE.user_id, plaintext=b"{}")
            for row in (
                {
                    "id": old,
                    "practice": "courage",
                    "created_at": at - timedelta(days=9),
                    "mended_by_id": None,
                },
                {"id": mending, "practice": "kintsugi", "created_at": at, "mended_by_id": None},
            ):
                session.execute(
                    sa.insert(REFLECTIONS).values(team_id="T0001", user_id=ALICE.user_id, body=body, **row)
                )
            session.execute(
                sa.update(REFLECTIONS)
                .where(REFLECTIONS.c.id == old)
                .values(mended_by_id=mending, mended_at=at)
            )
    finally:
        engine.dispose()
    return old, mending, at


def test_the_migration_seals_clear_metadata_and_its_downgrade_restores_it(settings: Settings) -> None:
    old, mending, at = seed_clear_rows(settings)
    engine = make_engine(settings.database_url)
    master = load_master_keys(settings)
    try:
        with pytest.raises(RuntimeError, match="kindly migrate"):
            upgrade_to_head(engine)  # rows to seal and no master keys: refuse, change nothing
        upgrade_to_head(engine, master_keys=lambda: master)
        raw = raw_database_bytes(engine).lower()
        assert b"courage" not in raw and b"kintsugi" not in raw
        vault = Vault(master)
        with make_session_factory(engine).begin() as session:
            entries = {
                entry.row.id: entry
                for entry in list_entries(session, vault, team_id="T0001", user_id=ALICE.user_id)
            }
        assert (entries[old].practice, entries[old].mended_at) == ("courage", at)
        assert (entries[mending].practice, entries[mending].revisits) == ("kintsugi", old)

        downgrade_to(engine, "0007", master_keys=lambda: master)
        with engine.connect() as connection:
            rows = {row.id: row for row in connection.execute(select(REFLECTIONS))}
        assert (rows[old].practice, rows[old].mended_by_id) == ("courage", mending)
        assert rows[mending].practice == "kintsugi" and rows[mending].mended_by_id is None
    finally:
        engine.dispose()


def test_a_wrong_master_key_stops_the_migration_with_a_clear_line(settings: Settings) -> None:
    seed_clear_rows(settings)
    engine = make_engine(settings.database_url)
    wrong = replace(settings, encryption_keys=(Secret(Fernet.generate_key().decode()),))
    try:
        with pytest.raises(RuntimeError, match="KINDLY_ENCRYPTION_KEYS"):
            upgrade_to_head(engine, master_keys=lambda: load_master_keys(wrong))
    finally:
        engine.dispose()


SUNDAY_NOON = datetime(2027, 1, 3, 12, tzinfo=UTC)
MONDAY_NINE_BERLIN = datetime(2027, 1, 4, 8, tzinfo=UTC)


def delivery_rows(kindly: Kindly) -> list[tuple[str, str | None]]:
    with kindly.runtime.services.sessions.begin() as session:
        return [(row.status, row.reason) for row in session.scalars(select(Delivery).order_by(Delivery.id))]


def reflect_before_the_reminder(kindly: Kindly) -> None:
    """Alice's Monday reminder (09:00 Berlin) is due, and she took a kind moment an hour before it."""
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    kindly.clock.set(SUNDAY_NOON)
    save_reminder(kindly, who=ALICE)
    kindly.clock.set(MONDAY_NINE_BERLIN - timedelta(hours=1))
    take_kind_moment(kindly, who=ALICE)


def test_a_reminder_skipped_because_they_reflected_leaves_no_trace_after_the_grace_window(
    kindly: Kindly,
) -> None:
    reflect_before_the_reminder(kindly)
    assert kindly.dispatch(MONDAY_NINE_BERLIN).skipped == {"already_reflected": 1}

    kindly.clock.set(MONDAY_NINE_BERLIN + timedelta(hours=1))
    housekeeping(kindly.runtime.services)
    assert delivery_rows(kindly) == [("skipped", "already_reflected")]  # kept while it could matter

    assert kindly.dispatch(MONDAY_NINE_BERLIN + timedelta(days=1)).sent == 1  # the skip did its job
    kindly.clock.set(MONDAY_NINE_BERLIN + timedelta(days=1, hours=1))
    housekeeping(kindly.runtime.services)
    assert delivery_rows(kindly) == [("sent", None)]
    flush_deleted_pages(kindly.runtime.engine)
    assert b"already_reflected" not in raw_database_bytes(kindly.runtime.engine)


def test_a_short_reflections_length_does_not_tell_its_practice(kindly: Kindly) -> None:
    # The body is the answers keyed by their prompts' names: unpadded, a short comfort entry (two short
    # keys) seals shorter than a short self-compassion break (three long ones), whatever was written.
    for arrival in ARRIVALS:
        if not PRACTICES[ARRIVALS[arrival]].revisits_entry:
            take_kind_moment(kindly, arrival=arrival, text="ok", who=ALICE)
    kindly.settle()

    with kindly.runtime.services.sessions.begin() as session:
        lengths = {len(body) for body in session.scalars(select(Reflection.body))}
    assert len(lengths) == 1, f"body lengths tell practices apart: {sorted(lengths)}"


def test_a_log_reader_or_metrics_scraper_cannot_tell_that_someone_reflected_before_their_reminder(
    kindly: Kindly, caplog: pytest.LogCaptureFixture
) -> None:
    # The delivery row's reason goes after the grace window; the tick's log line and the /metrics label
    # would keep it for ever, at the minute of one person's reminder.
    reflect_before_the_reminder(kindly)
    with caplog.at_level(logging.DEBUG):  # even the idle-tick line, logged at DEBUG, tells no reason
        assert kindly.dispatch(MONDAY_NINE_BERLIN).skipped == {"already_reflected": 1}

    assert "skipped: private 1" in caplog.text
    status, scraped = get(f"{kindly.base_url}/metrics")
    assert status == 200
    assert [reason for reason in PERSONAL_REASONS if reason in caplog.text + scraped] == []
