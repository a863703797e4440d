"""A person's own data at the flows' level: the export hands over everything of theirs and nobody else's;
its files leave Slack when asked (retried until Slack confirms); forget-me shreds the key first, then
every row about the person, and tells what is left to delete in Slack. Slack is the fake, over HTTP."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import func, insert, select, text

from fakeslack import FakeSlack
from slackapp.actor import Actor
from slackapp.flows.data_rights import (
    CONFIRMATION,
    Leftovers,
    clean_up_slack,
    delete_export_now,
    export_data,
    forget_me_page,
    forget_person,
    retry_export_deletions,
)
from slackapp.rendering.data_rights import export_deleted_message
from slackapp.rendering.shoutouts import notice
from slackapp.store.crypto import KeyUnavailableError
from slackapp.store.export_files import awaiting_deletion, record_export
from slackapp.store.feedback import KINDS, reactions_among, record_reaction
from slackapp.store.models import (
    AuditEntry,
    DataKey,
    Delivery,
    ExportFile,
    HrLead,
    Member,
    Reflection,
    Schedule,
    Shoutout,
    TeamProgram,
)
from slackapp.store.people import FORGOTTEN, SlackMessage, destroy_key, export_rows, forget_rows
from slackapp.store.reflections import add_reflection
from slackapp.store.sealed_installations import SealedInstallationStore, TokenSealer
from slackapp.store.shoutouts import POSTED, PRIVATE, WAITING, add_shoutout
from tests.support.store import Store, migrated_database, store

__all__ = ["migrated_database", "store"]  # fixtures

TEAM, OTHER_TEAM = "T0001", "T0002"
ALICE, BOB = "U0ALICE", "U0BOB"
ALICE_HERE = Actor(TEAM, ALICE)
WRITTEN = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)
SECRET = b"q" * 32  # the store fixture's quota secret, which keys the reactions


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def client_of(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-1-test-token", base_url=fake.api_url)


def reflect(
    store: Store, *, user_id: str = ALICE, team_id: str = TEAM, words: str = "my words", **more: Any
) -> uuid.UUID:
    with store.sessions.begin() as session:
        row = add_reflection(
            session,
            store.vault,
            team_id=team_id,
            user_id=user_id,
            practice=more.get("practice", "comfort"),
            answers={"feeling": words},
            now=more.get("at", WRITTEN),
            revisits=more.get("revisits"),
        )
        return row.id


def give(
    store: Store,
    *,
    to: str,
    team_id: str = TEAM,
    note: str = "thank you",
    signed_by: str | None = None,
    status: str = POSTED,
    on: date = date(2027, 3, 2),
    posted_in: tuple[str, str] | None = None,
    dm: tuple[str, str] | None = None,
) -> uuid.UUID:
    with store.sessions.begin() as session:
        row = add_shoutout(
            session,
            store.vault,
            team_id=team_id,
            recipient_id=to,
            strength="courage",
            note=note,
            signed_by=signed_by,
            status=status,
            received_on=on,
        )
        row.channel, row.ts = posted_in or (None, None)
        row.dm_channel, row.dm_ts = dm or (None, None)
        return row.id


def schedule(store: Store, *, user_id: str, team_id: str = TEAM, **more: Any) -> int:
    with store.sessions.begin() as session:
        row = Schedule(
            team_id=team_id,
            user_id=user_id,
            weekdays=0b0011111,
            local_time=time(9, 5),
            tz="Europe/Berlin",
            created_at=WRITTEN,
            **more,
        )
        session.add(row)
        session.flush()
        session.add(
            Delivery(
                schedule_id=row.id,
                team_id=team_id,
                user_id=user_id,
                occurrence_at=WRITTEN,
                status="sent",
                not_before=WRITTEN,
            )
        )
        return row.id


def count(store: Store, model: Any, **where: str) -> int:
    with store.sessions.begin() as session:
        conditions = [getattr(model, name) == value for name, value in where.items()]
        return session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


# forget-me, in the store


def seed_everything_about(store: Store, user_id: str, *, team_id: str = TEAM) -> None:
    reflect(store, user_id=user_id, team_id=team_id)
    schedule(store, user_id=user_id, team_id=team_id)
    with store.sessions.begin() as session:
        session.add(Member(team_id=team_id, user_id=user_id, tz="Europe/Berlin", updated_at=WRITTEN))
        session.add(HrLead(team_id=team_id, user_id=user_id, added_at=WRITTEN))
        session.add(
            AuditEntry(team_id=team_id, actor_id=user_id, action="hr_lead_added", subject=BOB, at=WRITTEN)
        )
        session.add(
            AuditEntry(team_id=team_id, actor_id=BOB, action="hr_lead_added", subject=user_id, at=WRITTEN)
        )


def test_forgetting_deletes_every_row_about_the_person_and_names_the_slack_messages_to_delete(
    store: Store,
) -> None:
    seed_everything_about(store, ALICE)
    seed_everything_about(store, ALICE, team_id=OTHER_TEAM)
    seed_everything_about(store, BOB)
    give(store, to=ALICE, posted_in=("C0SHOUT", "1.000001"), dm=("D0ALICE", "1.000002"))
    give(store, to=ALICE, posted_in=("C0SHOUT", "1.000003"))
    give(store, to=ALICE, dm=("D0ALICE", None))  # type: ignore[arg-type]  # never reached her DM
    give(store, to=ALICE, status=WAITING)
    kept_for_bob = give(store, to=BOB, signed_by=ALICE, posted_in=("C0SHOUT", "1.000001"))
    signed_by_bob = give(store, to="U0CAROL", signed_by=BOB)
    give(store, to=ALICE, team_id=OTHER_TEAM, posted_in=("C0ELSE", "9.000001"))
    signed_elsewhere = give(store, to=BOB, team_id=OTHER_TEAM, signed_by=ALICE)
    with store.sessions.begin() as session:
        messages = forget_rows(session, team_id=TEAM, user_id=ALICE)
    assert sorted(messages, key=lambda m: (m.channel, m.ts)) == [
        SlackMessage("C0SHOUT", "1.000001"),
        SlackMessage("C0SHOUT", "1.000003"),
        SlackMessage("D0ALICE", "1.000002"),
    ]
    for model, column in (
        (Reflection, "user_id"),
        (Schedule, "user_id"),
        (Delivery, "user_id"),
        (Member, "user_id"),
        (HrLead, "user_id"),
        (Shoutout, "recipient_id"),
    ):
        assert count(store, model, team_id=TEAM, **{column: ALICE}) == 0, model.__name__
        assert count(store, model, team_id=OTHER_TEAM, **{column: ALICE}) == 1, model.__name__
        assert count(store, model, team_id=TEAM, **{column: BOB}) == 1, model.__name__
    with store.sessions.begin() as session:
        bobs = session.get(Shoutout, kept_for_bob)
        assert bobs is not None and bobs.signed_by is None and bobs.recipient_id == BOB
        signatures = [session.get(Shoutout, key) for key in (signed_by_bob, signed_elsewhere)]
        assert [row.signed_by if row else "" for row in signatures] == [BOB, ALICE]
        elsewhere = session.execute(
            select(AuditEntry.actor_id).where(AuditEntry.team_id == OTHER_TEAM).order_by(AuditEntry.id)
        ).scalars()
        assert list(elsewhere) == [ALICE, BOB]  # forget-me in one workspace leaves the other's lines
        entries = session.execute(
            select(AuditEntry.actor_id, AuditEntry.subject)
            .where(AuditEntry.team_id == TEAM)
            .order_by(AuditEntry.id)
        ).all()
    # Her lines, and Bob's naming her, become anonymous; Bob's lines about himself stay as they were.
    assert [tuple(row) for row in entries] == [(FORGOTTEN, None), (FORGOTTEN, None), (BOB, BOB), (BOB, BOB)]


def test_forgetting_the_installer_takes_their_id_and_user_token_out_of_slacks_installation_rows(
    store: Store,
) -> None:
    installations = SealedInstallationStore(
        client_id="1.2", engine=store.engine, sealer=TokenSealer(store.master)
    )
    installations.save(
        Installation(app_id="A0", team_id=TEAM, user_id=ALICE, bot_token="xoxb-b", user_token="xoxp-u")
    )
    with store.sessions.begin() as session:
        forget_rows(session, team_id=TEAM, user_id=ALICE)
    kept = installations.find_installation(enterprise_id=None, team_id=TEAM)
    assert kept is not None and (kept.user_id, kept.user_token, kept.bot_token) == (FORGOTTEN, None, "xoxb-b")


def test_destroying_the_key_leaves_every_copy_of_the_persons_text_unreadable(store: Store) -> None:
    reflect(store)
    reflect(store, user_id=BOB)
    with store.sessions.begin() as session:
        destroy_key(session, store.vault, team_id=TEAM, user_id=ALICE)
        assert session.get(DataKey, (TEAM, ALICE)) is None
        assert session.get(DataKey, (TEAM, BOB)) is not None
        (row,) = session.scalars(select(Reflection).where(Reflection.user_id == ALICE))
        with pytest.raises(KeyUnavailableError):
            store.vault.open(session, team_id=TEAM, user_id=ALICE, token=row.body)


# The export's data


def test_the_export_holds_the_persons_own_data_readable_and_nobody_elses(store: Store) -> None:
    first = reflect(store, words="first words", practice="courage", at=WRITTEN)
    reflect(store, words="it mended", practice="kintsugi", at=WRITTEN + timedelta(days=1), revisits=first)
    reflect(store, user_id=BOB, words="bob's words")
    reflect(store, team_id=OTHER_TEAM, words="elsewhere")
    schedule(store, user_id=ALICE, paused_until=date(2027, 4, 1), next_due_at=WRITTEN + timedelta(days=2))
    schedule(store, user_id=ALICE, kind="program:1")
    schedule(store, user_id=ALICE, team_id=OTHER_TEAM)
    schedule(store, user_id=BOB)
    earliest = reflect(store, words="written before the others", at=WRITTEN - timedelta(days=3))
    with store.sessions.begin() as session:
        session.add(
            Member(
                team_id=TEAM,
                user_id=ALICE,
                tz="Europe/Berlin",
                receives_shoutouts=False,
                team_prompts=False,
                updated_at=WRITTEN,
            )
        )
    give(store, to=ALICE, note="you were brave", signed_by=BOB, on=date(2027, 3, 3), status=PRIVATE)
    give(store, to=ALICE, note="", on=date(2027, 3, 2))
    give(store, to=ALICE, note="not yet in a digest", status=WAITING)
    give(store, to=BOB, note="for bob")
    with store.sessions.begin() as session:
        data = export_rows(session, store.vault, team_id=TEAM, user_id=ALICE)
    assert (data["team_id"], data["user_id"]) == (TEAM, ALICE)
    assert data["settings"] == {
        "time_zone": "Europe/Berlin",
        "receives_shoutouts": False,
        "team_prompts": False,
    }
    earliest_entry, older, mending = data["reflections"]  # oldest first, whatever the order they were kept
    assert earliest_entry["id"] == str(earliest)
    assert older == {
        "id": str(first),
        "practice": "courage",
        "created_at": WRITTEN.isoformat(),
        "revisits": None,
        "mended_at": (WRITTEN + timedelta(days=1)).isoformat(),
        "in_head": False,
        "answers": {"feeling": "first words"},
    }
    assert mending["practice"] == "kintsugi" and mending["revisits"] == str(first)
    assert mending["mended_at"] is None and mending["answers"] == {"feeling": "it mended"}
    paused, plain = sorted(data["reminders"], key=lambda r: r["kind"])  # personal, program:1
    assert paused == {
        "kind": "personal",
        "weekdays": 0b0011111,
        "local_time": "09:05",
        "time_zone": "Europe/Berlin",
        "paused_until": "2027-04-01",
        "next_due_at": (WRITTEN + timedelta(days=2)).isoformat(),
    }
    assert plain["kind"] == "program:1" and plain["paused_until"] is None and plain["next_due_at"] is None
    assert data["shoutouts_received"] == [
        {"strength": "courage", "note": "you were brave", "from": BOB, "day": "2027-03-03"},
        {"strength": "courage", "note": "", "from": None, "day": "2027-03-02"},
    ]
    assert "bob's words" not in json.dumps(data) and "elsewhere" not in json.dumps(data)


def test_an_export_of_someone_kindly_knows_nothing_about_has_the_defaults(store: Store) -> None:
    with store.sessions.begin() as session:
        data = export_rows(session, store.vault, team_id=TEAM, user_id=ALICE)
    assert data["settings"] == {"time_zone": None, "receives_shoutouts": True, "team_prompts": True}
    assert data["reflections"] == data["reminders"] == data["shoutouts_received"] == []


def test_text_whose_key_is_gone_exports_as_empty_rather_than_failing(store: Store) -> None:
    reflect(store, words="shredded")
    give(store, to=ALICE, note="shredded too")
    with store.sessions.begin() as session:
        destroy_key(session, store.vault, team_id=TEAM, user_id=ALICE)
    with store.sessions.begin() as session:
        data = export_rows(session, store.vault, team_id=TEAM, user_id=ALICE)
    ((reflection,), (shoutout,)) = data["reflections"], data["shoutouts_received"]
    assert reflection["answers"] == {} and reflection["practice"] == ""
    assert shoutout["note"] == ""


# The export, through Slack


def test_the_export_arrives_as_two_files_in_the_persons_dm_with_a_button_to_delete_them(
    store: Store, slack: FakeSlack
) -> None:
    reflect(store, words="only mine, 🌱 été")
    export_data(store.services, client_of(slack), ALICE_HERE)
    (upload,) = slack.calls("files.completeUploadExternal")
    assert upload.params["channel_id"] == slack.dm_channel_for(ALICE)
    assert upload.params["initial_comment"] == notice(store.services.renderer, "export_ready")["text"]
    titles = sorted(str(item.get("title")) for item in upload.params["files"])
    assert titles == ["kindly-2027-03-10.json", "kindly-2027-03-10.md"]
    contents = list(slack.uploads.values())
    raw = next(c for c in contents if c.startswith(b"{")).decode()
    assert json.loads(raw)["reflections"][0]["answers"] == {"feeling": "only mine, 🌱 été"}
    assert raw == json.dumps(json.loads(raw), indent=2, ensure_ascii=False)  # readable: indented, in clear
    markdown = next(c for c in contents if not c.startswith(b"{")).decode()
    assert "only mine, 🌱 été" in markdown and f"Exported 2027-03-10 09:30 UTC for {ALICE} " in markdown
    (message,) = slack.calls("chat.postMessage")
    assert message.params["channel"] == slack.dm_channel_for(ALICE)
    button = next(
        element
        for block in message.params["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == "export_delete_now"
    )
    with store.sessions.begin() as session:
        files = session.scalars(select(ExportFile)).all()
        assert sorted(f.file_id for f in files) == sorted(slack.uploads)
        assert {(f.team_id, f.user_id, str(f.export_id)) for f in files} == {(TEAM, ALICE, button["value"])}


def test_an_export_slack_refuses_sends_a_kind_failure_and_keeps_nothing(
    store: Store, slack: FakeSlack
) -> None:
    slack.fail("files.completeUploadExternal", "internal_error")
    export_data(store.services, client_of(slack), ALICE_HERE)
    (message,) = slack.calls("chat.postMessage")
    assert message.params["channel"] == ALICE
    assert message.params["text"] == notice(store.services.renderer, "export_failed")["text"]
    assert count(store, ExportFile) == 0


def test_an_export_whose_files_cannot_be_recorded_is_deleted_from_slack_at_once(
    store: Store, slack: FakeSlack
) -> None:
    with store.sessions.begin() as session:  # the fake's first file id is taken: recording fails
        session.execute(insert(ExportFile).values(file_id="F0000000001", team_id=OTHER_TEAM))
    export_data(store.services, client_of(slack), ALICE_HERE)
    deleted = sorted(call.params["file"] for call in slack.calls("files.delete"))
    assert deleted == ["F0000000001", "F0000000002"] and slack.uploads == {}
    (message,) = slack.calls("chat.postMessage")
    assert message.params["text"] == notice(store.services.renderer, "export_failed")["text"]
    assert count(store, ExportFile, team_id=TEAM) == 0


def exported(store: Store, slack: FakeSlack, actor: Actor = ALICE_HERE) -> str:
    """Export for the person; returns the value of the "Delete these files now" button."""
    before = len(slack.calls("chat.postMessage"))
    export_data(store.services, client_of(slack), actor)
    message = slack.calls("chat.postMessage")[before]
    return str(message.params["blocks"][-1]["elements"][0]["value"])


def outcome(store: Store, name: str) -> dict[str, Any]:
    return export_deleted_message(store.services.renderer, outcome=name)  # type: ignore[arg-type]


def test_delete_now_deletes_the_persons_files_of_that_export_from_slack(
    store: Store, slack: FakeSlack
) -> None:
    first, second = exported(store, slack), exported(store, slack)
    client = client_of(slack)
    assert delete_export_now(store.services, client, ALICE_HERE, export_value=first) == outcome(
        store, "deleted"
    )
    assert len(slack.uploads) == 2  # the other export's files stay
    assert count(store, ExportFile) == 2
    assert delete_export_now(store.services, client, ALICE_HERE, export_value=first) == outcome(
        store, "already"
    )
    assert delete_export_now(store.services, client, Actor(TEAM, BOB), export_value=second) == outcome(
        store, "already"
    )
    assert delete_export_now(store.services, client, ALICE_HERE, export_value="not-a-uuid") == outcome(
        store, "already"
    )
    assert len(slack.uploads) == 2


def test_files_slack_did_not_delete_yet_are_retried_by_housekeeping(store: Store, slack: FakeSlack) -> None:
    value = exported(store, slack)
    slack.fail("files.delete", "internal_error")  # one of the two
    client = client_of(slack)
    assert delete_export_now(store.services, client, ALICE_HERE, export_value=value) == outcome(
        store, "retrying"
    )
    with store.sessions.begin() as session:
        ((team_id, waiting),) = awaiting_deletion(session).items()
    assert team_id == TEAM and len(waiting) == 1 and list(slack.uploads) == waiting
    teams: list[str] = []

    def client_for(team: str) -> WebClient:
        teams.append(team)
        return client

    slack.fail("files.delete", status=0, times=2)  # the connection drops, and again on slack_sdk's retry
    assert retry_export_deletions(store.services, client_for) == (0, 1)
    assert retry_export_deletions(store.services, client_for) == (1, 0)
    assert teams == [TEAM, TEAM] and slack.uploads == {}
    assert count(store, ExportFile) == 0
    assert retry_export_deletions(store.services, client_for) == (0, 0)


def test_a_file_slack_no_longer_has_counts_as_deleted(store: Store, slack: FakeSlack) -> None:
    with store.sessions.begin() as session:
        record_export(
            session, team_id=TEAM, user_id=ALICE, export_id=uuid.uuid4(), file_ids=["F0GONE", "F0LOST"]
        )
        session.execute(text("UPDATE export_files SET user_id = NULL, export_id = NULL"))
    slack.fail("files.delete", "file_deleted")  # and the other answers file_not_found
    assert retry_export_deletions(store.services, lambda team: client_of(slack)) == (2, 0)
    assert count(store, ExportFile) == 0


def test_housekeeping_counts_the_files_left_in_every_workspace(store: Store, slack: FakeSlack) -> None:
    with store.sessions.begin() as session:
        for team_id in (TEAM, OTHER_TEAM):
            record_export(
                session, team_id=team_id, user_id=ALICE, export_id=uuid.uuid4(), file_ids=[f"F0{team_id}"]
            )
        session.execute(text("UPDATE export_files SET user_id = NULL, export_id = NULL"))
    slack.fail("files.delete", "internal_error", times=2)
    assert retry_export_deletions(store.services, lambda team: client_of(slack)) == (0, 2)
    slack.fail("files.delete", "file_not_found", times=2)
    assert retry_export_deletions(store.services, lambda team: client_of(slack)) == (2, 0)


def test_a_file_that_cannot_be_deleted_yet_does_not_hold_back_the_next(
    store: Store, slack: FakeSlack
) -> None:
    with store.sessions.begin() as session:
        record_export(
            session, team_id=TEAM, user_id=ALICE, export_id=uuid.uuid4(), file_ids=["F0A", "F0B", "F0C"]
        )
        session.execute(text("UPDATE export_files SET user_id = NULL, export_id = NULL"))
    slack.fail("files.delete", status=0, times=2)  # the first: the connection drops (and on the retry)
    slack.fail("files.delete", "internal_error")  # the second: Slack fails
    slack.fail("files.delete", "file_not_found")  # the third: gone already
    assert retry_export_deletions(store.services, lambda team: client_of(slack)) == (1, 2)
    with store.sessions.begin() as session:
        assert sorted(awaiting_deletion(session)[TEAM]) == ["F0A", "F0B"]


# Forget-me, through the flow


def test_forget_me_asks_for_the_words_before_anything_is_forgotten(store: Store) -> None:
    reflect(store)
    assert forget_me_page(store.services)["callback_id"]
    for typed in (None, "", "forget", "forget me please"):
        response, leftovers = forget_person(store.services, ALICE_HERE, typed=typed)
        assert response.response_action == "errors"
        assert response.errors == {"confirm": f'Please type "{CONFIRMATION}" to confirm.'}
        assert leftovers == Leftovers()
    assert count(store, Reflection) == 1 and count(store, DataKey) == 1


def test_forget_me_shreds_forgets_and_leaves_one_anonymous_line(store: Store, slack: FakeSlack) -> None:
    reflect(store)
    reflect(store, user_id=BOB)
    give(store, to=ALICE, posted_in=("C0SHOUT", "1.000001"))
    value = exported(store, slack)
    response, leftovers = forget_person(store.services, ALICE_HERE, typed="  Forget ME ")
    assert response.response_action == "update" and response.view is not None
    assert response.view["callback_id"] == "forgotten"
    assert leftovers.messages == [SlackMessage("C0SHOUT", "1.000001")]
    assert sorted(leftovers.export_files) == sorted(slack.uploads)
    assert count(store, DataKey, user_id=ALICE) == count(store, Reflection, user_id=ALICE) == 0
    assert count(store, DataKey, user_id=BOB) == 1
    assert count(store, ExportFile, user_id=ALICE) == 0
    with store.sessions.begin() as session:
        (line,) = session.scalars(select(AuditEntry)).all()
        assert (line.team_id, line.actor_id, line.action, line.subject) == (
            TEAM,
            FORGOTTEN,
            "person_forgotten",
            None,
        )
        assert line.at.replace(tzinfo=UTC) == store.now
    assert delete_export_now(store.services, client_of(slack), ALICE_HERE, export_value=value) == outcome(
        store, "already"
    )


def test_forget_me_deletes_the_persons_reactions_not_yet_counted(store: Store) -> None:
    with store.sessions.begin() as session:
        program = TeamProgram(
            team_id=TEAM,
            name="Calm",
            audience_kind="channel",
            audience_id="C0TEAM",
            weekday=0,
            local_time=time(9),
            start_date=date(2027, 3, 1),
            themes="rest",
            created_at=WRITTEN,
        )
        session.add(program)
        session.flush()
        for user_id in (ALICE, BOB):
            for kind in KINDS:
                record_reaction(
                    session, SECRET, kind=kind, program_id=program.id, user_id=user_id, week=date(2027, 3, 8)
                )
        program_id = program.id
    forget_person(store.services, ALICE_HERE, typed=CONFIRMATION)
    with store.sessions.begin() as session:
        left = reactions_among(
            session, SECRET, program_id=program_id, week=date(2027, 3, 8), user_ids=[ALICE, BOB]
        )
    assert left == {kind: 1 for kind in KINDS}  # Bob's


def test_after_forget_me_slack_loses_the_messages_and_files_about_the_person(
    store: Store, slack: FakeSlack
) -> None:
    client = client_of(slack)
    exported(store, slack)
    posted = client.chat_postMessage(channel="C0SHOUT", text="a shout-out")
    in_dm = client.chat_postMessage(channel=slack.dm_channel_for(ALICE), text="you received one")
    give(store, to=ALICE, posted_in=("C0SHOUT", posted["ts"]), dm=(slack.dm_channel_for(ALICE), in_dm["ts"]))
    give(store, to=ALICE, posted_in=("C0SHOUT", posted["ts"]))  # the same message twice: deleted once
    _, leftovers = forget_person(store.services, ALICE_HERE, typed=CONFIRMATION)
    clean_up_slack(store.services, client, ALICE_HERE, leftovers)
    deleted = [(call.params["channel"], call.params["ts"]) for call in slack.calls("chat.delete")]
    assert sorted(deleted) == sorted([("C0SHOUT", posted["ts"]), (slack.dm_channel_for(ALICE), in_dm["ts"])])
    assert slack.uploads == {}
    (home,) = slack.calls("views.publish")
    assert home.params["user_id"] == ALICE


def test_export_files_slack_keeps_after_forget_me_wait_for_housekeeping(
    store: Store, slack: FakeSlack
) -> None:
    exported(store, slack)
    _, leftovers = forget_person(store.services, ALICE_HERE, typed=CONFIRMATION)
    slack.fail("files.delete", "internal_error", times=2)
    clean_up_slack(store.services, client_of(slack), ALICE_HERE, leftovers)
    with store.sessions.begin() as session:
        assert sorted(awaiting_deletion(session)[TEAM]) == sorted(slack.uploads)
    assert len(slack.uploads) == 2
