"""Acting on rendered views as a person would: fill inputs, find buttons."""

from __future__ import annotations

import copy
from typing import Any


def _input_block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    for block in view["blocks"]:
        if block.get("type") == "input" and block.get("block_id") == block_id:
            found: dict[str, Any] = block
            return found
    raise AssertionError(f"the view has no input block {block_id!r}")


def fill(view: dict[str, Any], answers: dict[str, Any], *, view_id: str = "V0MODAL") -> dict[str, Any]:
    """The view as Slack sends it back on submit, with each named input answered."""
    submitted = copy.deepcopy(view)
    values: dict[str, Any] = {}
    for block_id, answer in answers.items():
        element = _input_block(view, block_id)["element"]
        kind = element["type"]
        if kind in {"plain_text_input", "url_text_input"}:
            state = {"type": kind, "value": answer}
        elif kind in {"radio_buttons", "static_select"}:
            options = {option["value"]: option for option in element["options"]}
            assert answer in options, f"{answer!r} is not an option of {block_id!r}"
            state = {"type": kind, "selected_option": options[answer]}
        elif kind == "checkboxes":
            options = {option["value"]: option for option in element["options"]}
            assert set(answer) <= set(options), f"{answer!r} are not all options of {block_id!r}"
            state = {"type": kind, "selected_options": [options[value] for value in answer]}
        elif kind == "timepicker":
            state = {"type": kind, "selected_time": answer}
        elif kind == "datepicker":
            state = {"type": kind, "selected_date": answer}
        else:
            raise AssertionError(f"cannot fill a {kind}")
        values[block_id] = {element["action_id"]: state}
    submitted.update(id=view_id, hash="1.hash", state={"values": values})
    return submitted


def text_inputs(view: dict[str, Any]) -> list[str]:
    """The block ids of a view's text inputs (a practice's answers, not its "in my head" tick)."""
    return [
        block["block_id"]
        for block in view["blocks"]
        if block.get("type") == "input" and block["element"]["type"] == "plain_text_input"
    ]


def buttons(view: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for block in view.get("blocks", []):
        if block.get("type") == "actions":
            found.extend(element for element in block["elements"] if element["type"] == "button")
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and accessory.get("type") == "button":
            found.append(accessory)
    return found


def button(view: dict[str, Any], action_id: str) -> dict[str, Any]:
    matches = [found for found in buttons(view) if found["action_id"] == action_id]
    assert matches, f"no {action_id!r} button in the view"
    return matches[0]


def all_text(node: Any) -> str:
    """Every string in a view or message, for 'is this text shown?' assertions."""
    if isinstance(node, dict):
        return "\n".join(all_text(value) for value in node.values())
    if isinstance(node, list):
        return "\n".join(all_text(item) for item in node)
    return node if isinstance(node, str) else ""
