"""Shout-out views and messages render as valid Block Kit, with user text inert."""

from __future__ import annotations

import copy
import re
from datetime import time
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, UndefinedError

import slackapp
from slackapp.practices.strengths import CATALOGUE, workspace_strengths
from slackapp.rendering import Renderer
from slackapp.rendering.environment import templates_root
from slackapp.rendering.limits import validate_message, validate_view
from slackapp.rendering.shoutouts import (
    Destination,
    RemovalChoice,
    SettingsForm,
    ShoutoutItem,
    notice,
    notice_view,
    removal_view,
    settings_view,
    shoutout_digest,
    shoutout_dm,
    shoutout_post,
    shoutout_sent_view,
    shoutout_view,
)
from tests.support.blockkit import assert_no_mentions, mrkdwn_texts
from tests.support.views import all_text

SHOUTOUT_TEMPLATES = {
    "modals/shoutout.json.j2",
    "modals/shoutout_sent.json.j2",
    "modals/shoutout_settings.json.j2",
    "modals/remove_shoutout.json.j2",
    "modals/notice.json.j2",
    "messages/shoutout_post.json.j2",
    "messages/shoutout_digest.json.j2",
    "messages/shoutout_dm.json.j2",
    "messages/notice.json.j2",
}
DESTINATIONS = [
    Destination("private"),
    Destination("immediate", "C0SHOUTS"),
    Destination("digest", "C0SHOUTS", 4),
]
HOSTILE = "<!channel> <!here> <@U999> <https://x.example|y> & <#C1>"


def item(note: str = "You stayed calm", signed_by: str | None = None) -> ShoutoutItem:
    return ShoutoutItem(strength=CATALOGUE[0], recipient="U0BOB", note=note, signed_by=signed_by)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.mark.parametrize("destination", DESTINATIONS)
def test_the_shoutout_modal_and_its_confirmation_render_for_every_destination(
    renderer: Renderer, destination: Destination
) -> None:
    view = shoutout_view(renderer, strengths=CATALOGUE, destination=destination, recipient="U0BOB")
    validate_view(copy.deepcopy(view))
    recipient = next(b for b in view["blocks"] if b.get("block_id") == "recipient")
    assert recipient["element"]["initial_user"] == "U0BOB"
    note = next(b for b in view["blocks"] if b.get("block_id") == "note")
    assert note["element"]["max_length"] == 280
    signed = next(b for b in view["blocks"] if b.get("block_id") == "signed")
    assert signed["element"]["initial_option"]["value"] == "anonymous"
    validate_view(shoutout_sent_view(renderer, destination=destination, recipient="U0BOB"))


def test_the_strength_list_holds_the_catalogue_and_the_workspaces_own(renderer: Renderer) -> None:
    strengths = workspace_strengths("Craftsmanship\nkindness\n\n  Calm   under pressure ")
    names = [s.name for s in strengths]
    assert names[:12] == [s.name for s in CATALOGUE] and names[12:] == [
        "Craftsmanship",
        "Calm under pressure",
    ]
    view = shoutout_view(renderer, strengths=strengths, destination=DESTINATIONS[0], recipient=None)
    validate_view(view)


@pytest.mark.parametrize("signed_by", [None, "U0ALICE"])
def test_a_post_names_the_sender_only_when_signed_and_keeps_hostile_notes_inert(
    renderer: Renderer, signed_by: str | None
) -> None:
    post = shoutout_post(renderer, item=item(HOSTILE, signed_by))
    validate_message(copy.deepcopy(post))
    assert_no_mentions(post, allowed_mentions={"U0BOB", *([signed_by] if signed_by else [])})
    text = all_text(post)
    assert ("U0ALICE" in text) is (signed_by is not None)
    assert "from a teammate" in text or signed_by


def test_a_digest_lists_shoutouts_without_times(renderer: Renderer) -> None:
    digest = shoutout_digest(renderer, items=[item(f"note {n}") for n in range(40)])
    validate_message(copy.deepcopy(digest))
    assert "<!date" not in all_text(digest)
    assert len(digest["blocks"]) <= 50


def test_the_recipients_message_offers_removal(renderer: Renderer) -> None:
    dm = shoutout_dm(renderer, item=item(HOSTILE), shoutout_id="abc", where="C0SHOUTS")
    validate_message(copy.deepcopy(dm))
    assert any(b.get("block_id") == "shoutout_actions" for b in dm["blocks"])
    assert "Someone noticed your kindness." in mrkdwn_texts(dm)[0]


def test_settings_and_removal_modals_render(renderer: Renderer) -> None:
    form = SettingsForm("C0SHOUTS", "digest", 4, time(15), "Europe/Berlin", "darn\nheck", "Craftsmanship")
    validate_view(settings_view(renderer, settings=form))
    empty = SettingsForm(None, "immediate", 4, time(15), "UTC", "", "")
    validate_view(settings_view(renderer, settings=empty))
    choices = [
        RemovalChoice("id1", "1", "Kindness", "U0BOB"),
        RemovalChoice("id2", "2", "Courage", "U0CAROL"),
    ]
    validate_view(removal_view(renderer, items=choices, channel="C0SHOUTS", ts="1.1"))


def _notice_kinds_asked_for() -> set[str]:
    """Every kind the code asks `notice` or `notice_view` for by name."""
    called = re.compile(r'notice(?:_view)?\(\s*[\w.]+,\s*"(\w+)"')
    return {kind for kind in called.findall(_source())}


def _source() -> str:
    return "\n".join(path.read_text() for path in Path(slackapp.__file__).parent.rglob("*.py"))


def _notice_kinds() -> list[str]:
    """Every kind templates/messages/notices.j2 defines, read through Jinja: a new kind is tested too."""
    loader = FileSystemLoader(templates_root())
    notices = Environment(loader=loader, autoescape=True).get_template("messages/notices.j2")
    return sorted(notices.module.lines)  # type: ignore[attr-defined]  # the template's own `set`


NOTICE_KINDS = _notice_kinds()


def test_the_notice_template_knows_exactly_the_kinds_the_code_asks_for() -> None:
    assert len(NOTICE_KINDS) >= 11
    assert _notice_kinds_asked_for() <= set(NOTICE_KINDS)
    source = _source()
    assert [kind for kind in NOTICE_KINDS if f'"{kind}"' not in source] == [], "kinds nobody asks for"


@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_every_notice_renders(renderer: Renderer, kind: str) -> None:
    message = validate_message(notice(renderer, kind))
    (block,) = message["blocks"]
    assert message["text"].strip() and block["text"]["text"] == message["text"]
    assert_no_mentions(message)
    view = validate_view(notice_view(renderer, kind))
    assert view["blocks"] == message["blocks"]
    others = {notice(renderer, other)["text"] for other in NOTICE_KINDS if other != kind}
    assert message["text"] not in others, "each kind says its own thing"


def test_an_unknown_notice_kind_fails_loudly(renderer: Renderer) -> None:
    with pytest.raises((UndefinedError, TypeError)):  # StrictUndefined, met by the JSON filter
        notice(renderer, "no_such_notice")
