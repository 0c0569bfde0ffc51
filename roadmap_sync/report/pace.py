"""The pace: how many items were done lately and where that leads, from the issues' closing
dates (pure).

Dates are UTC calendar days (``closed_at`` in UTC), so where the tool runs changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .progress import Progress

WINDOW_DAYS = 28  # the pace is the last four weeks' rate: recent enough to be current
# A pace needs this much history: three items done in the first days would promise a finish
# date that the first quiet week breaks, which discourages more than it helps.
MIN_SPAN_DAYS = 14


@dataclass(frozen=True, slots=True)
class Pace:
    """The recent rate of completion and where it leads.

    ``done_last_4_weeks`` counts done items closed in the 28 days ending on ``as_of``
    (inclusive); ``per_week`` is that count / 4, rounded half up to one decimal, for display;
    ``remaining`` is every item not done and not skipped. ``finish`` is ``as_of`` plus
    ``ceil(remaining × 28 / done_last_4_weeks)`` days: the same four-week rate kept up,
    computed exactly in whole numbers (not from the rounded ``per_week``) and rounded up,
    so it never promises a day early. None when nothing remains.

    ``since`` is the day of the first completion and ``done_since`` how many are done since
    then. While fewer than ``MIN_SPAN_DAYS`` lie between the first and the latest completion
    there is no pace yet: ``per_week`` and ``finish`` are None (``settled`` is False).
    """

    as_of: date
    since: date
    done_since: int
    done_last_4_weeks: int
    per_week: float | None
    remaining: int
    finish: date | None

    @property
    def settled(self) -> bool:
        """Whether there is enough history for a rate and a finish date."""
        return self.per_week is not None


def last_done(progress: Progress) -> date | None:
    """The day the latest done item was closed, None when nothing (dated) is done."""
    return progress.done_days[-1] if progress.done_days else None


def pace(progress: Progress, as_of: date) -> Pace | None:
    """The pace over the 28 days ending on ``as_of``; None when nothing was done in them.

    The README asks as of ``last_done`` (so a daily run changes nothing); ``status`` may
    ask as of today, where a quiet month rightly means no pace.
    """
    dates = [day for day in progress.done_days if day <= as_of]
    start = as_of - timedelta(days=WINDOW_DAYS)
    recent = sum(1 for day in dates if start < day)
    if recent == 0:
        return None
    remaining = progress.countable - progress.done
    since = dates[0]
    if (dates[-1] - since).days < MIN_SPAN_DAYS:
        return Pace(as_of, since, len(dates), recent, None, remaining, None)
    per_week = float((Decimal(recent) / 4).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    finish = None
    if remaining > 0:
        # Integer arithmetic: no float can make two runs disagree about the day.
        finish = as_of + timedelta(days=-(-remaining * WINDOW_DAYS // recent))
    return Pace(as_of, since, len(dates), recent, per_week, remaining, finish)


def sentence(found: Pace | None) -> str:
    """``At 3.5 items/week: done around 2027-05-14.``, or while there is no pace yet
    ``3 done since 2027-01-04: a pace and a finish date come after two weeks.``;
    ``""`` without a pace or with nothing left to do."""
    if found is None:
        return ""
    if not found.settled:
        return (
            f"{found.done_since} done since {found.since.isoformat()}: "
            "a pace and a finish date come after two weeks."
        )
    if found.finish is None:
        return ""
    return f"At {found.per_week:.1f} items/week: done around {found.finish.isoformat()}."


def readme_pace(progress: Progress) -> Pace | None:
    """The pace as of the latest completion: what the README shows, stable from day to day."""
    latest = last_done(progress)
    return None if latest is None else pace(progress, latest)
