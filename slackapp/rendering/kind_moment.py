"""Views of a kind moment: arrival, the practice itself, and the warm close."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any

from slackapp.practices.catalogue import ARRIVAL_CHOICES, PRACTICES, Practice, shown_wording
from slackapp.rendering.entries import EntrySummary, Support
from slackapp.rendering.environment import Renderer
from slackapp.rendering.limits import MAX_SELECT_OPTIONS, validate_view

MAX_KINTSUGI_CHOICES = MAX_SELECT_OPTIONS  # the earlier entries kintsugi offers to revisit


def arrival_view(
    renderer: Renderer,
    *,
    can_revisit: bool,
    support: Support | None = None,
    from_home: bool = False,
    introduce: bool = False,
    selected: str | None = None,
) -> dict[str, Any]:
    """How are you arriving? With "What is self-compassion?" above it when `introduce`, and the arrival
    `selected` chosen already when it is one of those offered (anything else: nothing chosen)."""
    arrivals = [a for a in ARRIVAL_CHOICES if can_revisit or not PRACTICES[a.practice].revisits_entry]
    return renderer.view(
        "modals/arrival.json.j2",
        arrivals=arrivals,
        selected=next((a for a in arrivals if a.key == selected), None),
        introduce=introduce,
        support=support,
        metadata=_metadata_json(from_home=from_home),
    )


def introduction_view(renderer: Renderer) -> dict[str, Any]:
    """What self-compassion is, and is not: the modal behind help's and the Home tab's button."""
    return renderer.view("modals/what_is_self_compassion.json.j2")


def arrival_of(practice: Practice, arrival: str | None = None) -> str | None:
    """The arrival a practice was chosen from: `arrival` if it leads there, else the first that does."""
    leading = [a.key for a in ARRIVAL_CHOICES if a.practice == practice.key]
    return arrival if arrival in leading else next(iter(leading), None)


def practice_view(
    renderer: Renderer,
    practice: Practice,
    *,
    entries: Sequence[EntrySummary] = (),
    selected: EntrySummary | None = None,
    support: Support | None = None,
    from_home: bool = False,
    wording: int = 0,
    arrival: str | None = None,
) -> dict[str, Any]:
    """The practice in one of its wordings (see catalogue.WORDINGS); the wording shown travels in the
    view's private_metadata so that the save can record it. Its "Choose a different practice" button
    names the `arrival` it was chosen from."""
    wording = shown_wording(wording)
    choices = list(entries[:MAX_KINTSUGI_CHOICES])
    if selected is not None and all(entry.id != selected.id for entry in choices):
        choices = [selected, *choices[: MAX_KINTSUGI_CHOICES - 1]]
    return renderer.view(
        f"practices/{practice.key}.json.j2",
        practice=practice,
        prompts={prompt.key: prompt for prompt in practice.prompts},
        metadata=_metadata_json(practice=practice.key, from_home=from_home, wording=wording),
        wording=wording,
        entries=choices,
        selected=selected,
        support=support,
        arrival=arrival_of(practice, arrival),
    )


def practice_of_view(view: dict[str, Any]) -> str | None:
    """The practice key a submitted practice view was rendered for (routing, not identity)."""
    key = _metadata(view).get("practice")
    return key if isinstance(key, str) else None


def wording_of_view(view: dict[str, Any]) -> int:
    """Which wording a submitted practice view showed (routing only: a forged value is clamped)."""
    return shown_wording(_metadata(view).get("wording"))


def opened_from_home(view: dict[str, Any]) -> bool:
    """Whether the person started this kind moment on the Home tab (so the tab behind it is in sight)."""
    return _metadata(view).get("from_home") is True


def _metadata_json(**fields: str | bool | int) -> str:
    """A kind moment's private_metadata: routing facts only (never what the person wrote)."""
    return json.dumps({key: value for key, value in fields.items() if value})


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    metadata = view.get("private_metadata") if isinstance(view, dict) else None
    try:
        decoded = json.loads(metadata if isinstance(metadata, str) and metadata else "{}")
    except json.JSONDecodeError:
        return {}
    return decoded if isinstance(decoded, dict) else {}


def closing_view(renderer: Renderer, *, variant: int, mended: bool) -> dict[str, Any]:
    """The warm close after a save; `variant` picks its words, so consecutive values read differently."""
    return renderer.view("modals/closing.json.j2", variant=variant, mended=mended)


def keeping_view(renderer: Renderer) -> dict[str, Any]:
    """Shown while a save takes longer than Slack waits for an answer."""
    return renderer.view("modals/keeping.json.j2")


# What views.update takes of a view that Slack sent back (it adds id, state, hash, app_id...).
_UPDATABLE_KEYS = ("type", "callback_id", "private_metadata", "title", "submit", "close", "clear_on_close")


def restored_practice(submitted: dict[str, Any], *, notice: str) -> dict[str, Any]:
    """The practice view the person submitted, with what they typed and chose filled back in and
    `notice` (plain text) above it: for when the save failed after the modal had moved on."""
    values = submitted.get("state", {}).get("values", {})
    blocks = [{"type": "section", "text": {"type": "plain_text", "text": f"⚠️ {notice}"}}]
    for original in submitted.get("blocks", []):
        block = copy.deepcopy(original)
        element = block.get("element", {}) if block.get("type") == "input" else {}
        state = values.get(block.get("block_id"), {}).get(element.get("action_id"), {})
        if state.get("value"):
            element["initial_value"] = state["value"]
        elif state.get("selected_option"):
            element["initial_option"] = state["selected_option"]
        elif state.get("selected_options"):
            element["initial_options"] = state["selected_options"]
        blocks.append(block)
    kept = {key: copy.deepcopy(submitted[key]) for key in _UPDATABLE_KEYS if key in submitted}
    return validate_view({**kept, "blocks": blocks})
