"""`view.state.values` as Slack builds it on submit, from what the page's controls hold.

The page sends raw values per block and action (a string, a list of strings or null); the element's
type in the stored view decides the shape: `value`, `selected_option`, `selected_options`,
`selected_user`, `selected_conversation`, `selected_time`, `selected_date`, ...
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

RawValue = str | list[str] | None
RawValues = Mapping[str, Mapping[str, RawValue]]

_SINGLE_OPTION = frozenset({"static_select", "radio_buttons", "external_select"})
_MULTI_OPTION = frozenset({"checkboxes", "multi_static_select", "multi_external_select"})
_PICKED_ONE = {
    "users_select": "selected_user",
    "conversations_select": "selected_conversation",
    "channels_select": "selected_channel",
    "timepicker": "selected_time",
    "datepicker": "selected_date",
}
_PICKED_MANY = {
    "multi_users_select": "selected_users",
    "multi_conversations_select": "selected_conversations",
    "multi_channels_select": "selected_channels",
}
_INITIAL = {
    "users_select": "initial_user",
    "conversations_select": "initial_conversation",
    "channels_select": "initial_channel",
    "timepicker": "initial_time",
    "datepicker": "initial_date",
    "multi_users_select": "initial_users",
    "multi_conversations_select": "initial_conversations",
    "multi_channels_select": "initial_channels",
}
_TEXT_INPUTS = frozenset({"plain_text_input", "email_text_input", "url_text_input", "number_input"})


def stateful_elements(blocks: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(block_id, element) for every element that keeps state: inputs, and selects in actions blocks."""
    for block in blocks:
        block_id = block.get("block_id")
        if not isinstance(block_id, str):
            continue
        if block.get("type") == "input" and isinstance(block.get("element"), dict):
            yield block_id, block["element"]
        elif block.get("type") == "actions":
            for element in block.get("elements") or []:
                if isinstance(element, dict) and element.get("type") not in {"button", "overflow"}:
                    yield block_id, element


def state_values(blocks: list[dict[str, Any]], raw: RawValues | None) -> dict[str, dict[str, Any]]:
    """Every stateful element's state; an element the page did not send keeps its initial value."""
    values: dict[str, dict[str, Any]] = {}
    for block_id, element in stateful_elements(blocks):
        action_id = element.get("action_id")
        if not isinstance(action_id, str):
            continue
        sent = (raw or {}).get(block_id, {})
        value = sent[action_id] if action_id in sent else initial_value(element)
        values.setdefault(block_id, {})[action_id] = element_state(element, value)
    return values


def initial_value(element: Mapping[str, Any]) -> RawValue:
    """What the control shows before anyone touches it, as a raw value."""
    kind = element.get("type")
    if kind in _TEXT_INPUTS:
        initial = element.get("initial_value")
        return initial if isinstance(initial, str) else None
    if kind in _SINGLE_OPTION:
        option = element.get("initial_option")
        return _option_value(option)
    if kind in _MULTI_OPTION:
        return [v for v in map(_option_value, element.get("initial_options") or []) if v is not None]
    key = _INITIAL.get(str(kind))
    if key is None:
        return None
    initial = element.get(key)
    if isinstance(initial, list):
        return [str(item) for item in initial]
    return initial if isinstance(initial, str) else None


def element_state(element: Mapping[str, Any], value: RawValue) -> dict[str, Any]:
    """One element's entry in `state.values`."""
    kind = str(element.get("type"))
    state: dict[str, Any] = {"type": kind}
    single = value if isinstance(value, str) and value != "" else None
    many = [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
    if kind in _TEXT_INPUTS:
        state["value"] = single
    elif kind in _SINGLE_OPTION:
        state["selected_option"] = _find_option(element, single)
    elif kind in _MULTI_OPTION:
        state["selected_options"] = [o for o in (_find_option(element, v) for v in many) if o is not None]
    elif kind in _PICKED_ONE:
        state[_PICKED_ONE[kind]] = single
    elif kind in _PICKED_MANY:
        state[_PICKED_MANY[kind]] = many
    else:
        state["value"] = single
    return state


def _options(element: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for option in element.get("options") or []:
        if isinstance(option, dict):
            yield option
    for group in element.get("option_groups") or []:
        for option in group.get("options") or [] if isinstance(group, dict) else []:
            if isinstance(option, dict):
                yield option


def _find_option(element: Mapping[str, Any], value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    for option in _options(element):
        if option.get("value") == value:
            return copy.deepcopy(option)
    return None


def _option_value(option: Any) -> str | None:
    value = option.get("value") if isinstance(option, dict) else None
    return value if isinstance(value, str) else None
