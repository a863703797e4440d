"""k-anonymity of insights: no figure, alone or with its complement, describes fewer than k people."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from slackapp.practices.insights import MIN_K, WeekCounts, effective_k, publishable, sparkline


def counts(
    people: int, *, took: int = 0, helped: int = 0, shoutouts: int = 0, recipients: int = 0
) -> WeekCounts:
    return WeekCounts(people, took, helped, shoutouts, recipients)


def test_k_is_never_below_three() -> None:
    assert effective_k(1) == MIN_K and effective_k(7) == 7


def test_four_of_seven_is_not_shown_under_k_five() -> None:
    assert publishable(counts(7, took=4), k=5).took_moment is None
    assert publishable(counts(12, took=5), k=5).took_moment == 5


def test_a_small_program_shows_no_figure_at_all() -> None:
    assert publishable(counts(4, took=9, helped=9, shoutouts=9, recipients=4), k=5) == publishable(
        counts(4), k=5
    )
    assert publishable(counts(4), k=5).people is None


def test_this_helped_gets_the_same_threshold_and_complement_as_every_figure() -> None:
    assert publishable(counts(20, helped=4), k=5).helped is None  # too few
    assert publishable(counts(20, helped=16), k=5).helped is None  # too few did not
    assert publishable(counts(20, helped=15), k=5).helped == 15


def test_shout_outs_are_shown_only_when_enough_people_received_them() -> None:
    assert publishable(counts(20, shoutouts=12, recipients=1), k=5).shoutouts is None  # all to one person
    assert publishable(counts(20, shoutouts=12, recipients=6), k=5).shoutouts == 12


@given(
    population=st.integers(0, 200),
    took=st.integers(0, 200),
    helped=st.integers(0, 200),
    recipients=st.integers(0, 200),
    k=st.integers(1, 12),
)
def test_every_shown_figure_and_its_complement_describe_at_least_k_people(
    population: int, took: int, helped: int, recipients: int, k: int
) -> None:
    took, helped, recipients = (min(n, population) for n in (took, helped, recipients))
    shown = publishable(
        counts(population, took=took, helped=helped, shoutouts=recipients, recipients=recipients), k=k
    )
    k = effective_k(k)
    if shown.people is None:
        assert shown == publishable(counts(0), k=k)
        return
    for value in (shown.took_moment, shown.helped, shown.shoutouts):
        if value is not None:
            assert value >= k and population - value >= k


def test_the_sparkline_marks_suppressed_weeks() -> None:
    line = sparkline([None, 5, 10, None], [20, 20, 20, None])
    assert len(line) == 4 and line[0] == "·" and line[3] == "·" and line[1] != line[2]
