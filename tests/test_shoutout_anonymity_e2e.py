"""An anonymous shout-out cannot be tied to its sender: not by the database, not by what the sender sees.

The attacks here are those of a database operator who also holds the master key, and of a sender who
probes what Kindly answers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from slackapp.store.crypto import derive_secret
from slackapp.store.db import make_engine
from slackapp.store.migrate import alembic_config, upgrade_to_head
from slackapp.store.models import DataKey, Shoutout
from slackapp.store.people import export_rows
from tests.conftest import Kindly
from tests.support.database import raw_database_bytes
from tests.support.forensics import current_transaction_id, dump_pages
from tests.support.journeys import view_after
from tests.support.shoutouts import ALICE, BOB, CHANNEL, HANNA, choose_channel, posts_to, send
from tests.support.slack_requests import Person
from tests.support.views import all_text

CAROL = Person("U0CAROL", "T0001", "carol")
DAVE = Person("U0DAVE", "T0001", "dave")
ERIN = Person("U0ERIN", "T0001", "erin")
SENDERS = (ALICE, CAROL, DAVE)
MONDAY = datetime(2027, 1, 4, 10, tzinfo=UTC)


@pytest.fixture
def team(kindly: Kindly) -> Kindly:
    for person in (ALICE, BOB, CAROL, DAVE, ERIN):
        kindly.fake.set_user(person.user_id, tz="Europe/Berlin")
    kindly.fake.set_user(HANNA.user_id, tz="Europe/Berlin", is_admin=True)
    kindly.clock.set(MONDAY)
    return kindly


def stored_shoutouts(kindly: Kindly) -> list[Shoutout]:
    with kindly.runtime.services.sessions.begin() as session:
        return list(session.scalars(select(Shoutout)))


def values_derived_from(kindly: Kindly, person: Person) -> list[bytes]:
    """What an operator holding the master key can compute for a person, to look for in the database."""
    secret = derive_secret(kindly.runtime.settings, "kindly shout-out quota")
    derived = [person.user_id.encode()]
    for day in (MONDAY.date() + timedelta(days=offset) for offset in (-1, 0, 1)):
        for message in (
            f"{person.team_id}:{person.user_id}:{day.isoformat()}",
            f"{person.team_id}:{person.user_id}",
        ):
            mac = hmac.new(secret, message.encode(), hashlib.sha256)
            derived += [mac.hexdigest().encode(), mac.digest()]
    return derived


def send_interleaved(kindly: Kindly) -> None:
    """Three senders, two recipients, sends interleaved: the operator's task is to pair them up."""
    for sender, recipient in ((ALICE, BOB), (CAROL, ERIN), (ALICE, ERIN), (DAVE, BOB), (CAROL, BOB)):
        assert send(kindly, who=sender, to=recipient.user_id)["response_action"] == "update"
    kindly.fake.wait_for("chat.postMessage", count=1 + 2 * 5)  # the welcome, then a post and a DM each
    kindly.settle()


def test_nothing_in_the_database_is_computed_from_a_sender(team: Kindly) -> None:
    choose_channel(team)
    send_interleaved(team)
    assert len(stored_shoutouts(team)) == 5
    stored = raw_database_bytes(team.runtime.engine)
    if team.runtime.engine.dialect.name == "postgresql":
        stored += dump_pages(team.runtime.engine).raw  # dead row versions and index pages too
    for sender in SENDERS:
        for value in values_derived_from(team, sender):
            assert value not in stored


@pytest.mark.postgres
def test_transaction_ids_and_page_order_pair_no_shoutout_with_its_sender(team: Kindly) -> None:
    if team.runtime.engine.dialect.name != "postgresql":
        pytest.skip("transaction ids (xmin) and pageinspect are PostgreSQL's")
    choose_channel(team)
    first = current_transaction_id(team.runtime.engine)
    send_interleaved(team)
    last = current_transaction_id(team.runtime.engine)
    pages = dump_pages(team.runtime.engine)
    written = [t for t in pages.tuples if first < t.xmin < last or first < t.xmax < last]
    # The operator's pairing: rows (live or dead) written by each shout-out's transaction or its
    # neighbours, and rows in the same page order. Only the shout-outs and their recipients' keys are.
    assert {t.table for t in written} <= {"shoutouts", "data_keys"}
    assert len({t.xmin for t in written if t.table == "shoutouts"}) >= 5
    for version in written:
        for sender in SENDERS:
            for value in values_derived_from(team, sender):
                assert value not in version.data


