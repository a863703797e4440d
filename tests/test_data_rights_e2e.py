"""Data rights: export, forget-me (crypto-shredding first), retention and key rotation."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import MetaData, select

from slackapp.config import Secret
from slackapp.jobs import housekeeping
from slackapp.runtime import build_runtime
from slackapp.store.crypto import KeyUnavailableError, Vault, load_master_keys, rotate_data_keys
from slackapp.store.models import AuditEntry, ExportFile, Reflection, Workspace
from slackapp.store.reflections import add_reflection, read_answers
from tests.conftest import Kindly
from tests.support.cli import clean_env, run_kindly
from tests.support.database import raw_database_bytes
from tests.support.journeys import save_reminder, take_kind_moment, view_after
from tests.support.slack_requests import Person
from tests.support.views import all_text, button, buttons, fill

ALICE = Person("U0ALICE", "T0001", "alice")
BOB = Person("U0BOB", "T0001", "bob")
SECRET = "the thing I never told anyone"


def give_shoutout(kindly: Kindly, *, to: Person, who: Person, note: str, signed: bool) -> None:
    view = view_after(kindly, "views.open", lambda: kindly.slack.command("shoutout", who=who))
    submitted = fill(view, {"note": note, "signed": "signed" if signed else "anonymous"})
    values = submitted["state"]["values"]
    values["recipient"] = {"choice": {"type": "users_select", "selected_user": to.user_id}}
    values["strength"] = {"choice": {"type": "static_select", "selected_option": {"value": "courage"}}}
    posted = len(kindly.fake.calls("chat.postMessage"))
    assert kindly.slack.view_submission(submitted, who=who).json()["response_action"] == "update"
    kindly.fake.wait_for("chat.postMessage", count=posted + 1)


def seed_alice(kindly: Kindly) -> None:
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    kindly.fake.set_user(BOB.user_id, tz="Europe/Berlin")
    take_kind_moment(kindly, text=SECRET, who=ALICE)
    save_reminder(kindly, who=ALICE)
    give_shoutout(kindly, to=ALICE, who=BOB, note="you were brave in that meeting", signed=False)
    give_shoutout(kindly, to=ALICE, who=BOB, note="signed with love", signed=True)


def test_export_gives_the_person_their_own_data_as_json_and_markdown(kindly: Kindly) -> None:
    seed_alice(kindly)
    reply = kindly.slack.command("export", who=ALICE).json()
    assert "on its way" in reply["text"]
    kindly.fake.wait_for("files.completeUploadExternal")
    uploads = list(kindly.fake.uploads.values())
    assert len(uploads) == 2
    exported = json.loads(next(u for u in uploads if u.startswith(b"{")))
    markdown = next(u for u in uploads if u.startswith(b"#")).decode()
    assert next(r["answers"] for r in exported["reflections"])["critic"] == SECRET
    assert SECRET in markdown
    received = {s["note"]: s["from"] for s in exported["shoutouts_received"]}
    assert received == {"you were brave in that meeting": None, "signed with love": BOB.user_id}
    assert exported["reminders"][0]["time_zone"] == "Europe/Berlin"
    (complete,) = kindly.fake.calls("files.completeUploadExternal")
    assert complete.params["channel_id"].startswith("D")


def test_forget_me_leaves_nothing_about_the_person_and_shreds_old_copies(kindly: Kindly) -> None:
    seed_alice(kindly)
    with kindly.runtime.services.sessions.begin() as session:
        copied = [(r.team_id, r.user_id, bytes(r.body)) for r in session.scalars(select(Reflection))]
    modal = view_after(kindly, "views.open", lambda: kindly.slack.command("forget-me", who=ALICE))
    wrong = kindly.slack.view_submission(fill(modal, {"confirm": "yes"}), who=ALICE).json()
    assert wrong["response_action"] == "errors"
    done = kindly.slack.view_submission(fill(modal, {"confirm": "Forget me"}), who=ALICE).json()
    assert done["response_action"] == "update"
    kindly.fake.wait_for("chat.delete", count=2)  # the shout-out DMs about her
    again = kindly.slack.view_submission(fill(modal, {"confirm": "forget me"}), who=ALICE).json()
    assert again["response_action"] == "update"  # running it twice is harmless
    kindly.settle()
    raw = raw_database_bytes(kindly.runtime.engine)
    assert ALICE.user_id.encode() not in raw
    assert SECRET.encode() not in raw and b"brave" not in raw
    services = kindly.runtime.services
    with services.sessions.begin() as session:
        for team_id, user_id, body in copied:
            with pytest.raises(KeyUnavailableError):
                services.vault.open(session, team_id=team_id, user_id=user_id, token=body)
        assert [e.action for e in session.scalars(select(AuditEntry))].count("person_forgotten") == 2
        assert all(e.actor_id != ALICE.user_id for e in session.scalars(select(AuditEntry)))


def test_retention_purges_old_reflections_and_keeps_recent_ones(kindly: Kindly) -> None:
    services = kindly.runtime.services
    now = datetime(2027, 6, 1, tzinfo=UTC)
    with services.sessions.begin() as session:
        session.add(Workspace(team_id="T0001", retention_days=30, updated_at=now))
        for age in (40, 31, 29, 1):
            add_reflection(
                session,
                services.vault,
                team_id="T0001",
                user_id=ALICE.user_id,
                practice="comfort",
                answers={"need": f"{age} days old"},
                now=now - timedelta(days=age),
            )
        add_reflection(  # another workspace keeps everything
            session,
            services.vault,
            team_id="T0OTHER",
            user_id=ALICE.user_id,
            practice="comfort",
            answers={"need": "kept"},
            now=now - timedelta(days=400),
        )
    kindly.clock.set(now)
    housekeeping(services)
    with services.sessions.begin() as session:
        left = sorted(
            read_answers(session, services.vault, r)["need"] for r in session.scalars(select(Reflection))
        )
    assert left == ["1 days old", "29 days old", "kept"]


def test_after_rotation_with_the_old_key_removed_every_reflection_still_opens(kindly: Kindly) -> None:
    take_kind_moment(kindly, text="before rotation", who=ALICE)
    take_kind_moment(kindly, text="bob's words", who=BOB)
    settings = kindly.runtime.settings
    old = settings.encryption_keys[0]
    new = Secret(Fernet.generate_key().decode())
    rotating = replace(settings, encryption_keys=(new, old))
    assert rotate_data_keys(kindly.runtime.services.sessions, load_master_keys(rotating)) == 2
    assert rotate_data_keys(kindly.runtime.services.sessions, load_master_keys(rotating)) == 2  # resumable
    only_new = replace(settings, encryption_keys=(new,))
    later = build_runtime(only_new)
    try:
        with later.services.sessions.begin() as session:
            texts = {
                read_answers(session, later.services.vault, r)["critic"]
                for r in session.scalars(select(Reflection))
            }
        assert texts == {"before rotation", "bob's words"}
    finally:
        later.close()
    with pytest.raises(KeyUnavailableError, match="KINDLY_ENCRYPTION_KEYS"):
        build_runtime(replace(settings, encryption_keys=(Secret(Fernet.generate_key().decode()),)))


def every_table(kindly: Kindly) -> list[str]:
    metadata = MetaData()
    metadata.reflect(kindly.runtime.engine)
    return sorted(metadata.tables)


def test_the_vault_refuses_garbage_instead_of_returning_it(kindly: Kindly) -> None:
    services = kindly.runtime.services
    take_kind_moment(kindly, text="real", who=ALICE)
    stranger = Vault(
        load_master_keys(
            replace(kindly.runtime.settings, encryption_keys=(Secret(Fernet.generate_key().decode()),))
        )
    )
    with services.sessions.begin() as session:
        reflection = session.scalars(select(Reflection)).one()
        with pytest.raises(KeyUnavailableError):
            read_answers(session, stranger, reflection)
    assert "data_keys" in every_table(kindly)


def test_kindly_rotate_keys_and_a_wrong_key_from_the_command_line(kindly: Kindly, tmp_path: Path) -> None:
    take_kind_moment(kindly, text="kept through rotation", who=ALICE)
    settings = kindly.runtime.settings
    old, new = settings.encryption_keys[0].reveal(), Fernet.generate_key().decode()
    env = clean_env(tmp_path, DATABASE_URL=settings.database_url, KINDLY_ENCRYPTION_KEYS=f"{new},{old}")
    rotated = run_kindly("rotate-keys", cwd=tmp_path, env=env)
    assert rotated.returncode == 0 and "Re-wrapped 1 data keys" in rotated.stdout
    wrong = run_kindly(
        "run",
        "--http",
        cwd=tmp_path,
        env={
            **env,
            "KINDLY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": "abcdef0123456789abcdef0123456789",
        },
    )
    assert (
        wrong.returncode == 2 and "KINDLY_ENCRYPTION_KEYS" in wrong.stderr and "Traceback" not in wrong.stderr
    )
    with kindly.runtime.services.sessions.begin() as session:
        reflection = session.scalars(select(Reflection)).one()
        new_only = Vault(load_master_keys(replace(settings, encryption_keys=(Secret(new),))))
        assert read_answers(session, new_only, reflection)["critic"] == "kept through rotation"


# -- export files do not outlive the person's wish to delete them ----------------------------------------


def export_and_wait(kindly: Kindly, who: Person = ALICE) -> dict[str, Any]:
    """/kindly export; returns the message with the "Delete these files now" button that follows the files."""
    posted = len(kindly.fake.calls("chat.postMessage"))
    kindly.slack.command("export", who=who)
    kindly.fake.wait_for("files.completeUploadExternal")
    call = kindly.fake.wait_for("chat.postMessage", count=posted + 1)[posted]
    message: dict[str, Any] = call.params
    assert button(message, "export_delete_now")
    return message


def export_rows_left(kindly: Kindly) -> list[ExportFile]:
    with kindly.runtime.services.sessions.begin() as session:
        rows = list(session.scalars(select(ExportFile)))
        session.expunge_all()
        return rows


def forget(kindly: Kindly, who: Person) -> None:
    modal = view_after(kindly, "views.open", lambda: kindly.slack.command("forget-me", who=who))
    done = kindly.slack.view_submission(fill(modal, {"confirm": "forget me"}), who=who).json()
    assert done["response_action"] == "update"


def test_forget_me_deletes_every_export_file_and_publishes_an_empty_home(kindly: Kindly) -> None:
    seed_alice(kindly)
    export_and_wait(kindly)
    export_and_wait(kindly)
    assert len(kindly.fake.uploads) == 4
    published = len(kindly.fake.calls("views.publish"))
    forget(kindly, ALICE)
    kindly.settle()
    assert kindly.fake.uploads == {}  # Slack holds no file of hers
    assert [c.answered_error for c in kindly.fake.calls("files.delete")] == [None] * 4
    assert export_rows_left(kindly) == []
    (home_call,) = kindly.fake.calls("views.publish")[published:]
    assert home_call.params["user_id"] == ALICE.user_id
    home = home_call.params["view"]
    shown = all_text(home)
    for personal in (SECRET, "brave", "signed with love", "09:00", "mended", "friend"):
        assert personal not in shown
    assert "journal_entry_open" not in [b["action_id"] for b in buttons(home)]
    assert "Set up reminders" in shown and "Your reflections will appear here" in shown


def test_delete_these_files_now_deletes_that_export_and_answers_kindly(kindly: Kindly) -> None:
    take_kind_moment(kindly, text=SECRET, who=ALICE)
    first = export_and_wait(kindly)
    export_and_wait(kindly)
    first_files = {row.file_id for row in export_rows_left(kindly) if row.export_id == export_of(first)}
    answered = len(kindly.fake.calls("response_url"))
    kindly.slack.message_action(
        "export_delete_now", message=first, who=ALICE, value=button(first, "export_delete_now")["value"]
    )
    reply = kindly.fake.wait_for("response_url", count=answered + 1)[answered].params
    assert reply["replace_original"] is True and "deleted from Slack" in all_text(reply)
    assert set(kindly.fake.uploads).isdisjoint(first_files) and len(kindly.fake.uploads) == 2
    assert {row.file_id for row in export_rows_left(kindly)}.isdisjoint(first_files)
    kindly.slack.message_action("export_delete_now", message=first, who=ALICE, value=str(export_of(first)))
    again = kindly.fake.wait_for("response_url", count=answered + 2)[answered + 1].params
    assert "already deleted" in all_text(again)


def export_of(message: dict[str, Any]) -> uuid.UUID:
    return uuid.UUID(button(message, "export_delete_now")["value"])


def test_someone_else_cannot_delete_or_learn_of_a_persons_export(kindly: Kindly) -> None:
    take_kind_moment(kindly, text=SECRET, who=ALICE)
    alices = export_and_wait(kindly)
    answered = len(kindly.fake.calls("response_url"))
    kindly.slack.message_action("export_delete_now", message=alices, who=BOB, value=str(export_of(alices)))
    reply = kindly.fake.wait_for("response_url", count=answered + 1)[answered].params
    assert "already deleted" in all_text(reply)  # what anyone gets for files that are not theirs
    assert len(kindly.fake.uploads) == 2 and kindly.fake.calls("files.delete") == []
    for forged in ("not-a-uuid", "", str(uuid.uuid4())):
        kindly.slack.message_action("export_delete_now", message=alices, who=ALICE, value=forged)
    kindly.settle()
    assert len(kindly.fake.uploads) == 2


def test_files_slack_did_not_delete_are_retried_by_housekeeping_without_naming_the_person(
    kindly: Kindly,
) -> None:
    take_kind_moment(kindly, text=SECRET, who=ALICE)
    message = export_and_wait(kindly)
    kindly.fake.fail("files.delete", "internal_error", times=-1)
    answered = len(kindly.fake.calls("response_url"))
    kindly.slack.message_action(
        "export_delete_now", message=message, who=ALICE, value=str(export_of(message))
    )
    reply = kindly.fake.wait_for("response_url", count=answered + 1)[answered].params
    assert "keeps trying" in all_text(reply)
    forget(kindly, ALICE)
    kindly.settle()
    assert len(kindly.fake.uploads) == 2  # Slack refused: the files are still there...
    waiting = export_rows_left(kindly)
    assert {row.file_id for row in waiting} == set(kindly.fake.uploads)  # ...and still to be deleted,
    assert {row.user_id for row in waiting} == {None}  # without saying whose they were
    assert ALICE.user_id.encode() not in raw_database_bytes(kindly.runtime.engine)
    housekeeping(kindly.runtime.services)
    assert len(kindly.fake.uploads) == 2 and len(export_rows_left(kindly)) == 2  # still refused: kept
    kindly.fake.clear_failures("files.delete")
    housekeeping(kindly.runtime.services)
    assert kindly.fake.uploads == {} and export_rows_left(kindly) == []
