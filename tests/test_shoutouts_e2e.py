"""Character shout-outs end to end: anonymous by construction, inert text, moderation, digest."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from slackapp.store.audit import audit_entries
from slackapp.store.models import Shoutout
from tests.conftest import TRANSPORTS, Kindly
from tests.support.adversarial import modal
from tests.support.blockkit import assert_no_mentions
from tests.support.database import raw_database_bytes
from tests.support.journeys import view_after
from tests.support.shoutouts import (
    ALICE,
    BOB,
    CHANNEL,
    HANNA,
    HOSTILE,
    choose_channel,
    open_shoutout,
    posts_to,
    send,
)
from tests.support.slack_requests import Person
from tests.support.views import all_text, button, fill


@pytest.fixture
def team(kindly: Kindly) -> Kindly:
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    kindly.fake.set_user(BOB.user_id, tz="Europe/Berlin")
    kindly.fake.set_user(HANNA.user_id, tz="Europe/Berlin", is_admin=True)
    kindly.fake.set_user("U0ROBOT", is_bot=True)
    return kindly


def shoutouts(kindly: Kindly) -> int:
    with kindly.runtime.services.sessions.begin() as session:
        return session.scalar(select(func.count()).select_from(Shoutout)) or 0


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_without_a_channel_it_goes_to_the_recipient_privately_and_the_sender_is_told(team: Kindly) -> None:
    reply = send(team)
    assert reply["response_action"] == "update"
    assert "privately" in all_text(reply["view"])
    (dm,) = team.fake.wait_for("chat.postMessage")
    assert dm.params["channel"] == BOB.user_id
    assert "Someone noticed your kindness." in all_text(dm.params)


def test_an_anonymous_shoutout_leaves_no_trace_of_its_sender(
    team: Kindly, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        assert choose_channel(team)["response_action"] == "clear"
        send(team, note="quietly brilliant")
        team.fake.wait_for("chat.postMessage", count=3)  # welcome, channel post, recipient's DM
        team.settle()
    (post,) = [p for p in posts_to(team, CHANNEL) if "quietly brilliant" in all_text(p)]
    assert ALICE.user_id not in all_text(post) and "alice" not in all_text(post).lower()
    assert "metadata" not in post
    assert ALICE.user_id.encode() not in raw_database_bytes(team.runtime.engine)
    assert ALICE.user_id not in caplog.text
    assert b"quietly brilliant" not in raw_database_bytes(team.runtime.engine)


def test_a_signed_shoutout_shows_its_sender(team: Kindly) -> None:
    choose_channel(team)
    send(team, signed=True)
    team.fake.wait_for("chat.postMessage", count=3)
    (post,) = [p for p in posts_to(team, CHANNEL) if "Kindness" in all_text(p)]
    assert f"<@{ALICE.user_id}>" in all_text(post)


def test_a_hostile_note_is_posted_as_harmless_text(team: Kindly) -> None:
    choose_channel(team)
    send(team, note=HOSTILE)
    team.fake.wait_for("chat.postMessage", count=3)
    (post,) = [p for p in posts_to(team, CHANNEL) if "Kindness" in all_text(p)]
    assert_no_mentions(post, allowed_mentions={BOB.user_id})
    assert "&lt;!channel&gt;" in all_text(post)
    dm = posts_to(team, BOB.user_id)[0]
    assert_no_mentions(dm, allowed_mentions={BOB.user_id})


def test_a_note_is_posted_verbatim_so_slack_links_nothing_in_it(team: Kindly) -> None:
    choose_channel(team)
    send(team, note="see www.example.com or https://x.example, @here #general")
    team.fake.wait_for("chat.postMessage", count=3)
    (post,) = [p for p in posts_to(team, CHANNEL) if "Kindness" in all_text(p)]
    (note,) = [b["text"] for b in post["blocks"] if "www.example.com" in b.get("text", {}).get("text", "")]
    assert note["type"] == "mrkdwn" and note["verbatim"] is True
    for message in (post, posts_to(team, BOB.user_id)[0]):
        assert message["unfurl_links"] is False and message["unfurl_media"] is False


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"to": ALICE.user_id}, "recipient", "someone else"),
        ({"to": "U0ROBOT"}, "recipient", "choose a person"),
        ({"to": "USLACKBOT"}, "recipient", "choose a person"),
        ({"note": "x" * 281}, "note", "280 characters"),
        ({"strength": "custom:made-up"}, "strength", "from the list"),
    ],
)
def test_refusals_come_as_field_errors_and_store_nothing(
    team: Kindly, changes: dict[str, str], field: str, says: str
) -> None:
    reply = send(team, **changes)  # type: ignore[arg-type]
    assert reply["response_action"] == "errors"
    assert says in reply["errors"][field]
    assert shoutouts(team) == 0


def test_blocked_words_get_a_kind_field_error(team: Kindly) -> None:
    choose_channel(team, blocked="rockstar\nninja")
    reply = send(team, note="A true Rockstar!")
    assert reply["response_action"] == "errors"
    assert '"rockstar"' in reply["errors"]["note"]
    assert send(team, note="Rock steady")["response_action"] == "update"


def test_a_disguised_blocked_word_gets_the_same_field_error(team: Kindly) -> None:
    choose_channel(team, blocked="rockstar")
    disguised = send(
        team, note="A true R\u200b0ck$tаr!"
    )  # a zero-width space, a zero, a dollar, a Cyrillic a
    assert disguised["response_action"] == "errors"
    assert '"rockstar"' in disguised["errors"]["note"]
    assert shoutouts(team) == 0


def test_a_daily_quota_without_storing_who_sent_what(team: Kindly) -> None:
    for _ in range(5):
        assert send(team)["response_action"] == "update"
    over = send(team)
    assert over["response_action"] == "errors" and "5 shout-outs today" in over["errors"]["note"]
    assert send(team, who=HANNA)["response_action"] == "update"  # others are not affected
    assert ALICE.user_id.encode() not in raw_database_bytes(team.runtime.engine)


def test_the_recipient_can_remove_a_shoutout_about_them(team: Kindly) -> None:
    choose_channel(team)
    send(team)
    team.fake.wait_for("chat.postMessage", count=3)
    dm = posts_to(team, BOB.user_id)[0]
    remove = button(dm, "shoutout_remove")
    message = {"type": "message", "ts": "9.9", "blocks": dm["blocks"]}
    # Alice (the sender) cannot remove it, even with the button's value.
    team.slack.message_action("shoutout_remove", message=message, who=ALICE, value=remove["value"])
    (refused,) = team.fake.wait_for("response_url")
    assert "already been removed" in all_text(refused.params)
    assert shoutouts(team) == 1
    team.slack.message_action("shoutout_remove", message=message, who=BOB, value=remove["value"])
    removed = team.fake.wait_for("response_url", count=2)[1]
    assert "Removed" in all_text(removed.params)
    (deleted,) = team.fake.wait_for("chat.delete")
    assert deleted.params["channel"] == CHANNEL
    assert shoutouts(team) == 0


def posted_message(team: Kindly) -> dict[str, Any]:
    team.fake.wait_for("chat.postMessage", count=3)
    post = next(
        c
        for c in team.fake.calls("chat.postMessage")
        if c.params["channel"] == CHANNEL and c.ok and "Kindness" in all_text(c.params)
    )
    with team.runtime.services.sessions.begin() as session:
        ts = session.scalars(select(Shoutout.ts)).one()
    return {"type": "message", "ts": ts, "bot_id": "B0BOT0001", "blocks": post.params["blocks"]}


def hr_removal_modal(team: Kindly, message: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Hanna (an HR lead) opens "Remove shout-out" on the post: the modal, and its one choice."""
    modal = view_after(
        team, "views.open", lambda: team.slack.message_shortcut("remove_shoutout", message=message, who=HANNA)
    )
    (choice,) = [
        o["value"]
        for b in modal["blocks"]
        if b.get("block_id") == "shoutout"
        for o in b["element"]["options"]
    ]
    return modal, choice


