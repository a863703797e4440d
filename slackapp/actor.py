"""The verified workspace and person a request or job acts for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    team_id: str
    user_id: str
