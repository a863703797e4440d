"""Character shout-outs: compose, check, keep without a sender, post, and remove.

An anonymous sender exists only in the verified request while it is handled: it is never stored,
logged, put in message metadata or passed to Slack.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from slackapp.actor import Actor
from slackapp.flows.responses import ViewResponse
from slackapp.practices.blocked_words import blocked_words
from slackapp.practices.shoutouts import DAILY_QUOTA, MAX_NOTE, Refusal, check_note
from slackapp.practices.strengths import Strength, find_strength, workspace_strengths
from slackapp.rendering.shoutouts import (
    Destination,
    ShoutoutItem,
    shoutout_dm,
    shoutout_post,
    shoutout_sent_view,
    shoutout_view,
)
from slackapp.scheduling.reminders import local_today
from slackapp.services import Services
from slackapp.store.members import ensure_member_of, get_member
from slackapp.store.models import Shoutout, Workspace
from slackapp.store.shoutouts import POSTED, PRIVATE, WAITING, add_shoutout, get_shoutout, read_note
from slackapp.store.workspaces import get_workspace

log = logging.getLogger(__name__)

NOT_A_PERSON = frozenset({"USLACKBOT"})


@dataclass(frozen=True)
class ShoutoutDraft:
    recipient: str | None
    strength: str | None
    note: str
    signed: bool


def destination_of(workspace: Workspace | None) -> Destination:
    if workspace is None or not workspace.shoutout_channel:
        return Destination("private")
    if workspace.shoutout_mode == "digest":
        return Destination("digest", workspace.shoutout_channel, workspace.digest_weekday)
    return Destination("immediate", workspace.shoutout_channel)


def strength_of(key: str, workspace: Workspace | None) -> Strength:
    found = find_strength(key, workspace.extra_strengths if workspace else "")
    return found or Strength(key, key.removeprefix("custom:").replace("-", " ").capitalize())


def shoutout_page(services: Services, actor: Actor, *, recipient: str | None = None) -> dict[str, Any]:
    with services.sessions.begin() as session:
        workspace = get_workspace(session, team_id=actor.team_id)
        strengths = workspace_strengths(workspace.extra_strengths if workspace else "")
        destination = destination_of(workspace)
    return shoutout_view(services.renderer, strengths=strengths, destination=destination, recipient=recipient)


def _error(services: Services, refusal: Refusal | str, **context: Any) -> str:
    problem = refusal.value if isinstance(refusal, Refusal) else refusal
    return services.renderer.text("text/shoutout_error.txt.j2", problem=problem, **context)


@dataclass(frozen=True)
class RecipientCheck:
    """Whether a shout-out can be addressed to someone, and where their day is."""

    refusal: Refusal | None = None
    tz: str = "UTC"
    receives: bool = True


def _check_recipient(
    services: Services, client: WebClient, actor: Actor, recipient: str | None
) -> RecipientCheck:
    if not recipient:
        return RecipientCheck(Refusal.NO_RECIPIENT)
    if recipient == actor.user_id:
        return RecipientCheck(Refusal.SELF)
    if recipient in NOT_A_PERSON:
        return RecipientCheck(Refusal.BOT)
    try:
        user = client.users_info(user=recipient).get("user") or {}
    except SlackApiError:
        return RecipientCheck(Refusal.NO_RECIPIENT)
    if user.get("is_bot") or user.get("is_app_user") or user.get("deleted"):
        return RecipientCheck(Refusal.BOT)
    with services.sessions.begin() as session:
        member = get_member(session, team_id=actor.team_id, user_id=recipient)
        if member is None:
            return RecipientCheck(tz=str(user.get("tz") or "UTC"))
        return RecipientCheck(tz=member.tz, receives=member.receives_shoutouts)


def _refused(services: Services, field: str, refusal: Refusal, **context: Any) -> tuple[ViewResponse, None]:
    return ViewResponse("errors", errors={field: _error(services, refusal, **context)}), None


def submit_shoutout(
    services: Services, client: WebClient, actor: Actor, draft: ShoutoutDraft
) -> tuple[ViewResponse, str | None]:
    """Check and keep a shout-out; returns the modal's answer and, when kept, the new shout-out's id.

    A recipient who opted out gets nothing, and the sender the very answer a kept shout-out gets (its
    quota taken too), so that nobody learns who opted out by trying.
    """
    recipient = _check_recipient(services, client, actor, draft.recipient)
    if recipient.refusal is not None:
        return _refused(services, "recipient", recipient.refusal)
    assert draft.recipient is not None
    now = services.clock()
    try:
        with services.sessions.begin() as session:
            workspace = get_workspace(session, team_id=actor.team_id)
            extra = workspace.extra_strengths if workspace else ""
            if draft.strength is None or find_strength(draft.strength, extra) is None:
                return _refused(services, "strength", Refusal.NO_STRENGTH)
            note_check = check_note(
                draft.note, blocked=blocked_words(workspace.blocked_words if workspace else "")
            )
            if note_check.refusal is not None:
                return _refused(services, "note", note_check.refusal, limit=MAX_NOTE, word=note_check.word)
            # Counted in memory only, per UTC day: a counter in the database would sit next to the note,
            # and even reading the sender's time zone would put their id in the statements of this request.
            if not services.quota.take_one(team_id=actor.team_id, user_id=actor.user_id, limit=DAILY_QUOTA):
                return _refused(services, "note", Refusal.QUOTA, limit=DAILY_QUOTA)
            destination = destination_of(workspace)
            shoutout_id = None
            if recipient.receives:
                shoutout = add_shoutout(
                    session,
                    services.vault,
                    team_id=actor.team_id,
                    recipient_id=draft.recipient,
                    strength=draft.strength,
                    note=draft.note,
                    signed_by=actor.user_id if draft.signed else None,
                    status={"private": PRIVATE, "digest": WAITING}.get(destination.mode, POSTED),
                    received_on=received_on(workspace, destination, tz=recipient.tz, now=now),
                )
                shoutout_id = str(shoutout.id)
    except SQLAlchemyError:
        log.exception("a shout-out could not be kept")
        return ViewResponse("errors", errors={"note": _error(services, "save_failed")}), None
    view = shoutout_sent_view(services.renderer, destination=destination, recipient=draft.recipient)
    return ViewResponse("update", view=view), shoutout_id


def received_on(workspace: Workspace | None, destination: Destination, *, tz: str, now: datetime) -> date:
    """The day the recipient receives it, in their own zone: never a day of the sender's.

    A digest's shout-outs all carry the digest's day until it is posted, so the week's notes cannot be
    told apart by the day they were written.
    """
    if destination.mode == "digest" and workspace is not None and workspace.next_digest_at is not None:
        return local_today(tz, workspace.next_digest_at)
    return local_today(tz, now)


def item_of(
    session: Session, services: Services, shoutout: Shoutout, workspace: Workspace | None
) -> ShoutoutItem:
    return ShoutoutItem(
        strength=strength_of(shoutout.strength, workspace),
        recipient=shoutout.recipient_id,
        note=read_note(session, services.vault, shoutout),
        signed_by=shoutout.signed_by,
    )


def deliver_shoutout(
    services: Services, client: WebClient, actor: Actor, shoutout_id: str, *, view_id: str | None
) -> None:
    """After the ack: post it (at once) and tell the recipient; a digest waits for its day.

    If the channel post fails the sender is told in the modal they are looking at (`view_id`), never by
    a message: a message to them at the moment the recipient gets theirs would pair the two.
    """
    with services.sessions.begin() as session:
        shoutout = get_shoutout(session, team_id=actor.team_id, shoutout_id=shoutout_id)
        if shoutout is None or shoutout.status == WAITING:
            return
        workspace = get_workspace(session, team_id=actor.team_id)
        item = item_of(session, services, shoutout, workspace)
        channel = workspace.shoutout_channel if workspace and shoutout.status == POSTED else None
    post = post_to_channel(client, channel, shoutout_post(services.renderer, item=item)) if channel else None
    posted = post.where if post else None
    if channel:
        _record(services, actor, shoutout_id, posted=posted)
    if channel and post and posted is None and view_id:
        _tell_sender_it_went_privately(
            services, client, view_id, channel=channel, recipient=item.recipient, problem=post.problem
        )
    where = channel if posted else None
    dm = client.chat_postMessage(
        channel=item.recipient,
        **shoutout_dm(services.renderer, item=item, shoutout_id=shoutout_id, where=where),
    )
    with services.sessions.begin() as session:
        shoutout = get_shoutout(session, team_id=actor.team_id, shoutout_id=shoutout_id)
        if shoutout is not None:
            shoutout.dm_channel, shoutout.dm_ts = str(dm.get("channel")), str(dm.get("ts"))


def _tell_sender_it_went_privately(
    services: Services, client: WebClient, view_id: str, *, channel: str, recipient: str, problem: str | None
) -> None:
    destination = Destination("immediate", channel)
    view = shoutout_sent_view(
        services.renderer, destination=destination, recipient=recipient, posted=False, problem=problem
    )
    try:
        client.views_update(view_id=view_id, view=view)
    except SlackApiError as error:  # they closed the modal: the recipient still has it privately
        log.info("could not tell a sender their shout-out went privately: %s", error.response.get("error"))


def _record(services: Services, actor: Actor, shoutout_id: str, *, posted: tuple[str, str] | None) -> None:
    """Keep where it was posted (for removal), or that it could only go privately."""
    with services.sessions.begin() as session:
        shoutout = get_shoutout(session, team_id=actor.team_id, shoutout_id=shoutout_id)
        if shoutout is None:
            return
        if posted is None:
            shoutout.status = PRIVATE
        else:
            shoutout.channel, shoutout.ts = posted


@dataclass(frozen=True)
class ChannelPost:
    """Where a post landed (channel, ts); else None, with Slack's error code (None: Slack did not answer)."""

    where: tuple[str, str] | None
    problem: str | None = None