def test_the_quota_limits_a_sender_each_day(team: Kindly) -> None:
    team.clock.set(datetime(2027, 1, 4, 23, 30, tzinfo=UTC))  # counted per UTC day
    for _ in range(5):
        assert send(team)["response_action"] == "update"
    over = send(team)
    assert over["response_action"] == "errors" and "5 shout-outs today" in over["errors"]["note"]
    assert send(team, who=CAROL)["response_action"] == "update"  # others are not affected
    team.clock.set(datetime(2027, 1, 5, 0, 30, tzinfo=UTC))
    assert send(team)["response_action"] == "update"  # a new day, a new key, a new count
    assert len(stored_shoutouts(team)) == 7


def test_an_opted_out_recipient_looks_to_a_sender_like_anyone_else(team: Kindly) -> None:
    view_after(team, "views.publish", lambda: team.slack.block_action("shoutouts_receive_toggle", who=BOB))
    to_bob = send(team, to=BOB.user_id)
    to_erin = send(team, to=ERIN.user_id)
    assert to_bob["response_action"] == to_erin["response_action"] == "update"
    same = json.dumps(to_erin["view"]).replace(ERIN.user_id, BOB.user_id)
    assert json.dumps(to_bob["view"]) == same
    for _ in range(3):
        send(team, to=BOB.user_id)
    refused = send(team, to=BOB.user_id)  # the quota counts shout-outs to Bob too: no tell there either
    assert "5 shout-outs today" in refused["errors"]["note"]
    team.settle()
    assert [s.recipient_id for s in stored_shoutouts(team)] == [ERIN.user_id]
    assert posts_to(team, BOB.user_id) == []


def test_a_failed_channel_post_tells_the_sender_in_their_modal_not_in_a_message(team: Kindly) -> None:
    choose_channel(team)
    team.fake.fail("chat.postMessage", "is_archived")
    assert send(team)["response_action"] == "update"
    (update,) = team.fake.wait_for("views.update")
    assert update.params["view_id"] == "V0MODAL"  # the very modal Alice submitted (see `fill`)
    assert "couldn't be posted" in all_text(update.params["view"])
    team.settle()
    assert [c.params["channel"] for c in team.fake.calls("chat.postMessage") if c.ok][-1] == BOB.user_id
    assert posts_to(team, ALICE.user_id) == []  # nothing lands beside Bob's DM in Alice's messages
    assert [p for p in posts_to(team, CHANNEL) if "Kindness" in all_text(p)] == []


def test_a_received_shoutout_carries_the_recipients_day_not_the_senders(team: Kindly) -> None:
    team.fake.set_user(ALICE.user_id, tz="Pacific/Kiritimati")  # UTC+14
    team.fake.set_user(BOB.user_id, tz="Pacific/Pago_Pago")  # UTC-11
    view_after(team, "views.open", lambda: team.slack.command("remind", who=ALICE))  # Kindly learns her zone
    team.clock.set(datetime(2027, 1, 4, 5, tzinfo=UTC))  # Monday 19:00 for Alice, Sunday 18:00 for Bob
    assert send(team)["response_action"] == "update"
    team.settle()
    (shoutout,) = stored_shoutouts(team)
    assert shoutout.created_on == date(2027, 1, 3)
    with team.runtime.services.sessions.begin() as session:
        exported = export_rows(session, team.runtime.services.vault, team_id=BOB.team_id, user_id=BOB.user_id)
    assert [s["day"] for s in exported["shoutouts_received"]] == ["2027-01-03"]


def sealed_at(token: bytes) -> int:
    """The time a Fernet token carries in clear (bytes 1 to 8), readable without any key."""
    return int.from_bytes(base64.urlsafe_b64decode(token)[1:9], "big")


