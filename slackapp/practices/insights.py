"""Aggregate-only figures for HR leads, with k-anonymity: no figure may single out fewer than k people.

A count is shown only when the program has at least k people, the count is at least k, and so is its
complement (program size minus the count): otherwise "fewer than k" (or "suppressed") stands in.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_K = 3
BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Figure:
    value: int | None  # None when suppressed
    text: str


def effective_k(configured: int) -> int:
    return max(MIN_K, configured)


def people_figure(count: int, *, population: int, k: int) -> Figure:
    """A count of people within a population of `population` people."""
    k = effective_k(k)
    if population < k:
        return Figure(None, f"fewer than {k} people in the program")
    if count < k:
        return Figure(None, f"fewer than {k}")
    if population - count < k:
        return Figure(None, "suppressed (nearly everyone)")
    return Figure(count, str(count))


def event_figure(count: int, *, population: int, k: int) -> Figure:
    """A count of things (shout-outs, taps), shown under the same thresholds as people."""
    k = effective_k(k)
    if population < k:
        return Figure(None, f"fewer than {k} people in the program")
    if count < k:
        return Figure(None, f"fewer than {k}")
    return Figure(count, str(count))


def sparkline(values: list[int | None], *, population: int) -> str:
    """One character a week: participation as a bar, `·` where the figure is suppressed."""
    if population <= 0:
        return "·" * len(values)
    return "".join(
        "·" if value is None else BARS[min(len(BARS) - 1, value * len(BARS) // (population + 1))]
        for value in values
    )
