"""What makes a shout-out acceptable to send. No Slack, no SQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

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


def blocked_words(configured: str) -> list[str]:
    return [word for word in (" ".join(line.split()).lower() for line in configured.splitlines()) if word]


def check_note(note: str, *, blocked: list[str]) -> NoteCheck:
    if len(note) > MAX_NOTE:
        return NoteCheck(Refusal.NOTE_TOO_LONG)
    lowered = note.lower()
    for word in blocked:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            return NoteCheck(Refusal.BLOCKED_WORD, word)
    return NoteCheck()
