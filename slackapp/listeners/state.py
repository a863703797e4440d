"""Reading what a view brings back defensively (a submitted view's values, and the surface an action came
from): a crafted payload gets None, never a crash."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _element(view: Any, block_id: str, action_id: str) -> Mapping[str, Any]:
    state = view.get("state") if isinstance(view, Mapping) else None
    values = state.get("values") if isinstance(state, Mapping) else None
    block = values.get(block_id) if isinstance(values, Mapping) else None
    element = block.get(action_id) if isinstance(block, Mapping) else None
    return element if isinstance(element, Mapping) else {}


def has_input(view: Any, block_id: str, action_id: str = "choice") -> bool:
    """Whether the submitted view has this input at all (a view opened before it existed has not)."""
    return bool(_element(view, block_id, action_id))


def input_text(view: Any, block_id: str, action_id: str = "answer") -> str | None:
    value = _element(view, block_id, action_id).get("value")
    return value if isinstance(value, str) else None


def selected_value(view: Any, block_id: str, action_id: str = "choice") -> str | None:
    option = _element(view, block_id, action_id).get("selected_option")
    value = option.get("value") if isinstance(option, Mapping) else None
    return value if isinstance(value, str) else None


def over_modal(body: Mapping[str, Any]) -> bool:
    """True when an action came from inside a modal (so a new view must be pushed, not opened)."""
    view = body.get("view")
    return isinstance(view, Mapping) and view.get("type") == "modal"


def on_home(body: Mapping[str, Any]) -> bool:
    """True when an action came from the person's Home tab."""
    view = body.get("view")
    return isinstance(view, Mapping) and view.get("type") == "home"


def selected_values(view: Any, block_id: str, action_id: str = "choice") -> list[str]:
    """Checkbox values; anything that is not a string value is ignored."""
    options = _element(view, block_id, action_id).get("selected_options")
    if not isinstance(options, list):
        return []
    return [o["value"] for o in options if isinstance(o, Mapping) and isinstance(o.get("value"), str)]


def selected_field(view: Any, block_id: str, field: str, action_id: str = "choice") -> str | None:
    """A picker's value: `selected_time` of a timepicker, `selected_date` of a datepicker."""
    value = _element(view, block_id, action_id).get(field)
    return value if isinstance(value, str) else None
