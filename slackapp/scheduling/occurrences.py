"""When a weekly local-time schedule next fires, in UTC, across daylight-saving changes.

A wall-clock time that does not exist on a day (spring forward) moves to the next valid minute; a time
that happens twice (fall back) fires once, at its first occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONDAY_TO_FRIDAY = frozenset(range(5))
EVERY_DAY = frozenset(range(7))
_MAX_GAP_MINUTES = 24 * 60


def weekdays_to_mask(weekdays: Iterable[int]) -> int:
    """Monday is 0 (as in date.weekday()); the mask has bit n set for weekday n."""
    mask = 0
    for day in weekdays:
        if not 0 <= day <= 6:
            raise ValueError(f"weekday {day} is not between 0 (Monday) and 6 (Sunday)")
        mask |= 1 << day
    return mask


def mask_to_weekdays(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


def zone_or_utc(name: str | None) -> tuple[ZoneInfo, bool]:
    """The IANA zone, or UTC and False when the name is unknown."""
    if name:
        try:
            return ZoneInfo(name), True
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo("UTC"), False


def _exists(wall: datetime, zone: ZoneInfo) -> bool:
    aware = wall.replace(tzinfo=zone, fold=0)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of `at` on `day` in `zone`: the first if repeated, the next valid minute if skipped."""
    wall = datetime.combine(day, at.replace(second=0, microsecond=0, tzinfo=None))
    for _ in range(_MAX_GAP_MINUTES):
        if _exists(wall, zone):
            return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
        wall += timedelta(minutes=1)
    raise ValueError(f"no valid local time after {at} on {day} in {zone.key}")


def next_occurrence(
    *,
    after: datetime,
    weekdays: frozenset[int],
    at: time,
    zone: ZoneInfo,
    not_before_day: date | None = None,
) -> datetime | None:
    """The first firing strictly after `after` (UTC), on a chosen weekday, not on a local day before
    `not_before_day` (a pause); None when no weekday is chosen."""
    if not weekdays:
        return None
    day = after.astimezone(zone).date()
    if not_before_day is not None and not_before_day > day:
        day = not_before_day
    for _ in range(8 + 7):  # a week, plus slack for a skipped day near a transition
        if day.weekday() in weekdays:
            instant = local_instant(day, at, zone)
            if instant > after:
                return instant
        day += timedelta(days=1)
    raise AssertionError("a chosen weekday always comes within two weeks")


def next_monthly_occurrence(
    *, after: datetime, weekday: int, at: time, zone: ZoneInfo, not_before_day: date | None = None
) -> datetime:
    """The first `weekday` of a month at `at` local time, strictly after `after` (UTC), not on a local
    day before `not_before_day` (a pause)."""
    day = after.astimezone(zone).date()
    if not_before_day is not None and not_before_day > day:
        day = not_before_day
    year, month = day.year, day.month
    for _ in range(14):  # a year, plus slack for a pause that ends late in a month
        first = date(year, month, 1)
        target = first + timedelta(days=(weekday - first.weekday()) % 7)
        if target >= day:
            instant = local_instant(target, at, zone)
            if instant > after:
                return instant
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise AssertionError("a month's first weekday always comes within two months")
