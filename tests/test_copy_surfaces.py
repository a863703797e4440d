"""Copy rules over what Kindly renders: every button names its object and is red only where it destroys
data, dated surfaces carry Slack date tokens, no Slack error code reaches a person, figures held back
are said in plain words after a summary in words, and the export speaks in headings, not keys."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from slackapp.practices.catalogue import PRACTICES
from slackapp.practices.insights import figure, people_figure, sparkline
from slackapp.practices.strengths import CATALOGUE
from slackapp.practices.themes import PROMPTS_PER_THEME, THEMES, WeekPrompt
from slackapp.rendering import Renderer
from slackapp.rendering.data_rights import export_deleted_message, export_message
from slackapp.rendering.entries import EntrySummary
from slackapp.rendering.help import help_message
from slackapp.rendering.journal import HomeContext, home_view, journal_view
from slackapp.rendering.kind_moment import practice_view
from slackapp.rendering.programs import (
    Insights,
    TeamPage,
    WeekFigures,
    insights_view,
    program_intro_message,
    team_prompt_message,
    team_view,
)
from slackapp.rendering.reminders import (
    not_today_reply,
    pause_reply,
    paused_reply,
    remind_saved_view,
    remind_view,
    reminder_message,
)
from slackapp.rendering.shoutouts import ShoutoutItem, notice, shoutout_digest, shoutout_dm, shoutout_post
from slackapp.scheduling.sender import PERMANENT_ERRORS
from tests.support.views import all_text, buttons
from tests.test_optional_labels import every_view
from tests.test_program_rendering import a_program
from tests.test_reminder_rendering import STATES
from tests.test_rendering import entries

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
RENDERER = Renderer(clock=lambda: NOW)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NOTICE_KINDS = re.findall(r'^\s+"(\w+)":', (TEMPLATES / "messages/notices.j2").read_text("utf-8"), re.M)


def every_message(renderer: Renderer) -> Iterator[dict[str, Any]]:
    """Each message Kindly sends, in each of its forms."""
    yield help_message(renderer, today=NOW.date(), unknown="frobnicate", suggestion="journal")
    for outcome in ("paused", "resumed", "no_reminders", "unclear"):
        yield pause_reply(
            renderer, outcome=outcome, resume_on=date(2026, 12, 8), state=STATES["on"], today=NOW.date()
        )
    yield paused_reply(renderer, resume_on=date(2026, 12, 8), tz="Europe/Berlin")
    yield not_today_reply(renderer)
    yield from (reminder_message(renderer, variant=n) for n in range(12))
    yield from (
        team_prompt_message(
            renderer, prompt=WeekPrompt(t, n), program_name="Weekly", program_id=7, first=first
        )
        for t in THEMES
        for n in range(PROMPTS_PER_THEME)
        for first in (False, True)
    )
    yield program_intro_message(renderer, program_name="Weekly", program_id=7)
    yield from (notice(renderer, kind) for kind in NOTICE_KINDS)
    yield export_message(renderer, export_id=uuid.uuid4())
    yield from (export_deleted_message(renderer, outcome=o) for o in ("deleted", "already", "retrying"))
    item = ShoutoutItem(CATALOGUE[0], "U0BOB", "kind words", None)
    yield from (shoutout_post(renderer, item=item), shoutout_digest(renderer, items=[item]))
    yield shoutout_dm(renderer, item=item, shoutout_id="1", where="C0SHOUTS")


PAGED_JOURNAL = journal_view(RENDERER, entries=entries(10), page=1, total=30)  # Newer and Older
SURFACES = [*every_view(RENDERER), PAGED_JOURNAL, *every_message(RENDERER)]
# The clicks that destroy data: the only buttons that may be red.
DESTROYS = {"export_delete_now", "program_delete"}


def every_button() -> list[dict[str, Any]]:
    return [found for surface in SURFACES for found in buttons(surface)]


def test_the_button_checks_see_every_kind_of_button() -> None:
    seen = {found["action_id"] for found in every_button()}
    assert {"journal_entry_open", "journal_page", "hr_lead_remove", "program_toggle", *DESTROYS} <= seen


@pytest.mark.parametrize("label", sorted({found["text"]["text"] for found in every_button()}))
def test_every_button_names_its_object(label: str) -> None:
    """ "Open entry", "Remove HR lead": never a bare verb, which says nothing out of context."""
    assert len(label.split()) >= 2, f"{label!r}: say what it acts on"


def test_only_a_button_that_destroys_data_is_red() -> None:
    red = {found["action_id"] for found in every_button() if found.get("style") == "danger"}
    assert red <= DESTROYS, f"red, but nothing is destroyed: {red - DESTROYS}"


# --- Dates --------------------------------------------------------------------------------------------

MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b"
MONTHS = re.compile(rf"\b{MONTH} \d|\b\d{{1,2}} {MONTH}")  # "Dec 8", "8 December"
TOKEN = re.compile(r"<!date\^\d+\^[^|]+\|[^>]+>")


def shown_text(surface: dict[str, Any]) -> str:
    """What a reader sees, with the tokens (and their fallbacks) taken out."""
    return TOKEN.sub("", all_text(surface))


def an_insights_page() -> Insights:
    took = [3, None, 7]
    weeks = [
        WeekFigures(
            date(2026, 11, 2) + timedelta(weeks=n),
            people_figure(12, k=5),
            figure(value),
            figure(None),
            figure(6),
        )
        for n, value in enumerate(took)
    ]
    small = WeekFigures(
        date(2026, 11, 23), people_figure(None, k=5), figure(None), figure(None), figure(None)
    )
    return Insights("Weekly", 5, [*weeks, small], sparkline([*took, None], [12, 12, 12, None]))


def dated_surfaces() -> Iterator[tuple[str, dict[str, Any]]]:
    recent = entries(3)
    yield "home", home_view(RENDERER, home=HomeContext(recent=recent, reminders=STATES["on"]))
    yield "home, paused", home_view(RENDERER, home=HomeContext(recent=recent, reminders=STATES["paused"]))
    yield "journal", journal_view(RENDERER, entries=recent, page=0, total=3)
    yield "remind", remind_view(RENDERER, state=STATES["paused"])
    yield "remind saved", remind_saved_view(RENDERER, state=STATES["on"])
    yield "paused", pause_reply(RENDERER, outcome="paused", resume_on=date(2026, 12, 8), tz="Europe/Berlin")
    yield "resumed", pause_reply(RENDERER, outcome="resumed", state=STATES["on"])
    yield "reminder paused", paused_reply(RENDERER, resume_on=date(2026, 12, 8), tz="Europe/Berlin")
    yield (
        "team",
        team_view(RENDERER, team=TeamPage(programs=[a_program("channel", "C0TEAM")], named_leads=[])),
    )
    yield "insights", insights_view(RENDERER, insights=an_insights_page())


DATED = list(dated_surfaces())


@pytest.mark.parametrize(("name", "surface"), DATED, ids=[name for name, _ in DATED])
def test_every_date_shown_is_a_slack_token_with_a_fallback(name: str, surface: dict[str, Any]) -> None:
    assert TOKEN.search(all_text(surface)), f"{name} shows no <!date^…> token"
    assert not MONTHS.search(shown_text(surface)), f"{name} spells a date out itself: {shown_text(surface)}"


def test_a_kintsugi_choice_says_how_long_ago_without_a_date() -> None:
    """A select option is plain text, which cannot hold a token: so its age in words, never a date."""
    earlier = [
        EntrySummary(str(days), "friends_words", "A friend's words", NOW - timedelta(days=days), False)
        for days in (0, 1, 9, 40, 400)
    ]
    view = practice_view(RENDERER, PRACTICES["kintsugi"], entries=earlier)
    (choice,) = [block for block in view["blocks"] if block.get("block_id") == "entry"]
    labels = [option["text"]["text"] for option in choice["element"]["options"]]
    assert labels == [
        "A friend's words · today",
        "A friend's words · yesterday",
        "A friend's words · 9 days ago",
        "A friend's words · 5 weeks ago",
        "A friend's words · 13 months ago",
    ]


# --- Slack's error codes ------------------------------------------------------------------------------

GENERIC = "Slack couldn't do it just now"


@pytest.mark.parametrize("code", sorted(PERMANENT_ERRORS | {"uninstalled", "invalid_schedule"}))
def test_a_stopped_reminder_says_why_in_plain_words(code: str) -> None:
    state = replace(STATES["stopped"], stopped_reason=code)
    for surface in (remind_view(RENDERER, state=state), home_view(RENDERER, home=HomeContext((), state))):
        text = all_text(surface)
        assert code not in text and GENERIC not in text  # its own words, not the catch-all
        assert "could not deliver them: " in text


@pytest.mark.parametrize("code", ["restricted_action", "ekm_access_denied", "not_in_channel", "is_archived"])
def test_a_channel_kindly_cannot_post_in_is_explained_without_slacks_code(code: str) -> None:
    words = RENDERER.text("text/settings_error.txt.j2", problem=code)
    assert code not in words and words.endswith(".")


def test_an_unknown_code_falls_back_to_plain_words() -> None:
    state = replace(STATES["stopped"], stopped_reason="team_added_to_org")
    text = all_text(remind_view(RENDERER, state=state))
    assert "team_added_to_org" not in text and GENERIC in text


# --- Figures for HR leads -----------------------------------------------------------------------------


def test_the_chart_follows_a_summary_in_words_and_held_back_figures_are_plain_words() -> None:
    text = all_text(insights_view(RENDERER, insights=an_insights_page()))
    summary = (
        "*Took a kind moment from the prompt:* 3 to 7 people a week."
        " Weeks not shown, to keep everyone anonymous: 2 of 4."
    )
    assert summary in text
    assert text.index(summary) < text.index("`" + sparkline([3, None, 7, None], [12, 12, 12, None]) + "`")
    assert "People in the program: fewer than 5 people: not shown, to keep everyone anonymous" in text
    assert '"This helped": not shown, to keep everyone anonymous' in text
    assert "suppress" not in text.lower()


# --- The export ---------------------------------------------------------------------------------------


def test_the_export_uses_the_names_a_person_saw_not_stored_keys() -> None:
    reflections = [
        {
            "practice": practice.key,
            "created_at": "2026-12-01T09:30:00+00:00",
            "mended_at": None,
            "answers": {prompt.key: "my own words" for prompt in practice.prompts},
        }
        for practice in PRACTICES.values()
    ]
    data = {
        "user_id": "U0ALICE",
        "team_id": "T0001",
        "settings": {"time_zone": "Europe/Berlin", "receives_shoutouts": True, "team_prompts": True},
        "reflections": reflections,
        "reminders": [
            {
                "kind": "personal",
                "weekdays": 0b10101,
                "local_time": "09:00",
                "time_zone": "UTC",
                "paused_until": None,
            }
        ],
        "shoutouts_received": [{"strength": CATALOGUE[0].key, "note": "", "from": None, "day": "2026-12-02"}],
        "self_checks": [],
        "self_check_scale": "SSCS-S",
    }
    strengths = {strength.key: strength.name for strength in CATALOGUE}
    markdown = RENDERER.text(
        "export/export.md.j2", data=data, exported_at="now", practices=PRACTICES, strengths=strengths
    )
    for practice in PRACTICES.values():
        assert f"· {practice.name}" in markdown
        assert "_" not in practice.key or practice.key not in markdown
        for prompt in practice.prompts:
            assert f"**{prompt.heading}**" in markdown and f"**{prompt.key}**" not in markdown
    assert "personal" not in markdown and "Monday, Wednesday, Friday at 09:00" in markdown
    assert f"· {CATALOGUE[0].name} · anonymous" in markdown
