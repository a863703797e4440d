"""What the journal shows about an entry, without its private text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class EntrySummary:
    id: str
    practice: str
    practice_name: str
    created_at: datetime
    mended: bool
    in_head: bool = False  # done without writing: there are no words to show


@dataclass(frozen=True)
class Answer:
    label: str
    text: str


@dataclass(frozen=True)
class Support:
    """Support resources a workspace configured, shown beside Kindly's own not-a-crisis line."""

    text: str = ""
    url: str = ""
