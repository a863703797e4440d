"""Reminder times in the person's own zone, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import given, settings
from hypothesis import strategies as st

from slackapp.scheduling.occurrences import (
    EVERY_DAY,
    MONDAY_TO_FRIDAY,
    mask_to_weekdays,
    next_occurrence,
    weekdays_to_mask,
    zone_or_utc,
)

BERLIN = ZoneInfo("Europe/Berlin")


def nine_in_berlin(after: datetime) -> datetime | None:
    return next_occurrence(after=after, weekdays=EVERY_DAY, at=time(9), zone=BERLIN)


def test_nine_in_berlin_is_eight_utc_in_january_and_seven_in_july() -> None:
    assert nine_in_berlin(datetime(2027, 1, 4, 0, tzinfo=UTC)) == datetime(2027, 1, 4, 8, tzinfo=UTC)
    assert nine_in_berlin(datetime(2027, 7, 5, 0, tzinfo=UTC)) == datetime(2027, 7, 5, 7, tzinfo=UTC)


def test_a_time_skipped_by_spring_forward_fires_at_the_next_valid_minute() -> None:
    # 28 March 2027: Berlin clocks jump from 02:00 to 03:00; 02:30 does not exist.
    fired = next_occurrence(
        after=datetime(2027, 3, 27, 12, tzinfo=UTC), weekdays=EVERY_DAY, at=time(2, 30), zone=BERLIN
    )
    assert fired == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert fired.astimezone(BERLIN).strftime("%H:%M") == "03:00"


def test_a_time_repeated_by_fall_back_fires_once_at_its_first_occurrence() -> None:
    # 31 October 2027: Berlin clocks go back from 03:00 to 02:00; 02:30 happens twice.
    first = next_occurrence(
        after=datetime(2027, 10, 30, 12, tzinfo=UTC), weekdays=EVERY_DAY, at=time(2, 30), zone=BERLIN
    )
    assert first == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    following = next_occurrence(after=first, weekdays=EVERY_DAY, at=time(2, 30), zone=BERLIN)
    assert following == datetime(2027, 11, 1, 1, 30, tzinfo=UTC)


def test_only_chosen_weekdays_fire() -> None:
    friday_evening = datetime(2027, 1, 8, 18, tzinfo=UTC)
    fired = next_occurrence(after=friday_evening, weekdays=MONDAY_TO_FRIDAY, at=time(9), zone=BERLIN)
    assert fired is not None and fired.astimezone(BERLIN).date() == date(2027, 1, 11)


def test_a_pause_holds_reminders_until_the_day_they_come_back() -> None:
    fired = next_occurrence(
        after=datetime(2027, 1, 4, 0, tzinfo=UTC),
        weekdays=EVERY_DAY,
        at=time(9),
        zone=BERLIN,
        not_before_day=date(2027, 1, 10),
    )
    assert fired == datetime(2027, 1, 10, 8, tzinfo=UTC)


def test_no_chosen_day_means_no_reminder() -> None:
    assert (
        next_occurrence(after=datetime(2027, 1, 4, tzinfo=UTC), weekdays=frozenset(), at=time(9), zone=BERLIN)
        is None
    )


def test_weekday_masks_round_trip_and_unknown_zones_fall_back_to_utc() -> None:
    assert mask_to_weekdays(weekdays_to_mask({0, 3, 6})) == {0, 3, 6}
    assert zone_or_utc("Mars/Olympus") == (ZoneInfo("UTC"), False)
    assert zone_or_utc(None) == (ZoneInfo("UTC"), False)
    assert zone_or_utc("America/Los_Angeles") == (ZoneInfo("America/Los_Angeles"), True)


ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


@settings(max_examples=400, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    after=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)
    ),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
)
def test_the_next_reminder_is_soon_after_on_a_chosen_day_at_the_chosen_local_time(
    zone_name: str, after: datetime, at: time, weekdays: frozenset[int]
) -> None:
    zone = ZoneInfo(zone_name)
    fired = next_occurrence(after=after, weekdays=weekdays, at=at, zone=zone)
    assert fired is not None
    assert after < fired <= after + timedelta(days=8, hours=2)
    local = fired.astimezone(zone)
    wall = datetime.combine(local.date(), at)
    # The local time is the chosen one, or (when a transition skipped it) a little later.
    shift = local.replace(tzinfo=None) - wall
    assert timedelta(0) <= shift <= timedelta(hours=2)
    # Its local day is chosen, or the day after for a time skipped into tomorrow.
    assert local.weekday() in weekdays or (local - (shift)).weekday() in weekdays
    # Nothing earlier qualifies: one minute before, the next reminder is this same instant.
    assert next_occurrence(after=fired - timedelta(minutes=1), weekdays=weekdays, at=at, zone=zone) == fired
