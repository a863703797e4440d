"""Public holidays where a person lives, from the `holidays` package: no reminder or team prompt on them.

The place is the person's own choice, else the workspace's default (an HR setting), else the country of
their Slack time zone. A country or subdivision the package does not know means no holiday skipping.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from functools import cache

import holidays
from babel.core import get_global

from slackapp.store.models import Member


@dataclass(frozen=True)
class HolidayPlace:
    country: str  # ISO 3166-1 alpha-2, as the holidays package names it
    subdivision: str | None = None


def country_of_zone(tz: str) -> str | None:
    """The country an IANA zone belongs to (Europe/Berlin -> DE); None for UTC and the like."""
    country = get_global("zone_territories").get(tz)
    return country if isinstance(country, str) and country != "001" else None


def is_known(place: HolidayPlace) -> bool:
    """Whether the holidays package knows this country (and subdivision, when one is given)."""
    subdivisions = holidays.list_supported_countries().get(place.country)
    if subdivisions is None:
        return False
    return place.subdivision is None or place.subdivision in subdivisions


def parse_place(text: str) -> HolidayPlace | None:
    """What a person typed as their holiday place ("de", "DE-BY", "us ca"), if the package knows it."""
    country, _, subdivision = text.strip().upper().replace(" ", "-").partition("-")
    place = HolidayPlace(country, subdivision or None)
    # The package knows three-letter codes too (DEU); Kindly keeps the two-letter one everyone types.
    return place if len(country) == 2 and is_known(place) else None


def place_of(member: Member | None, *, workspace_country: str | None, tz: str) -> HolidayPlace | None:
    """Where the person's public holidays are: their own setting, the workspace's, their time zone's;
    None when they have chosen not to skip holidays."""
    if member is not None and not member.skip_holidays:
        return None
    if member is not None and member.holiday_country:
        return HolidayPlace(member.holiday_country, member.holiday_subdivision)
    if workspace_country:
        return HolidayPlace(workspace_country)
    country = country_of_zone(tz)
    return HolidayPlace(country) if country else None


@cache
def _calendar(place: HolidayPlace) -> holidays.HolidayBase | None:
    if not is_known(place):
        return None
    return holidays.country_holidays(place.country, subdiv=place.subdivision)


_filling = threading.Lock()  # a calendar fills in a year's holidays on first use: one thread at a time


def is_public_holiday(day: date, place: HolidayPlace | None) -> bool:
    """Whether `day` is a public holiday at `place` (never, for an unknown place or none)."""
    calendar = _calendar(place) if place is not None else None
    if calendar is None:
        return False
    with _filling:
        return day in calendar
