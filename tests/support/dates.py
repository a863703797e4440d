"""What a date Slack shows each reader in their own zone looks like in our payloads: a `<!date^…>` token."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo


def moment_token(moment: datetime) -> str:
    """The start of the token for this instant, whatever its pattern and fallback."""
    return f"<!date^{int(moment.timestamp())}^"


def day_token(day: date, tz: str = "UTC") -> str:
    """The start of the token for a calendar day: midday in the zone the day belongs to."""
    return moment_token(datetime.combine(day, time(12), tzinfo=ZoneInfo(tz)))
