"""Who the fake Slack pretends to be: the team, the bot and the app."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Workspace:
    """Identity used in auth.test, oauth.v2.access and echoed objects."""

    team_id: str = "T0001"
    team_name: str = "Kindly Test Workspace"
    team_domain: str = "kindly-test"
    bot_user_id: str = "U0BOT0001"
    bot_id: str = "B0BOT0001"
    app_id: str = "A0APP0001"

    @property
    def url(self) -> str:
        return f"https://{self.team_domain}.slack.com/"
