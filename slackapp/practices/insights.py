"""Aggregate-only figures for HR leads, with k-anonymity: no figure may single out fewer than k people.

Every figure of a week stands on a count of distinct people in the program (the week's population P):
people who opened a kind moment from the prompt, people who tapped "This helped", people who received
a shout-out. A figure is shown only when P >= k and its people count c satisfies k <= c <= P - k, so
neither the figure nor its complement (P - c, derivable from what is shown) describes fewer than k
people. The figures of a row count different, overlapping sets, so no shown figure (nor a sum of
them) lets a hidden one be derived; nothing is totalled across weeks. When P < k the whole row is
hidden. Which side of the threshold hid a figure is not said either.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_K = 3
BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Figure:
    """One figure of a week; its words are copy, in templates/modals/insights.json.j2."""

    value: int | None  # None when not shown
    hidden_below: int | None = None  # a hidden population: the k it fell short of


@dataclass(frozen=True)
class WeekCounts:
    """A closed week's raw counts, over the people in the program when it closed."""

    people: int
    took_moment: int
    helped: int
    shoutouts: int
    shoutout_recipients: int


@dataclass(frozen=True)
class PublishedWeek:
    """What may be shown of a week; None where a figure is suppressed."""

    people: int | None
    took_moment: int | None
    helped: int | None
    shoutouts: int | None


def effective_k(configured: int) -> int:
    return max(MIN_K, configured)


def publishable(counts: WeekCounts, *, k: int) -> PublishedWeek:
    """The week's figures with every one that (or whose complement) describes fewer than k people hidden."""
    k = effective_k(k)
    population = counts.people
    if population < k:
        return PublishedWeek(None, None, None, None)

    def shown(people: int, value: int) -> int | None:
        return value if k <= people <= population - k else None

    return PublishedWeek(
        people=population,
        took_moment=shown(counts.took_moment, counts.took_moment),
        helped=shown(counts.helped, counts.helped),
        shoutouts=shown(counts.shoutout_recipients, counts.shoutouts),
    )


def figure(value: int | None) -> Figure:
    return Figure(value)


def people_figure(value: int | None, *, k: int) -> Figure:
    """A week's population: hidden when fewer than k."""
    return Figure(value, None if value is not None else effective_k(k))


def sparkline(values: list[int | None], populations: list[int | None]) -> str:
    """One character a week: the share who took a kind moment as a bar, `·` where it is not shown."""
    return "".join(
        "·"
        if value is None or not population
        else BARS[min(len(BARS) - 1, value * len(BARS) // (population + 1))]
        for value, population in zip(values, populations, strict=True)
    )
