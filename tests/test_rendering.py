"""Every template renders into Block Kit Slack accepts; the validators refuse what Slack would refuse."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from slackapp.practices.catalogue import PRACTICES, WORDINGS, Practice
from slackapp.rendering import BlockKitError, Renderer
from slackapp.rendering.entries import Answer, EntrySummary
from slackapp.rendering.escaping import SafeText, escape_mrkdwn
from slackapp.rendering.help import help_message
from slackapp.rendering.journal import (
    PAGE_SIZE,
    HomeContext,
    entry_missing_view,
    entry_view,
    home_view,
    journal_view,
)
from slackapp.rendering.kind_moment import (
    MAX_KINTSUGI_CHOICES,
    arrival_view,
    closing_view,
    practice_of_view,
    practice_view,
    restored_practice,
)
from slackapp.rendering.limits import validate_message, validate_view
from tests.support.blockkit import assert_no_mentions, mrkdwn_texts, plain_texts
from tests.support.views import all_text, button, buttons
from tests.test_data_rights_rendering import DATA_RIGHTS_TEMPLATES
from tests.test_program_rendering import PROGRAM_TEMPLATES
from tests.test_reminder_rendering import REMINDER_TEMPLATES, REMINDERS_OFF
from tests.test_self_check_rendering import SELF_CHECK_PARTIALS, SELF_CHECK_TEMPLATES
from tests.test_shoutout_rendering import SHOUTOUT_TEMPLATES

MOMENT = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
IN_HEAD_TICK = {"value": "in_head", "text": {"type": "plain_text", "text": "I did this in my head"}}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def summary(number: int, *, practice: str = "friends_words", mended: bool = False) -> EntrySummary:
    return EntrySummary(
        id=str(1000 + number),
        practice=practice,
        practice_name=PRACTICES[practice].name,
        created_at=MOMENT - timedelta(days=number),
        mended=mended,
    )


def entries(count: int) -> list[EntrySummary]:
    return [summary(n, mended=n % 3 == 0) for n in range(count)]


def inputs_of(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [block for block in view["blocks"] if block["type"] == "input"]


def text_inputs_of(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [block for block in inputs_of(view) if block["element"]["type"] == "plain_text_input"]


def assert_valid_view(view: dict[str, Any]) -> None:
    validate_view(copy.deepcopy(view))
    assert len(view["title"]["text"]) <= 24
    for key in ("submit", "close"):
        if key in view:
            assert len(view[key]["text"]) <= 24
    if inputs_of(view):
        assert "submit" in view, "a view with inputs needs a submit button"
    assert_no_mentions(view)


# -- every template renders into valid Block Kit --------------------------------------------------


@pytest.mark.parametrize("can_revisit", [False, True])
def test_arrival_view_offers_revisiting_only_with_past_entries(renderer: Renderer, can_revisit: bool) -> None:
    view = arrival_view(renderer, can_revisit=can_revisit)
    assert_valid_view(view)
    (arrival,) = inputs_of(view)
    values = [option["value"] for option in arrival["element"]["options"]]
    assert ("revisiting" in values) is can_revisit
    assert "findahelpline.com" in all_text(view)


@pytest.mark.parametrize("practice", PRACTICES.values(), ids=list(PRACTICES))
def test_each_practice_view_is_valid_and_names_its_practice(renderer: Renderer, practice: Practice) -> None:
    view = practice_view(renderer, practice, entries=entries(3) if practice.revisits_entry else ())
    assert_valid_view(view)
    assert view["title"]["text"] == practice.name
    assert practice_of_view(view) == practice.key


@pytest.mark.parametrize("wording", range(WORDINGS))
@pytest.mark.parametrize("practice", PRACTICES.values(), ids=list(PRACTICES))
def test_practice_inputs_match_the_catalogue(renderer: Renderer, practice: Practice, wording: int) -> None:
    view = practice_view(
        renderer, practice, entries=entries(2) if practice.revisits_entry else (), wording=wording
    )
    prompts = {prompt.key: prompt for prompt in practice.prompts}
    text_inputs = text_inputs_of(view)
    assert 2 <= len(text_inputs) <= 3
    assert [block["block_id"] for block in text_inputs] == list(prompts)
    for block in text_inputs:
        prompt = prompts[block["block_id"]]
        assert block["element"]["max_length"] == prompt.max_length
        assert block["element"]["max_length"] <= 3000
        # Optional to Slack (every practice can be done in the head); a needed answer says so in its hint.
        assert block["optional"] is True
        assert ("hint" not in block) is prompt.optional
        assert block["element"]["action_id"] == "answer"
    others = [(b["block_id"], b["element"]["type"]) for b in inputs_of(view) if b not in text_inputs]
    in_head = [("in_head", "checkboxes")]
    assert others == ([("entry", "static_select")] if practice.revisits_entry else []) + in_head
    assert all(block["label"]["text"].strip() for block in text_inputs)
    assert all(block["element"]["placeholder"]["text"].strip() for block in text_inputs)


@pytest.mark.parametrize("count", [1, 10, MAX_KINTSUGI_CHOICES])
def test_kintsugi_offers_each_entry_once_with_the_selected_one_first_chosen(
    renderer: Renderer, count: int
) -> None:
    choices = entries(count)
    view = practice_view(renderer, PRACTICES["kintsugi"], entries=choices, selected=choices[-1])
    assert_valid_view(view)
    (select,) = [block for block in inputs_of(view) if block["block_id"] == "entry"]
    options = select["element"]["options"]
    assert [option["value"] for option in options] == [entry.id for entry in choices]
    assert select["element"]["initial_option"]["value"] == choices[-1].id
    assert all(len(option["text"]["text"]) <= 75 for option in options)


def test_kintsugi_adds_a_selected_entry_missing_from_the_list(renderer: Renderer) -> None:
    older = summary(40)
    view = practice_view(renderer, PRACTICES["kintsugi"], entries=entries(3), selected=older)
    assert_valid_view(view)
    (select,) = [block for block in inputs_of(view) if block["block_id"] == "entry"]
    assert select["element"]["options"][0]["value"] == older.id
    assert len(select["element"]["options"]) == 4


def test_kintsugi_stays_within_100_options_when_the_selected_entry_is_older(renderer: Renderer) -> None:
    choices = entries(MAX_KINTSUGI_CHOICES + 1)
    view = practice_view(renderer, PRACTICES["kintsugi"], entries=choices[:-1], selected=choices[-1])
    (select,) = [block for block in inputs_of(view) if block["block_id"] == "entry"]
    assert len(select["element"]["options"]) <= 100
    assert select["element"]["initial_option"]["value"] == choices[-1].id


@pytest.mark.parametrize(("variant", "mended"), [(0, False), (1, False), (2, True), (3, False), (17, True)])
def test_closing_view_is_valid_for_every_variant(renderer: Renderer, variant: int, mended: bool) -> None:
    view = closing_view(renderer, variant=variant, mended=mended)
    assert_valid_view(view)
    assert ("Mended in gold." in plain_texts(view)) is mended
    assert "submit" not in view


def test_journal_view_without_entries_invites_a_first_moment(renderer: Renderer) -> None:
    view = journal_view(renderer, entries=[], page=0, total=0)
    assert_valid_view(view)
    assert button(view, "kind_moment_open")
    assert not [b for b in buttons(view) if b["action_id"] in {"journal_entry_open", "journal_page"}]


@pytest.mark.parametrize(
    ("count", "page", "total", "pages"),
    [
        (1, 0, 1, []),
        (PAGE_SIZE, 0, PAGE_SIZE, []),
        (PAGE_SIZE, 0, 25, ["1"]),
        (PAGE_SIZE, 1, 25, ["0", "2"]),
        (5, 2, 25, ["1"]),
    ],
)
def test_journal_view_lists_entries_and_turns_pages(
    renderer: Renderer, count: int, page: int, total: int, pages: list[str]
) -> None:
    shown = entries(count)
    view = journal_view(renderer, entries=shown, page=page, total=total)
    assert_valid_view(view)
    opens = [b["value"] for b in buttons(view) if b["action_id"] == "journal_entry_open"]
    assert opens == [entry.id for entry in shown]
    assert [b["value"] for b in buttons(view) if b["action_id"] == "journal_page"] == pages
    assert view["private_metadata"] == str(page)
    assert any("<!date^" in text for text in mrkdwn_texts(view))


@pytest.mark.parametrize("can_mend", [False, True])
@pytest.mark.parametrize("mended", [False, True])
def test_entry_view_shows_answers_as_plain_text(renderer: Renderer, can_mend: bool, mended: bool) -> None:
    answers = [Answer("What are you going through?", "A hard week"), Answer("Words", "You are <ok> & loved")]
    view = entry_view(renderer, entry=summary(2, mended=mended), answers=answers, can_mend=can_mend)
    assert_valid_view(view)
    assert {answer.text for answer in answers} <= set(plain_texts(view))
    assert bool([b for b in buttons(view) if b["action_id"] == "kintsugi_start"]) is can_mend
    assert any("Mended in gold." in text for text in mrkdwn_texts(view)) is mended


def test_entry_missing_view_is_valid(renderer: Renderer) -> None:
    assert_valid_view(entry_missing_view(renderer))


@pytest.mark.parametrize("count", [0, 5])
def test_home_view_is_valid_with_and_without_recent_entries(renderer: Renderer, count: int) -> None:
    view = home_view(renderer, home=HomeContext(recent=entries(count), reminders=REMINDERS_OFF))
    validate_view(copy.deepcopy(view))
    assert view["type"] == "home"
    assert_no_mentions(view)
    opens = [b["value"] for b in buttons(view) if b["action_id"] == "journal_entry_open"]
    assert opens == [entry.id for entry in entries(count)]
    assert bool([b for b in buttons(view) if b["action_id"] == "journal_open"]) is (count > 0)


@pytest.mark.parametrize(
    ("unknown", "suggestion"),
    [(None, None), ("jornal", "journal"), ("dance", None), ("<!channel>", "help")],
)
def test_help_message_is_valid(renderer: Renderer, unknown: str | None, suggestion: str | None) -> None:
    message = help_message(renderer, today=MOMENT.date(), unknown=unknown, suggestion=suggestion)
    validate_message(copy.deepcopy(message))
    assert_no_mentions(message)
    assert len(message["blocks"]) <= 50
    if unknown:
        assert escape_mrkdwn(unknown) in message["text"]
        assert escape_mrkdwn(unknown) in mrkdwn_texts(message)[0]
    if suggestion:
        assert f"/kindly {suggestion}" in mrkdwn_texts(message)[0]


def test_every_block_kit_template_is_covered_here() -> None:
    covered = {
        "home/home.json.j2",
        "messages/help.json.j2",
        "modals/arrival.json.j2",
        "modals/what_is_self_compassion.json.j2",  # rendered in test_kind_moment_paths_e2e.py
        "modals/closing.json.j2",
        "modals/entry.json.j2",
        "modals/entry_missing.json.j2",
        "modals/journal.json.j2",
        *(f"practices/{key}.json.j2" for key in PRACTICES),
        *REMINDER_TEMPLATES,  # rendered in test_reminder_rendering.py
        *SHOUTOUT_TEMPLATES,  # rendered in test_shoutout_rendering.py
        *PROGRAM_TEMPLATES,  # rendered in test_program_rendering.py
        *DATA_RIGHTS_TEMPLATES,  # rendered in test_data_rights_rendering.py
        *SELF_CHECK_TEMPLATES,  # rendered in test_self_check_rendering.py
        "modals/forget_me.json.j2",
        "modals/forgotten.json.j2",
        "modals/keeping.json.j2",  # rendered in test_slow_save_e2e.py
    }
    shared = {
        "practices/_practice.json.j2",
        "partials/support.json.j2",
        "partials/reminder_status.json.j2",
        "partials/shoutout_destination.json.j2",
        "partials/shoutout_item.json.j2",
        "partials/what_is_self_compassion.json.j2",  # in the first team prompt: test_program_rendering.py
        *SELF_CHECK_PARTIALS,
    }
    found = {path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.json.j2")}
    assert found == covered | shared


# -- the validators refuse what Slack refuses, including what slack_sdk lets through ---------------


def section(text: str, kind: str = "mrkdwn") -> dict[str, Any]:
    return {"type": "section", "text": {"type": kind, "text": text}}


def modal(blocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": "Kindly"}, "blocks": blocks, **extra}


def text_input(max_length: int) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": "words",
        "label": {"type": "plain_text", "text": "Words"},
        "element": {"type": "plain_text_input", "action_id": "answer", "max_length": max_length},
    }


SUBMIT = {"type": "plain_text", "text": "Keep this"}


def test_validators_accept_payloads_at_slacks_limits() -> None:
    validate_view(modal([text_input(3000)], submit=SUBMIT, private_metadata="x" * 3000))
    validate_view(modal([section("x" * 3000)] * 100))
    validate_message({"text": "fallback", "blocks": [section("x")] * 50})


@pytest.mark.parametrize(
    "view",
    [
        pytest.param(modal([text_input(5000)], submit=SUBMIT), id="plain_text_input-max_length-5000"),
        pytest.param(modal([section("x")] * 101), id="101-blocks"),
        pytest.param(modal([section("")]), id="empty-mrkdwn"),
        pytest.param(
            modal([{"type": "context", "elements": [{"type": "mrkdwn", "text": ""}]}]), id="empty-ctx"
        ),
        pytest.param(modal([section("x" * 3001)]), id="3001-char-section"),
        pytest.param(modal([section("x" * 3001, kind="plain_text")]), id="3001-char-plain-section"),
        pytest.param(
            modal([{"type": "context", "elements": [{"type": "mrkdwn", "text": "x" * 3001}]}]),
            id="3001-char-context",
        ),
        pytest.param(modal([{"type": "sparkle", "text": "x"}]), id="unknown-block-type"),
        pytest.param(modal([section("x")], private_metadata="x" * 3001), id="private_metadata-3001"),
        pytest.param(
            {**modal([section("x")]), "title": {"type": "plain_text", "text": "x" * 25}}, id="title-25"
        ),
    ],
)
def test_validate_view_refuses_what_slack_refuses(view: dict[str, Any]) -> None:
    with pytest.raises(BlockKitError):
        validate_view(view)


@pytest.mark.parametrize(
    "message",
    [
        pytest.param({"text": "fallback", "blocks": [section("x")] * 51}, id="51-blocks"),
        pytest.param({"text": "fallback", "blocks": [section("")]}, id="empty-mrkdwn"),
        pytest.param({"text": "fallback", "blocks": [section("x" * 3001)]}, id="3001-char-section"),
        pytest.param(
            {"text": "fallback", "blocks": [{"type": "section", "fields": [{"type": "mrkdwn", "text": ""}]}]},
            id="empty-field",
        ),
        pytest.param({"text": "fallback", "blocks": [{"type": "sparkle"}]}, id="unknown-block-type"),
        pytest.param(
            {"text": "fallback", "blocks": [section("x"), {"type": "sparkle"}]}, id="unknown-after-known"
        ),
        pytest.param({"blocks": [section("x")]}, id="no-fallback-text"),
        pytest.param({"text": "", "blocks": [section("x")]}, id="empty-fallback-text"),
        pytest.param({"text": "x" * 40001, "blocks": [section("x")]}, id="fallback-40001"),
    ],
)
def test_validate_message_refuses_what_slack_refuses(message: dict[str, Any]) -> None:
    with pytest.raises(BlockKitError):
        validate_message(message)


# -- escaping ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<@U123> & <#C1>", "&lt;@U123&gt; &amp; &lt;#C1&gt;"),
        ("&amp; &lt;", "&amp;amp; &amp;lt;"),
        (
            "*bold* _it_ `code` ~s~ \"q\" 'a' \\ / {{ x }} 🌱 مرحبا",
            "*bold* _it_ `code` ~s~ \"q\" 'a' \\ / {{ x }} 🌱 مرحبا",
        ),
        ("", ""),
    ],
)
def test_escape_mrkdwn_turns_only_the_three_control_characters_into_entities(text: str, escaped: str) -> None:
    assert escape_mrkdwn(text) == escaped


def test_escape_mrkdwn_leaves_every_other_character_alone() -> None:
    everything = "".join(chr(code) for code in range(0x3000) if not 0xD800 <= code <= 0xDFFF)
    escaped = escape_mrkdwn(everything)
    assert escaped.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") == everything
    assert len(escaped) == len(everything) + len("amp;") + 2 * len("lt;")


NASTY_VALUES = [
    '"',
    '\\"',
    "\\",
    'a"}]}, {"type": "divider"',
    "line\nbreak\r\ttab\x00\x1f",
    "} ] }}",
    "{{ 7 * 7 }}",
    "{% raw %}{% if true %}x{% endif %}",
    "{# comment #}",
    "</script><!channel>",
    "\u2028\u2029",
]


@pytest.mark.parametrize("value", NASTY_VALUES)
def test_a_value_cannot_break_the_json_or_the_template(tmp_path: Path, value: str) -> None:
    (tmp_path / "tiny.json.j2").write_text(
        '{"type": "modal", "title": {"type": "plain_text", "text": "Tiny"}, "blocks": ['
        '{"type": "section", "text": {"type": "mrkdwn", "text": {{ value }}}},'
        '{"type": "section", "text": {"type": "plain_text", "text": {{ value|plain }}}}]}',
        encoding="utf-8",
    )
    view = Renderer(root=str(tmp_path)).view("tiny.json.j2", value=value)
    mrkdwn, plain = (block["text"]["text"] for block in view["blocks"])
    assert len(view["blocks"]) == 2
    assert mrkdwn == escape_mrkdwn(value)
    assert plain == value


def test_safe_text_passes_through_unescaped_but_still_json_encoded(tmp_path: Path) -> None:
    (tmp_path / "safe.json.j2").write_text(
        '{"type": "modal", "title": {"type": "plain_text", "text": "Tiny"}, "blocks": ['
        '{"type": "section", "text": {"type": "mrkdwn", "text": {{ ours }}}},'
        '{"type": "section", "text": {"type": "mrkdwn", "text": {{ theirs }}}}]}',
        encoding="utf-8",
    )
    ours = SafeText('<!date^0^{date}|"then">')
    view = Renderer(root=str(tmp_path)).view("safe.json.j2", ours=ours, theirs=str(ours))
    assert mrkdwn_texts(view) == [str(ours), escape_mrkdwn(str(ours))]


@pytest.mark.parametrize("name", ["modals/forget_me.json.j2", "modals/forgotten.json.j2"])
def test_the_forget_me_views_render(renderer: Renderer, name: str) -> None:
    assert_valid_view(renderer.view(name))


def test_a_practice_restored_after_a_late_failure_keeps_the_in_my_head_tick(renderer: Renderer) -> None:
    practice = practice_view(renderer, PRACTICES["comfort"])
    submitted = {
        **practice,
        "state": {"values": {"in_head": {"choice": {"selected_options": [IN_HEAD_TICK]}}}},
    }
    restored = restored_practice(submitted, notice="We couldn't keep this just now.")
    (tick,) = [block for block in restored["blocks"] if block.get("block_id") == "in_head"]
    assert tick["element"]["initial_options"] == [IN_HEAD_TICK]