def test_an_hr_lead_can_remove_any_shoutout_and_it_is_audited_without_content(team: Kindly) -> None:
    choose_channel(team)
    send(team, note="secret-ish words")
    message = posted_message(team)
    modal, choice = hr_removal_modal(team, message)
    reply = team.slack.view_submission(fill(modal, {"shoutout": choice}), who=HANNA).json()
    assert reply["response_action"] == "clear"
    assert team.fake.wait_for("chat.delete")[0].params["ts"] == message["ts"]
    assert shoutouts(team) == 0
    with team.runtime.services.sessions.begin() as session:
        entries = [(e.actor_id, e.action) for e in audit_entries(session, team_id=ALICE.team_id)]
    assert (HANNA.user_id, "shoutout_removed_by_hr") in entries
    assert b"secret-ish" not in raw_database_bytes(team.runtime.engine)


def test_a_non_hr_member_is_refused_removal_even_with_a_crafted_payload(team: Kindly) -> None:
    choose_channel(team)
    send(team)
    message = posted_message(team)
    team.slack.message_shortcut("remove_shoutout", message=message, who=ALICE)
    (refusal,) = team.fake.wait_for("response_url")
    assert "only an HR lead" in all_text(refusal.params)
    modal, choice = hr_removal_modal(team, message)
    crafted = team.slack.view_submission(fill(modal, {"shoutout": choice}), who=ALICE).json()
    assert crafted["response_action"] == "errors"
    assert shoutouts(team) == 1


def test_an_hr_lead_cannot_remove_a_private_shoutout_with_a_crafted_submission(team: Kindly) -> None:
    assert send(team)["response_action"] == "update"  # no channel: it went to Bob privately
    with team.runtime.services.sessions.begin() as session:
        private_id = str(session.scalars(select(Shoutout.id)).one())
    choice = {"choice": {"type": "static_select", "selected_option": {"value": private_id}}}
    crafted = modal("remove_shoutout", {"shoutout": choice}, metadata="{}")
    reply = team.slack.view_submission(crafted, who=HANNA).json()
    assert reply["response_action"] == "errors"
    assert shoutouts(team) == 1


