"""What makes a shout-out acceptable to send. No Slack, no SQL."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from slackapp.practices.blocked_words import find_blocked

MAX_NOTE = 280
DAILY_QUOTA = 5


class Refusal(Enum):
    SELF = "self"
    BOT = "bot"
    NO_RECIPIENT = "no_recipient"
    NO_STRENGTH = "no_strength"
    NOTE_TOO_LONG = "note_too_long"
    BLOCKED_WORD = "blocked_word"
    QUOTA = "quota"


@dataclass(frozen=True)
class NoteCheck:
    refusal: Refusal | None = None
    word: str | None = None


def check_note(note: str, *, blocked: list[str]) -> NoteCheck:
    if len(note) > MAX_NOTE:
        return NoteCheck(Refusal.NOTE_TOO_LONG)
    word = find_blocked(note, blocked)
    return NoteCheck() if word is None else NoteCheck(Refusal.BLOCKED_WORD, word)
