"""`/kindly`'s words and their help: the one list the command, the help message and tests read.

Also the example dates the help and other replies show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from slackapp.rendering.environment import Renderer

COMMAND = "/kindly"


@dataclass(frozen=True)
class Subcommand:
    """A word after `/kindly` ("" for the command alone) and what may follow it; its line of help is
    copy, in templates/messages/help.json.j2."""

    word: str
    usage: str = ""


# In the order the help lists them; manifest.yml's usage_hint names the same words (a test keeps it so).
COMMANDS: tuple[Subcommand, ...] = (
    Subcommand(""),
    Subcommand("journal"),
    Subcommand("check-in"),
    Subcommand("remind"),
    Subcommand("pause", "[3d | 1w | until {pause_until}]"),
    Subcommand("resume"),
    Subcommand("shoutout", "[@someone]"),
    Subcommand("export"),
    Subcommand("forget-me"),
    Subcommand("team"),
    Subcommand("help"),
)
SUBCOMMANDS: tuple[str, ...] = tuple(command.word for command in COMMANDS if command.word)


def pause_example(today: date) -> date:
    """The date shown in `/kindly pause until …`: a few weeks after today, so the example always works."""
    return today + timedelta(weeks=3)


def pause_example_words(today: date) -> str:
    """The example date as a person types it: the ISO form `/kindly pause until` reads (input, not copy)."""
    return pause_example(today).isoformat()


SELF_CHECK_WORD = "check-in"  # listed only where the self-check is switched on


def help_message(
    renderer: Renderer,
    *,
    today: date,
    unknown: str | None = None,
    suggestion: str | None = None,
    self_check: bool = True,
) -> dict[str, Any]:
    pause_until = pause_example_words(today)
    commands = [
        (
            c.word,
            " ".join(part for part in (COMMAND, c.word, c.usage.format(pause_until=pause_until)) if part),
        )
        for c in COMMANDS
        if self_check or c.word != SELF_CHECK_WORD
    ]
    return renderer.message(
        "messages/help.json.j2", unknown=unknown, suggestion=suggestion, commands=commands
    )