def test_a_digests_shoutouts_carry_no_time_of_writing(team: Kindly) -> None:
    choose_channel(team, mode="digest", day="4")  # Fridays at 15:00 Berlin
    sent: list[dict[str, Any]] = []
    for day in range(3):  # Monday, Tuesday, Wednesday
        team.clock.set(MONDAY + timedelta(days=day, hours=day))
        sent.append(send(team, who=SENDERS[day], to=(BOB, ERIN, BOB)[day].user_id))
    assert all(reply["response_action"] == "update" for reply in sent)
    shoutouts = stored_shoutouts(team)
    assert {s.created_on for s in shoutouts} == {date(2027, 1, 8)}  # the digest's day, for all
    friday = int(datetime(2027, 1, 8, tzinfo=UTC).timestamp())
    assert {sealed_at(s.note) for s in shoutouts if s.note} == {friday}
    with team.runtime.services.sessions.begin() as session:
        keys = list(session.scalars(select(DataKey)))
    assert {(k.user_id, k.created_at) for k in keys} == {
        (person.user_id, datetime(2027, 1, 8, tzinfo=UTC)) for person in (BOB, ERIN)
    }
    assert {sealed_at(k.wrapped_key) for k in keys} == {friday}


def test_sqlite_keeps_existing_shoutouts_without_a_rowid_that_tells_their_order(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the rowid is SQLite's")
    engine = make_engine(database_url)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0007")
            connection.exec_driver_sql(
                "INSERT INTO shoutouts (id, team_id, recipient_id, strength, status, created_on, sort_key) "
                "VALUES ('0f0e0d0c0b0a09080706050403020100', 'T0001', 'U0BOB', 'kindness', 'posted', "
                "'2027-01-04', 7)"
            )
        upgrade_to_head(engine)
        with engine.connect() as connection:
            kept = connection.exec_driver_sql("SELECT recipient_id FROM shoutouts").scalars().all()
            assert kept == ["U0BOB"]
            with pytest.raises(OperationalError, match="no such column: rowid"):
                connection.exec_driver_sql("SELECT rowid FROM shoutouts")
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_once_a_digest_is_posted_its_rows_keep_no_order_of_arrival(team: Kindly) -> None:
    if team.runtime.engine.dialect.name != "postgresql":
        pytest.skip("transaction ids (xmin) and row positions (ctid) are PostgreSQL's")
    choose_channel(team, mode="digest", day="4")
    for day, sender in enumerate(SENDERS * 2):
        team.clock.set(MONDAY + timedelta(hours=day))
        assert send(team, who=sender, note=f"note {day}")["response_action"] == "update"
    posting = current_transaction_id(team.runtime.engine)
    assert team.dispatch(datetime(2027, 1, 8, 14, tzinfo=UTC)).digests == 1
    with team.runtime.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT xmin::text, id FROM shoutouts ORDER BY ctid").all()
    assert len({xmin for xmin, _ in rows}) == 1  # all rewritten by the one transaction that posted them
    assert [row_id for _, row_id in rows] == sorted(row_id for _, row_id in rows)  # in random-id order
    versions = [t for t in dump_pages(team.runtime.engine).tuples if t.table == "shoutouts"]
    assert len(versions) == 6 and all(t.xmin > posting for t in versions)  # no version from their arrival


def test_no_statement_run_for_an_anonymous_shoutout_names_its_sender(team: Kindly) -> None:
    """A server's statement log (log_statement = all) or pg_stat_activity would pair them otherwise."""
    choose_channel(team)
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append(f"{statement} {parameters!r}")

    event.listen(team.runtime.engine, "before_cursor_execute", record)
    try:
        assert send(team)["response_action"] == "update"
        team.fake.wait_for("chat.postMessage", count=3)
        team.settle()
    finally:
        event.remove(team.runtime.engine, "before_cursor_execute", record)
    assert any("INSERT INTO shoutouts" in statement for statement in seen)
    assert [statement for statement in seen if ALICE.user_id in statement] == []


def test_a_recipients_export_holds_no_shoutout_still_waiting_for_its_digest(team: Kindly) -> None:
    # A recipient who exported every day would otherwise learn the day each waiting note was written,
    # which the digest exists to hide (their App Home shows none of them either).
    choose_channel(team, mode="digest", day="4")  # Fridays at 15:00 Berlin
    assert send(team, who=ALICE, to=BOB.user_id, note="waiting for Friday")["response_action"] == "update"
    team.slack.command("export", who=BOB)
    team.fake.wait_for("files.completeUploadExternal")
    team.settle()
    uploads = b"".join(team.fake.uploads.values())
    assert b"waiting for Friday" not in uploads
    exported = json.loads(next(u for u in team.fake.uploads.values() if u.startswith(b"{")))
    assert exported["shoutouts_received"] == []
