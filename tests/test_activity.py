"""Activity from closing dates: counts per UTC day, the calendar's 53 ISO weeks, items done
in its year and in the last 28 days, and streaks of weeks, all anchored on the latest
completion."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_sync.report import activity
from roadmap_sync.report.activity import Day, Streaks
from tests.test_burnup import at, state

EST = timezone(timedelta(hours=-5))
IST = timezone(timedelta(hours=5, minutes=30))


def test_nothing_done() -> None:
    for report in (state([], open_items=3), state([None], skipped=2, open_items=1)):
        assert activity.streaks(report) == Streaks(0, 0)
        assert activity.daily_counts(report) == {}
        assert activity.window(report) is None
        assert activity.calendar(report) == ()
        assert activity.done_last_28_days(report) == 0


def test_one_completion() -> None:
    report = state([at("2024-05-15")], skipped=1, open_items=2)
    assert activity.streaks(report) == Streaks(1, 1)
    assert activity.daily_counts(report) == {date(2024, 5, 15): 1}
    assert sum(d.count for d in activity.calendar(report)) == 1
    assert activity.done_last_28_days(report) == 1


def test_counts_per_utc_day() -> None:
    # Two on 3 January (one at 23:59 UTC), one closed on 7 January at 23:30 in New York,
    # which is already the 8th in UTC; the skipped item's closing time counts for nothing.
    report = state(
        [at("2024-01-03", 0), at("2024-01-03", 23), at("2024-01-07", 23, EST), None],
        skipped=1,
        open_items=2,
    )
    assert activity.daily_counts(report) == {date(2024, 1, 3): 2, date(2024, 1, 8): 1}
    assert list(activity.daily_counts(report)) == [date(2024, 1, 3), date(2024, 1, 8)]


def test_the_calendar_is_53_whole_iso_weeks_ending_with_the_latest_completion() -> None:
    # Wednesday 13 March 2024: its week runs from Monday 11 to Sunday 17 March, and the
    # calendar starts 52 weeks before that Monday, on Monday 13 March 2023.
    report = state([at("2024-03-13"), at("2024-03-12"), at("2024-03-12")], open_items=1)
    assert activity.window(report) == (date(2023, 3, 13), date(2024, 3, 17))
    days = activity.calendar(report)
    assert len(days) == 53 * 7 == 371
    assert days[0] == Day(date(2023, 3, 13), 0)
    assert days[-1] == Day(date(2024, 3, 17), 0)
    assert [d.day for d in days] == [date(2023, 3, 13) + timedelta(n) for n in range(371)]
    assert {d.day: d.count for d in days if d.count} == {
        date(2024, 3, 12): 2,
        date(2024, 3, 13): 1,
    }
    assert all(d.day.weekday() == n % 7 for n, d in enumerate(days))


def test_the_calendar_counts_only_its_own_weeks() -> None:
    # The window starts Monday 13 March 2023: the 12th (a Sunday) is out, the 13th in.
    report = state(
        [at("2023-03-12"), at("2023-03-13"), at("2023-12-25"), at("2024-03-13")], open_items=4
    )
    assert sum(d.count for d in activity.calendar(report)) == 3
    assert len(report.done_days) == 4


def test_done_in_the_last_28_days_ends_with_the_latest_completion() -> None:
    # The 28 days ending on 29 February 2024 start on 2 February: 1 February is out.
    days = ["2024-02-01", "2024-02-02", "2024-02-15", "2024-02-29", "2024-02-29"]
    report = state([at(d) for d in days], open_items=5)
    assert activity.done_last_28_days(report) == 4
    # Never today: the same issues give the same count on any later day.
    assert activity.done_last_28_days(state([at("2001-01-01")], open_items=1)) == 1


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        # Consecutive ISO weeks: Mon 1, Sun 14 and Mon 15 January 2024.
        (["2024-01-01", "2024-01-14", "2024-01-15"], Streaks(3, 3)),
        # Two in one week are one week.
        (["2024-01-01", "2024-01-07"], Streaks(1, 1)),
        # A quiet week (15-21 January) breaks the run: the current streak starts after it.
        (["2024-01-01", "2024-01-08", "2024-01-12", "2024-01-22"], Streaks(1, 2)),
        (["2024-01-01", "2024-01-15", "2024-01-22", "2024-01-29"], Streaks(3, 3)),
        (["2024-01-01", "2024-01-08", "2024-01-15", "2024-02-05", "2024-02-12"], Streaks(2, 3)),
        # Across the new year: Thursday 31 December 2026 is in 2026-W53, Monday 4 January
        # 2027 starts 2027-W01, the very next week.
        (["2026-12-31", "2027-01-04"], Streaks(2, 2)),
        (["2026-12-21", "2026-12-31", "2027-01-03", "2027-01-04", "2027-01-11"], Streaks(4, 4)),
        # Sunday 3 January 2027 is still in 2026-W53: after a quiet 2027-W01, 2027-W02 is alone.
        (["2026-12-31", "2027-01-03", "2027-01-11"], Streaks(1, 1)),
        # 2020 has a week 53 too, 2021-W01 starts on 4 January.
        (["2020-12-28", "2021-01-04"], Streaks(2, 2)),
    ],
)
def test_streaks(days: list[str], expected: Streaks) -> None:
    assert activity.streaks(state([at(d) for d in days], open_items=1)) == expected
    assert activity.streaks(state([at(d) for d in reversed(days)], shuffle=5)) == expected


def test_iso_weeks_of_the_year_boundary() -> None:
    assert date(2026, 12, 31).isocalendar()[:2] == (2026, 53)
    assert date(2027, 1, 3).isocalendar()[:2] == (2026, 53)
    assert date(2027, 1, 4).isocalendar()[:2] == (2027, 1)
    assert activity.monday(date(2027, 1, 3)) == date(2026, 12, 28)


def test_a_closing_time_counts_on_its_utc_day() -> None:
    # Sunday 7 January 23:30 in New York is Monday 8 January in UTC: the week after the
    # first completion's, so two weeks in a row (one, if the local day counted).
    report = state([at("2024-01-01"), at("2024-01-07", 23, EST)], open_items=1)
    assert activity.streaks(report) == Streaks(2, 2)
    # Monday 8 January 02:00 in India is still Sunday 7 January in UTC: the same week.
    report = state([at("2024-01-01"), at("2024-01-08", 2, IST)], open_items=1)
    assert activity.streaks(report) == Streaks(1, 1)
    assert activity.daily_counts(report) == {date(2024, 1, 1): 1, date(2024, 1, 7): 1}


def _reference_streaks(days: list[date]) -> Streaks:
    # Another way to count: number every ISO (year, week) from a fixed origin, then look
    # for runs of consecutive numbers.
    if not days:
        return Streaks(0, 0)
    origin = date.fromisocalendar(2000, 1, 1)
    numbers = sorted(
        {(date.fromisocalendar(*d.isocalendar()[:2], 1) - origin).days // 7 for d in days}
    )
    runs = [1]
    for previous, number in pairwise(numbers):
        runs.append(runs[-1] + 1 if number == previous + 1 else 1)
    return Streaks(runs[-1], max(runs))


MOMENTS = st.lists(
    st.datetimes(min_value=datetime(2020, 11, 1), max_value=datetime(2021, 3, 1)),
    max_size=30,
).map(lambda moments: [m.replace(tzinfo=timezone.utc) for m in moments])


@settings(max_examples=150, deadline=None)
@given(moments=MOMENTS)
def test_streaks_agree_with_iso_week_numbers(moments: list[datetime]) -> None:
    report = state(list(moments), open_items=1)
    found = activity.streaks(report)
    assert found == _reference_streaks([m.date() for m in moments])
    assert found.current <= found.longest
    assert (found.current >= 1) == bool(moments)
    days = activity.calendar(report)
    assert sum(d.count for d in days) == len(moments) == len(report.done_days)
