"""Activity: items done per day, the calendar's year of days, and streaks of weeks (pure).

Everything is anchored on the latest completion, never on today, so the same issues always
give the same numbers (and the same picture bytes). Days are UTC calendar days, as
``Progress.done_days`` gives them, so the machine's time zone changes nothing. Weeks are ISO
weeks, Monday to Sunday, as in the burn-up chart (GitHub's contribution graph starts its
weeks on Sunday; agreeing with our own chart matters more here).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from .pace import readme_pace
from .progress import Progress

WEEKS = 53  # the calendar's columns: a year of weeks, as many as GitHub shows
DAYS_PER_WEEK = 7


@dataclass(frozen=True, slots=True)
class Streaks:
    """Runs of consecutive ISO weeks with at least one item done, counted in weeks.

    ``current`` is the run ending with the week of the latest completion (at least 1 once
    anything is done); ``longest`` is the longest run. Both are 0 when nothing is done.
    """

    current: int
    longest: int


@dataclass(frozen=True, slots=True)
class Day:
    """One day of the calendar and how many items were closed as completed on it."""

    day: date
    count: int


def monday(day: date) -> date:
    """The Monday starting ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def daily_counts(progress: Progress) -> dict[date, int]:
    """Items closed as completed on each UTC day that has any, oldest day first."""
    return dict(sorted(Counter(progress.done_days).items()))


def window(progress: Progress) -> tuple[date, date] | None:
    """The calendar's first and last day: the 53 ISO weeks (Monday to Sunday) ending with
    the week of the latest completion; None when nothing (dated) is done."""
    if not progress.done_days:
        return None
    latest = monday(progress.done_days[-1])
    last = latest + timedelta(days=DAYS_PER_WEEK - 1)
    first = latest - timedelta(weeks=WEEKS - 1)
    return first, last


def calendar(progress: Progress) -> tuple[Day, ...]:
    """Every day of ``window``, oldest first, with its count (0 on quiet days): 53 × 7 days,
    the days after the latest completion in its week included, so the grid is always whole.
    Empty when nothing is done."""
    span = window(progress)
    if span is None:
        return ()
    counts = daily_counts(progress)
    first, _ = span
    days = (first + timedelta(days=n) for n in range(WEEKS * DAYS_PER_WEEK))
    return tuple(Day(day, counts.get(day, 0)) for day in days)


def done_last_28_days(progress: Progress) -> int:
    """Items done in the 28 days ending with the latest completion's day, inclusive: the
    README pace's own count, so the card and the pace never disagree."""
    found = readme_pace(progress)
    return 0 if found is None else found.done_last_4_weeks


def streaks(progress: Progress) -> Streaks:
    """The current and the longest run of consecutive ISO weeks with an item done.

    Weeks are compared by their Mondays, seven days apart, so a run carries across the end
    of a year (2026-W53 is followed by 2027-W01) with no special case.
    """
    weeks = sorted({monday(day) for day in progress.done_days})
    if not weeks:
        return Streaks(0, 0)
    longest = run = 1
    for previous, week in pairwise(weeks):
        run = run + 1 if week - previous == timedelta(weeks=1) else 1
        longest = max(longest, run)
    return Streaks(run, longest)  # the last run ends with the latest completion's week
