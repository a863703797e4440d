"""Slack's Block Kit limits: slack_sdk's models, plus the limits they do not check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_TEXT = 3000
MAX_INPUT_LENGTH = 3000
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40000
MAX_PRIVATE_METADATA = 3000
MAX_SELECT_OPTIONS = 100  # a static select's options


class BlockKitError(ValueError):
    """A rendered view or message would be refused by Slack."""


def validate_view(view: dict[str, Any]) -> dict[str, Any]:
    """Raise BlockKitError unless Slack would accept this modal or Home tab."""
    blocks = view.get("blocks", [])
    if len(blocks) > MAX_VIEW_BLOCKS:
        raise BlockKitError(f"a view holds at most {MAX_VIEW_BLOCKS} blocks, not {len(blocks)}")
    if len(view.get("private_metadata") or "") > MAX_PRIVATE_METADATA:
        raise BlockKitError("private_metadata is longer than 3000 characters")
    try:
        View(**view).to_dict()
    except (SlackObjectFormationError, TypeError) as error:
        raise BlockKitError(str(error)) from error
    _check_blocks(blocks)
    return view


def validate_message(message: dict[str, Any]) -> dict[str, Any]:
    """Raise BlockKitError unless Slack would accept this message (chat.postMessage or an ack)."""
    blocks = message.get("blocks", [])
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        raise BlockKitError(f"a message holds at most {MAX_MESSAGE_BLOCKS} blocks, not {len(blocks)}")
    text = message.get("text", "")
    if not text or len(text) > MAX_MESSAGE_TEXT:
        raise BlockKitError("a message needs a fallback text of 1 to 40000 characters")
    try:
        for block in filter(None, Block.parse_all(blocks)):  # unknown types: reported by _check_blocks
            block.to_dict()
    except (SlackObjectFormationError, TypeError) as error:
        raise BlockKitError(str(error)) from error
    _check_blocks(blocks)
    return message


def _check_blocks(blocks: list[dict[str, Any]]) -> None:
    for block in blocks:
        if Block.parse(block) is None:
            raise BlockKitError(f"unknown block type {block.get('type')!r}")
    for node in walk_objects(blocks):
        kind = node.get("type")
        text = node.get("text")
        if kind in {"plain_text", "mrkdwn"} and isinstance(text, str) and not 1 <= len(text) <= MAX_TEXT:
            raise BlockKitError(f"a {kind} text must hold 1 to {MAX_TEXT} characters")
        if kind == "plain_text_input":
            for bound in ("min_length", "max_length"):
                if node.get(bound, 0) > MAX_INPUT_LENGTH:
                    raise BlockKitError(f"plain_text_input {bound} is above {MAX_INPUT_LENGTH}")


def walk_objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside a Block Kit payload, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk_objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk_objects(item)
