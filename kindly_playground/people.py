"""The demo workspace: three people in three time zones (one an HR lead) and two channels."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoPerson:
    user_id: str
    name: str
    real_name: str
    tz: str
    title: str
    is_admin: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.user_id,
            "name": self.name,
            "real_name": self.real_name,
            "tz": self.tz,
            "title": self.title,
            "is_admin": self.is_admin,
        }


@dataclass(frozen=True)
class DemoChannel:
    channel_id: str
    name: str

    def as_json(self) -> dict[str, str]:
        return {"id": self.channel_id, "name": self.name}


PEOPLE = (
    DemoPerson("U0ALICE", "alice", "Alice Weber", "Europe/Berlin", "Engineer in Berlin"),
    DemoPerson("U0BOB", "bob", "Bob Miller", "America/New_York", "Designer in New York"),
    DemoPerson("U0HANNA", "hanna", "Hanna Sato", "Asia/Tokyo", "HR lead in Tokyo (workspace admin)", True),
)
CHANNELS = (DemoChannel("C0GENERAL", "general"), DemoChannel("C0SHOUTS", "shout-outs"))


def person(user_id: str) -> DemoPerson:
    """The demo person with `user_id`; KeyError for anyone else."""
    for candidate in PEOPLE:
        if candidate.user_id == user_id:
            return candidate
    raise KeyError(user_id)


def channel_name(channel_id: str) -> str:
    return next((c.name for c in CHANNELS if c.channel_id == channel_id), channel_id)


_MENTION = re.compile(r"(?<![\w<|])([@#])([A-Za-z0-9._-]+)")


def escape_mentions(text: str) -> str:
    """`@bob` and `#general` as Slack sends them with `should_escape`: `<@U0BOB|bob>`, `<#C0GENERAL|general>`.

    Names nobody has stay as typed, as in Slack.
    """

    def escaped(match: re.Match[str]) -> str:
        sigil, name = match.group(1), match.group(2)
        if sigil == "@":
            found = next((p.user_id for p in PEOPLE if p.name == name.lower()), None)
        else:
            found = next((c.channel_id for c in CHANNELS if c.name == name.lower()), None)
        return f"<{sigil}{found}|{name.lower()}>" if found else match.group(0)

    return _MENTION.sub(escaped, text)