def test_remove_is_refused_on_messages_that_are_not_kindly_shoutouts(team: Kindly) -> None:
    team.slack.message_shortcut(
        "remove_shoutout", message={"type": "message", "ts": "5.5", "user": BOB.user_id}, who=HANNA
    )
    (answer,) = team.fake.wait_for("response_url")
    assert "isn't a Kindly shout-out" in all_text(answer.params)


def test_the_weekly_digest_posts_one_message_at_its_time_with_no_times(team: Kindly) -> None:
    team.clock.set(datetime(2027, 1, 4, 10, tzinfo=UTC))  # a Monday
    choose_channel(team, mode="digest", day="4")  # Fridays at 15:00 Berlin
    for strength in ("kindness", "courage", "patience"):
        assert send(team, strength=strength)["response_action"] == "update"
    team.settle()
    assert posts_to(team, BOB.user_id) == []  # nothing reaches anyone before the digest
    friday = datetime(2027, 1, 8, 14, tzinfo=UTC)
    assert team.dispatch(friday.replace(hour=13)).digests == 0
    assert team.dispatch(friday).digests == 1
    assert team.dispatch(friday).digests == 0
    (digest,) = [p for p in posts_to(team, CHANNEL) if "This week's character shout-outs" in all_text(p)]
    sections = [b for b in digest["blocks"] if b["type"] == "section"]
    assert len(sections) == 3
    assert "<!date" not in all_text(digest)
    assert len(posts_to(team, BOB.user_id)) == 3


def test_a_forget_me_by_one_recipient_takes_only_their_items_out_of_a_digest(team: Kindly) -> None:
    erin = Person("U0ERIN", "T0001", "erin")
    team.fake.set_user(erin.user_id, tz="Europe/Berlin")
    team.clock.set(datetime(2027, 1, 4, 10, tzinfo=UTC))
    choose_channel(team, mode="digest", day="4")
    for recipient, note in ((BOB, "bob one"), (erin, "erin's"), (BOB, "bob two")):
        assert send(team, to=recipient.user_id, note=note)["response_action"] == "update"
    assert team.dispatch(datetime(2027, 1, 8, 14, tzinfo=UTC)).digests == 1
    (digest,) = [c for c in team.fake.calls("chat.postMessage") if c.params["channel"] == CHANNEL and c.ok][
        1:
    ]
    forget = view_after(team, "views.open", lambda: team.slack.command("forget-me", who=BOB))
    assert team.slack.view_submission(fill(forget, {"confirm": "forget me"}), who=BOB).json()["view"]
    (update,) = team.fake.wait_for("chat.update")
    assert digest.answer is not None and update.params["ts"] == digest.answer["ts"]
    assert "erin's" in all_text(update.params) and "bob" not in all_text(update.params)
    deleted = {c.params["ts"] for c in team.fake.wait_for("chat.delete", count=2)}  # Bob's two DMs
    assert digest.answer["ts"] not in deleted


def test_a_private_channel_without_kindly_gets_a_plain_field_error(team: Kindly) -> None:
    team.fake.fail("conversations.join", "method_not_supported_for_channel_type")
    team.fake.fail("chat.postMessage", "not_in_channel")
    reply = choose_channel(team)
    assert reply["response_action"] == "errors"
    assert "/invite @Kindly" in reply["errors"]["channel"]


def test_kindly_joins_a_public_channel_it_was_removed_from(team: Kindly) -> None:
    choose_channel(team)
    team.fake.fail("chat.postMessage", "not_in_channel")
    send(team)
    team.fake.wait_for("chat.postMessage", count=4)  # welcome, refused, retried, the DM
    assert len(team.fake.calls("conversations.join")) == 2
    assert [p for p in posts_to(team, CHANNEL) if "Kindness" in all_text(p)]


def test_the_team_settings_are_for_hr_leads_only(team: Kindly) -> None:
    team.slack.command("team", who=ALICE)
    (refusal,) = team.fake.wait_for("response_url")
    assert "only an HR lead" in all_text(refusal.params)
    assert team.fake.calls("views.open") == []


def test_the_message_shortcut_prefills_the_author(team: Kindly) -> None:
    message = {"type": "message", "ts": "3.3", "user": BOB.user_id, "text": "I covered the on-call"}
    view = view_after(
        team, "views.open", lambda: team.slack.message_shortcut("send_shoutout", message=message)
    )
    recipient = next(b for b in view["blocks"] if b.get("block_id") == "recipient")
    assert recipient["element"]["initial_user"] == BOB.user_id


def test_shoutout_with_a_mention_in_the_command_prefills_it(team: Kindly) -> None:
    view = open_shoutout(team, text=f"shoutout <@{BOB.user_id}|bob>")
    recipient = next(b for b in view["blocks"] if b.get("block_id") == "recipient")
    assert recipient["element"]["initial_user"] == BOB.user_id
