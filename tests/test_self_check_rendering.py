"""The self-check's views and messages render valid Block Kit, show the published wording and citation,
and say what a change means in plain words."""

from __future__ import annotations

import copy
from datetime import date
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from slackapp.practices.self_check import ITEMS, Change, Phase, WeekMean
from slackapp.rendering import Renderer
from slackapp.rendering.limits import validate_message, validate_view
from slackapp.rendering.self_check import (
    change_view,
    check_reminder_message,
    check_view,
    one_decimal,
    overview_view,
    phase_of_view,
    trend_weeks,
)
from tests.support.blockkit import assert_no_mentions
from tests.support.views import all_text

SELF_CHECK_TEMPLATES = {
    "modals/self_check.json.j2",
    "modals/self_check_overview.json.j2",
    "modals/self_check_change.json.j2",
    "messages/self_check_reminder.json.j2",
}
SELF_CHECK_PARTIALS = {"partials/self_check_home.json.j2", "partials/self_check_trend.json.j2"}
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.mark.parametrize("phase", list(Phase))
def test_the_check_shows_each_published_item_with_five_answers_and_its_citation(
    renderer: Renderer, phase: Phase
) -> None:
    view = check_view(renderer, phase=phase)
    validate_view(copy.deepcopy(view))
    inputs = [block for block in view["blocks"] if block["type"] == "input"]
    assert [block["label"]["text"] for block in inputs] == [item.text for item in ITEMS]
    for block in inputs:
        options = block["element"]["options"]
        assert block["element"]["type"] == "radio_buttons"
        assert [option["value"] for option in options] == ["1", "2", "3", "4", "5"]
        assert options[0]["text"]["text"].endswith("Not at all true for me")
        assert options[-1]["text"]["text"].endswith("Very true for me")
    text = all_text(view)
    assert "not a diagnosis" in text
    assert "Neff, K. D., Tóth-Király, I., Knox, M. C., Kuchar, A., & Davidson, O. (2021)" in text
    assert "10.1007/s12671-020-01505-4" in text
    assert "crisis service" in text
    assert phase_of_view(view) is phase


def test_a_language_without_a_validated_translation_gets_the_english_items_with_a_note(
    renderer: Renderer,
) -> None:
    english = check_view(renderer, phase=Phase.ALONE, language="en-US")
    french = check_view(renderer, phase=Phase.ALONE, language="fr-FR")
    assert "no validated translation" not in all_text(english)
    assert "no validated translation in your language" in all_text(french)
    labels = [block["label"]["text"] for block in french["blocks"] if block["type"] == "input"]
    assert labels == [item.text for item in ITEMS]


@pytest.mark.parametrize("metadata", ["", "{", "[]", '{"check": "sideways"}', '{"check": 3}'])
def test_a_forged_phase_is_not_read_as_one(metadata: str) -> None:
    assert phase_of_view({"private_metadata": metadata}) is None


def test_the_trend_is_text_first_then_a_chart_oldest_week_first(renderer: Renderer) -> None:
    means = [
        WeekMean(week=date(2027, 1, 4), mean=Fraction(13, 6), checks=1),
        WeekMean(week=date(2027, 1, 11), mean=Fraction(7, 2), checks=2),
    ]
    trend = trend_weeks(means, zone=BERLIN)
    view = overview_view(renderer, trend=trend, before_and_after=False, monthly=True)
    validate_view(copy.deepcopy(view))
    sections = [block["text"]["text"] for block in view["blocks"] if block["type"] == "section"]
    text_at = next(i for i, s in enumerate(sections) if "Your weekly average" in s)
    words, chart = sections[text_at], sections[text_at + 1]
    assert words.index(": 2.2 (1 check-in)") < words.index(": 3.5 (2 check-ins)")
    assert chart.splitlines()[0].startswith("`" + "█" * 9 + "░" * 11 + "` 2.2")
    assert chart.splitlines()[1].startswith("`" + "█" * 14 + "░" * 6 + "` 3.5")
    assert "<!date^" in words
    assert "monthly reminder to check in:* on" in all_text(view)


def test_one_decimal_rounds_half_up_exactly() -> None:
    assert [one_decimal(Fraction(n, 6)) for n in (6, 19, 20, 21, 30)] == ["1.0", "3.2", "3.3", "3.5", "5.0"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (Change.MUCH_KINDER, "kinder to yourself now than when you started"),
        (Change.KINDER, "a little kinder to yourself than when you started"),
        (Change.ABOUT_THE_SAME, "about the same as when you started"),
        (Change.HARDER, "it's okay"),
        (None, "Thank you for this moment."),
    ],
)
def test_the_change_is_told_in_plain_words(renderer: Renderer, change: Change | None, words: str) -> None:
    view = change_view(renderer, change=change)
    validate_view(copy.deepcopy(view))
    text = all_text(view)
    assert words in text
    for judgement in ("well done", "great job", "failed", "worse", "score"):
        assert judgement not in text.lower()


def test_the_monthly_reminder_offers_a_check_in_and_a_way_to_stop(renderer: Renderer) -> None:
    message = check_reminder_message(renderer)
    validate_message(copy.deepcopy(message))
    assert_no_mentions(message)
    actions = [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["self_check_start", "self_check_monthly"]
