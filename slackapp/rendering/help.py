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
    """A word after `/kindly` ("" for the command alone), what may follow it, and its line of help."""

    word: str
    usage: str
    does: str


# In the order the help lists them; manifest.yml's usage_hint names the same words (a test keeps it so).
COMMANDS: tuple[Subcommand, ...] = (
    Subcommand("", "", "Take a kind moment: a two-minute private reflection."),
    Subcommand("journal", "", "Read your own past reflections, and mend old ones with kintsugi."),
    Subcommand("check-in", "", "A private self-check, and how you've been over the weeks: only you see it."),
    Subcommand("remind", "", "Choose the days and local time of gentle reminders."),
    Subcommand(
        "pause",
        "[3d | 1w | until {pause_until}]",
        "Pause reminders for a while (a week if you just say pause).",
    ),
    Subcommand("resume", "", "Bring paused reminders back."),
    Subcommand(
        "shoutout", "[@someone]", "Celebrate a teammate's strength of character, anonymously if you like."
    ),
    Subcommand("export", "", "Your own data, as files in your messages with Kindly."),
    Subcommand("forget-me", "", "Delete everything Kindly keeps about you, after a confirmation."),
    Subcommand("team", "", "For HR leads: team prompts, anonymous insights, shout-out and support settings."),
    Subcommand("help", "", "This list."),
)
SUBCOMMANDS: tuple[str, ...] = tuple(command.word for command in COMMANDS if command.word)


def pause_example(today: date) -> date:
    """The date shown in `/kindly pause until …`: a few weeks after today, so the example always works."""
    return today + timedelta(weeks=3)


SELF_CHECK_WORD = "check-in"  # listed only where the self-check is switched on


def help_message(
    renderer: Renderer,
    *,
    today: date,
    unknown: str | None = None,
    suggestion: str | None = None,
    self_check: bool = True,
) -> dict[str, Any]:
    pause_until = pause_example(today).isoformat()
    commands = [
        (
            " ".join(part for part in (COMMAND, c.word, c.usage.format(pause_until=pause_until)) if part),
            c.does,
        )
        for c in COMMANDS
        if self_check or c.word != SELF_CHECK_WORD
    ]
    return renderer.message(
        "messages/help.json.j2", unknown=unknown, suggestion=suggestion, commands=commands
    )
