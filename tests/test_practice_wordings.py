"""The practices' words: ten practices, each worded three ways, and closes that rotate without "deserve"."""

from __future__ import annotations

import copy
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from slackapp.practices.catalogue import (
    ARRIVAL_CHOICES,
    ARRIVALS,
    PRACTICES,
    WORDINGS,
    Practice,
    next_wording,
    practice_for_arrival,
    shown_wording,
)
from slackapp.rendering import Renderer
from slackapp.rendering.kind_moment import closing_view, practice_view, wording_of_view
from slackapp.rendering.limits import validate_view
from tests.support.views import all_text, text_inputs

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NEW_PRACTICES = {"kind_coach", "flaws_and_all", "provide"}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def worded(renderer: Renderer, practice: Practice, wording: int) -> dict[str, Any]:
    return practice_view(renderer, practice, wording=wording)


def intro_of(view: dict[str, Any]) -> str:
    text: str = view["blocks"][0]["text"]["text"]
    return text


def asked(view: dict[str, Any], key: str) -> tuple[str, str]:
    (block,) = [b for b in view["blocks"] if b.get("block_id") == key]
    return block["label"]["text"], block["element"]["placeholder"]["text"]


# -- the catalogue -----------------------------------------------------------------------------------


def test_ten_practices_each_met_by_one_of_at_most_ten_arrivals() -> None:
    assert len(PRACTICES) == 10 and set(PRACTICES) >= NEW_PRACTICES
    assert len(ARRIVAL_CHOICES) <= 10  # Slack shows at most ten radio buttons
    assert sorted(ARRIVALS.values()) == sorted(PRACTICES), "every practice is reachable, once"
    assert all(2 <= len(practice.prompts) <= 3 for practice in PRACTICES.values())


@pytest.mark.parametrize(
    ("arrival", "practice"),
    [("fell_short", "kind_coach"), ("flaws", "flaws_and_all"), ("needing", "provide")],
)
def test_the_new_arrivals_lead_to_the_new_practices(arrival: str, practice: str) -> None:
    found = practice_for_arrival(arrival)
    assert found is not None and found.key == practice


def test_a_journal_heading_is_stable_and_old_answers_keep_a_readable_one() -> None:
    friends = PRACTICES["friends_words"]
    assert friends.heading("critic") == "What your inner critic said"
    assert friends.heading("situation") == "What you were going through"  # kept before the critic came first
    assert friends.heading("mystery_key") == "Mystery key"


# -- three wordings, each shown in turn ---------------------------------------------------------------


@pytest.mark.parametrize("practice", PRACTICES.values(), ids=list(PRACTICES))
def test_each_wording_reads_differently_in_its_introduction_and_every_question(
    renderer: Renderer, practice: Practice
) -> None:
    views = [worded(renderer, practice, wording) for wording in range(WORDINGS)]
    assert WORDINGS >= 3
    assert len({intro_of(view) for view in views}) == WORDINGS
    for prompt in practice.prompts:
        shown = [asked(view, prompt.key) for view in views]
        assert len({label for label, _ in shown}) == WORDINGS, prompt.key
        assert len({placeholder for _, placeholder in shown}) == WORDINGS, prompt.key
    for view in views:
        validate_view(copy.deepcopy(view))
        assert view["title"]["text"] == practice.name  # the same practice, whichever words


def test_consecutive_wordings_always_differ() -> None:
    shown = [next_wording(None)]
    for _ in range(2 * WORDINGS):
        shown.append(next_wording(shown[-1]))
    assert shown[0] == 0
    assert all(a != b for a, b in itertools.pairwise(shown))
    assert set(shown) == set(range(WORDINGS)), "every wording comes round"


@pytest.mark.parametrize("forged", [-1, WORDINGS, 10**9, "1", True, None, 1.5, [2], {"x": 1}])
def test_a_forged_wording_in_the_view_gives_a_wording_that_exists(renderer: Renderer, forged: object) -> None:
    view = worded(renderer, PRACTICES["comfort"], 1)
    view["private_metadata"] = json.dumps({"practice": "comfort", "wording": forged})
    wording = wording_of_view(view)
    assert 0 <= wording < WORDINGS
    assert wording == shown_wording(forged)
    validate_view(worded(renderer, PRACTICES["comfort"], wording))


def test_the_wording_shown_travels_in_the_views_metadata(renderer: Renderer) -> None:
    for wording in range(WORDINGS):
        assert wording_of_view(worded(renderer, PRACTICES["kind_coach"], wording)) == wording
    assert wording_of_view({"private_metadata": "not json"}) == 0


# -- fidelity to the source ---------------------------------------------------------------------------


@pytest.mark.parametrize("wording", range(WORDINGS))
def test_fidelity_of_each_wording(renderer: Renderer, wording: int) -> None:
    scb = worded(renderer, PRACTICES["self_compassion_break"], wording)
    assert text_inputs(scb) == [
        "mindfulness",
        "common_humanity",
        "kindness",
    ]
    assert "who might understand" not in all_text(scb).lower()
    friends = worded(renderer, PRACTICES["friends_words"], wording)
    critic_label = asked(friends, "critic")[0].lower()
    assert "critic" in critic_label or "hard on yourself" in critic_label  # the critic is named first
    assert text_inputs(friends) == ["critic", "words"]
    image = worded(renderer, PRACTICES["compassionate_image"], wording)
    assert "half a minute" in intro_of(image)
    kintsugi = practice_view(renderer, PRACTICES["kintsugi"], wording=wording)
    assert (
        asked(kintsugi, "gold")
        and next(b for b in kintsugi["blocks"] if b.get("block_id") == "gold")["optional"]
    ), "no silver lining is demanded"
    note = worded(renderer, PRACTICES["character_note"], wording)
    assert "character" in asked(note, "strength")[0].lower() or "quality" in asked(note, "strength")[0]
    coach = worded(renderer, PRACTICES["kind_coach"], wording)
    assert "coach" in asked(coach, "coach")[0].lower()


# -- the close ----------------------------------------------------------------------------------------


def header_and_words(view: dict[str, Any]) -> tuple[str, str]:
    header, words = view["blocks"][0], view["blocks"][1]
    return header["text"]["text"], words["text"]["text"]


def test_closing_words_and_affirmations_rotate(renderer: Renderer) -> None:
    shown = [header_and_words(closing_view(renderer, variant=n, mended=False)) for n in range(72)]
    assert len({header for header, _ in shown}) >= 8
    assert len({words for _, words in shown}) >= 8
    assert all(a[0] != b[0] and a[1] != b[1] for a, b in itertools.pairwise(shown))
    assert "You are enough." not in {header for header, _ in shown}


def test_kintsugi_keeps_its_own_close(renderer: Renderer) -> None:
    closes = [closing_view(renderer, variant=n, mended=True) for n in range(3)]
    assert all(header_and_words(view)[0] == "Mended in gold." for view in closes)
    assert len({header_and_words(view)[1] for view in closes}) == 3


def test_no_practice_or_close_ever_says_deserve(renderer: Renderer) -> None:
    texts = [
        all_text(closing_view(renderer, variant=n, mended=mended))
        for n in range(72)
        for mended in (False, True)
    ]
    texts += [all_text(worded(renderer, p, w)) for p in PRACTICES.values() for w in range(WORDINGS)]
    assert not [text for text in texts if re.search(r"deserv", text, re.IGNORECASE)]
    sources = [TEMPLATES / "modals" / "closing.json.j2", *(TEMPLATES / "practices").glob("*.j2")]
    assert not [path.name for path in sources if "deserv" in path.read_text().lower()]
