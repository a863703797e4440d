"""Shout-out modals, posts, digests and the recipient's message."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slackapp.practices.shoutouts import MAX_NOTE
from slackapp.practices.strengths import Strength
from slackapp.rendering.environment import Renderer


@dataclass(frozen=True)
class Destination:
    """Where a shout-out goes: `private` (DM only), `immediate` or `digest` in `channel`."""

    mode: str
    channel: str | None = None
    digest_weekday: int = 4  # Monday = 0; its name is copy, in the templates


@dataclass(frozen=True)
class ShoutoutItem:
    strength: Strength
    recipient: str
    note: str
    signed_by: str | None


@dataclass(frozen=True)
class RemovalChoice:
    id: str
    label: str
    strength_name: str
    recipient: str


@dataclass(frozen=True)
class SettingsForm:
    channel: str | None
    mode: str
    digest_weekday: int
    digest_time: Any
    digest_tz: str
    blocked_words: str
    extra_strengths: str


def shoutout_view(
    renderer: Renderer, *, strengths: Sequence[Strength], destination: Destination, recipient: str | None
) -> dict[str, Any]:
    return renderer.view(
        "modals/shoutout.json.j2",
        strengths=strengths,
        destination=destination,
        recipient=recipient,
        max_note=MAX_NOTE,
    )


def shoutout_sent_view(
    renderer: Renderer,
    *,
    destination: Destination,
    recipient: str,
    posted: bool = True,
    problem: str | None = None,
) -> dict[str, Any]:
    """The sender's confirmation; `posted=False` once a channel post failed and it went privately, with
    Slack's error code as `problem` (said in plain words; None when Slack did not answer)."""
    return renderer.view(
        "modals/shoutout_sent.json.j2",
        destination=destination,
        recipient=recipient,
        posted=posted,
        problem=problem,
    )


# A note's words are shown, never followed: no link preview fetched for a URL someone typed.
NO_PREVIEWS = {"unfurl_links": False, "unfurl_media": False}


def shoutout_post(renderer: Renderer, *, item: ShoutoutItem) -> dict[str, Any]:
    return {**renderer.message("messages/shoutout_post.json.j2", item=item), **NO_PREVIEWS}


def shoutout_digest(renderer: Renderer, *, items: Sequence[ShoutoutItem]) -> dict[str, Any]:
    return {**renderer.message("messages/shoutout_digest.json.j2", items=items), **NO_PREVIEWS}


def shoutout_dm(
    renderer: Renderer, *, item: ShoutoutItem, shoutout_id: str, where: str | None
) -> dict[str, Any]:
    message = renderer.message(
        "messages/shoutout_dm.json.j2", item=item, shoutout_id=shoutout_id, where=where
    )
    return {**message, **NO_PREVIEWS}


def notice(renderer: Renderer, kind: str) -> dict[str, Any]:
    """A short reply of one of the kinds in templates/messages/notices.j2."""
    return renderer.message("messages/notice.json.j2", kind=kind)


def settings_view(renderer: Renderer, *, settings: SettingsForm) -> dict[str, Any]:
    return renderer.view("modals/shoutout_settings.json.j2", settings=settings)


def removal_view(
    renderer: Renderer, *, items: Sequence[RemovalChoice], channel: str, ts: str
) -> dict[str, Any]:
    metadata = json.dumps({"channel": channel, "ts": ts})
    return renderer.view("modals/remove_shoutout.json.j2", items=items, metadata=metadata)


def notice_view(renderer: Renderer, kind: str) -> dict[str, Any]:
    return renderer.view("modals/notice.json.j2", message=notice(renderer, kind))