def post_to_channel(client: WebClient, channel: str, message: dict[str, Any]) -> ChannelPost:
    """Post, joining a public channel first if Kindly is not in it."""
    for attempt in range(2):
        try:
            response = client.chat_postMessage(channel=channel, **message)
            return ChannelPost((str(response.get("channel", channel)), str(response.get("ts"))))
        except OSError as error:  # no answer: Slack may have posted it, so it is never posted again
            log.warning("posting to the shout-out channel got no answer (%s)", type(error).__name__)
            return ChannelPost(None)
        except SlackApiError as error:
            code = str(error.response.get("error"))
            if code != "not_in_channel" or attempt:
                log.warning("posting to the shout-out channel failed: %s", code)
                return ChannelPost(None, code)
            try:
                client.conversations_join(channel=channel)
            except SlackApiError as join_error:
                log.warning("cannot join the shout-out channel: %s", join_error.response.get("error"))
                return ChannelPost(None, str(join_error.response.get("error")))
    return ChannelPost(None)


def toggle_receiving(services: Services, actor: Actor) -> bool:
    """Opt out of (or back into) receiving shout-outs; returns whether the person now receives them."""
    with services.sessions.begin() as session:
        member = ensure_member_of(session, actor, now=services.clock())
        member.receives_shoutouts = not member.receives_shoutouts
        return member.receives_shoutouts
