"""The burn-up and the pace, from fixed closing dates: exact series, figures and dates, the
Mermaid block's grammar, and an SVG that parses, renders and never changes for one state."""

from __future__ import annotations

import random
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_sync.model.roadmap import Item, Kind, Phase, Roadmap
from roadmap_sync.report import burnup
from roadmap_sync.report import pace as pacing
from roadmap_sync.report.pace import Pace
from roadmap_sync.report.progress import Progress, progress
from roadmap_sync.trackers.base import RemoteIssue, Snapshot

SVG = "{http://www.w3.org/2000/svg}"
UTC = timezone.utc
T0 = datetime(2023, 12, 1, tzinfo=UTC)


def at(day: str, hour: int = 12, tz: timezone = UTC) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tz).replace(hour=hour)


def state(
    done: list[datetime | None],
    *,
    skipped: int = 0,
    open_items: int = 0,
    shuffle: int | None = None,
) -> Progress:
    """A two-phase roadmap: ``done`` items closed at those times (None: no closed_at), then
    ``skipped`` closed as not planned (with a closing time, which must not count), then
    ``open_items`` still open. ``shuffle`` reorders the issues, which must change nothing."""
    count = len(done) + skipped + open_items
    items = tuple(Item(f"i{n}", f"Item {n}", Kind.TOPIC) for n in range(count))
    half = count // 2
    roadmap = Roadmap(
        "R", (Phase("p", 1, "One", topics=items[:half]), Phase("q", 2, "Two", topics=items[half:]))
    )
    issues = []
    for n, item in enumerate(items):
        body = f"<!-- roadmap-sync:item={item.id} -->\nmanaged\n<!-- roadmap-sync:end -->"
        if n < len(done):
            closed, reason, when = "closed", "completed", done[n]
        elif n < len(done) + skipped:
            closed, reason, when = "closed", "not_planned", at("2024-01-10")
        else:
            closed, reason, when = "open", None, None
        issues.append(
            RemoteIssue(n + 1, item.title, body, closed, reason, ("roadmap",), None, T0, T0, when)
        )
    if shuffle is not None:
        random.Random(shuffle).shuffle(issues)
    return progress(roadmap, Snapshot((), (), tuple(issues)))


# Wednesday 3 and Sunday 7 January 2024 share a week; Monday 8 starts the next; two quiet
# weeks; Monday 29. In UTC, 2024-01-07 23:30 at UTC-5 is already Monday the 8th.
DATES = [
    at("2024-01-03"),
    at("2024-01-07", 23),
    at("2024-01-07", 23, timezone(timedelta(hours=-5))),
    at("2024-01-29", 0),
]
SERIES = [
    (date(2024, 1, 1), 2),
    (date(2024, 1, 8), 3),
    (date(2024, 1, 15), 3),
    (date(2024, 1, 22), 3),
    (date(2024, 1, 29), 4),
]


def test_weekly_series() -> None:
    assert burnup.weekly(state(DATES, skipped=1, open_items=5)) == SERIES
    assert burnup.weekly(state(DATES[::-1], open_items=2, shuffle=3)) == SERIES
    assert pacing.last_done(state(DATES)) == date(2024, 1, 29)


def test_weekly_leaves_out_what_it_cannot_date() -> None:
    assert burnup.weekly(state([None, at("2024-02-01")])) == [(date(2024, 1, 29), 1)]
    assert burnup.weekly(state([None], skipped=2, open_items=1)) == []
    assert burnup.weekly(state([], open_items=3)) == []
    assert pacing.last_done(state([], open_items=3)) is None


def test_one_week() -> None:
    assert burnup.weekly(state([at("2024-03-04", 0), at("2024-03-10", 23)])) == [
        (date(2024, 3, 4), 2)
    ]


# 20 items, 2 skipped, 8 done: 18 to do, 10 remaining.
PACE_DATES = [at(d) for d in ("2024-01-02", "2024-01-30", "2024-02-01", "2024-02-10")]
PACE_DATES += [at(d) for d in ("2024-02-12", "2024-02-20", "2024-02-26", "2024-02-27")]


FIRST = date(2024, 1, 2)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # The 28 days ending on 27 February are 31 Jan .. 27 Feb: 6 items, 30 Jan just out.
        (date(2024, 2, 27), Pace(date(2024, 2, 27), FIRST, 8, 6, 1.5, 10, date(2024, 4, 14))),
        # 30 Jan .. 26 Feb: 30 January is in, 27 February (after as_of) is not.
        (date(2024, 2, 26), Pace(date(2024, 2, 26), FIRST, 7, 6, 1.5, 10, date(2024, 4, 13))),
        # 5 items: 1.25 a week shows as 1.3 (half up); the date keeps 1.25 (10 × 28 / 5).
        (date(2024, 2, 25), Pace(date(2024, 2, 25), FIRST, 6, 5, 1.3, 10, date(2024, 4, 21))),
        (date(2024, 2, 2), Pace(date(2024, 2, 2), FIRST, 3, 2, 0.5, 10, date(2024, 6, 21))),
        # One completion so far: less than two weeks of history, no rate and no finish yet.
        (date(2024, 1, 29), Pace(date(2024, 1, 29), FIRST, 1, 1, None, 10, None)),
        # 27 February's completion is in the 28 days up to 25 March, not those up to 26 March.
        (date(2024, 3, 25), Pace(date(2024, 3, 25), FIRST, 8, 1, 0.3, 10, date(2024, 12, 30))),
        (date(2024, 3, 26), None),
        (date(2024, 1, 1), None),
    ],
)
def test_pace(as_of: date, expected: Pace | None) -> None:
    report = state(PACE_DATES, skipped=2, open_items=10)
    assert pacing.pace(report, as_of) == expected


def test_the_readme_pace_is_as_of_the_latest_completion() -> None:
    report = state(PACE_DATES, skipped=2, open_items=10)
    assert pacing.readme_pace(report) == pacing.pace(report, date(2024, 2, 27))
    assert pacing.sentence(pacing.readme_pace(report)) == (
        "At 1.5 items/week: done around 2024-04-14."
    )
    assert pacing.readme_pace(state([], open_items=1)) is None


def test_sentence() -> None:
    # 14 items in four weeks (over exactly two of them), 24 left: 24 × 28 / 14 = 48 days.
    dates = [at("2027-03-13")] * 2 + [at("2027-03-27")] * 12
    report = state(dates, open_items=24)
    found = pacing.pace(report, date(2027, 3, 27))
    assert found == Pace(date(2027, 3, 27), date(2027, 3, 13), 14, 14, 3.5, 24, date(2027, 5, 14))
    assert pacing.sentence(found) == "At 3.5 items/week: done around 2027-05-14."
    assert pacing.sentence(None) == ""
    finished = pacing.readme_pace(state(dates, skipped=3))
    assert finished is not None
    assert (finished.remaining, finished.finish) == (0, None)
    assert pacing.sentence(finished) == ""


def test_no_pace_before_two_weeks_of_history() -> None:
    # Three items in the first thirteen days: a rate from them would promise too much.
    report = state([at("2027-03-01"), at("2027-03-05"), at("2027-03-14")], open_items=40)
    early = pacing.readme_pace(report)
    assert early == Pace(date(2027, 3, 14), date(2027, 3, 1), 3, 3, None, 40, None)
    assert not early.settled
    assert pacing.sentence(early) == (
        "3 done since 2027-03-01: a pace and a finish date come after two weeks."
    )
    # One more day of history is enough.
    later = pacing.readme_pace(state([at("2027-03-01"), at("2027-03-15")], open_items=40))
    assert later is not None
    assert later.settled
    assert pacing.sentence(later) == "At 0.5 items/week: done around 2028-09-25."  # 40 × 14 days


MERMAID_EXPECTED = """```mermaid
xychart-beta
    title "Burn-up: items done by week"
    x-axis ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29"]
    y-axis "Items done" 0 --> 9
    line [2, 3, 3, 3, 4]
```
"""


def test_mermaid_block() -> None:
    # 4 done, 1 skipped, 5 open: the goal is 9, not 10 (skipped items leave it).
    assert burnup.mermaid(state(DATES, skipped=1, open_items=5)) == MERMAID_EXPECTED
    assert burnup.mermaid(state([None], open_items=3)) == ""


def parse_mermaid(block: str) -> tuple[list[str], int, list[int]]:
    """Check the block against the xychart-beta grammar we emit; return (x labels, y max,
    line values)."""
    lines = block.split("\n")
    assert lines[0] == "```mermaid"
    assert lines[-2:] == ["```", ""]
    body = [line.strip() for line in lines[1:-2]]
    assert body[0] == "xychart-beta"
    rest = body[1:]
    if rest and rest[0].startswith("title "):
        assert re.fullmatch(r'title "[^"\n]*"', rest[0])
        rest = rest[1:]
    assert len(rest) == 3, rest
    x_axis = re.fullmatch(r"x-axis \[(.*)\]", rest[0])
    y_axis = re.fullmatch(r'y-axis "[^"]+" 0 --> (\d+)', rest[1])
    line = re.fullmatch(r"line \[(.*)\]", rest[2])
    assert x_axis, rest[0]
    assert y_axis, rest[1]
    assert line, rest[2]
    labels = re.findall(r'"([^"]*)"', x_axis.group(1))
    assert ", ".join(f'"{label}"' for label in labels) == x_axis.group(1)
    values = [int(value) for value in line.group(1).split(", ")]
    assert len(labels) == len(values)
    assert values == sorted(values)
    top = int(y_axis.group(1))
    assert values[0] >= 0
    assert values[-1] <= top
    return labels, top, values


def svg_root(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    return root


def polyline(root: ET.Element) -> list[tuple[float, float]]:
    (line,) = root.iter(f"{SVG}polyline")
    pairs = [pair.split(",") for pair in line.get("points", "").split()]
    return [(float(x), float(y)) for x, y in pairs]


def test_svg_chart() -> None:
    report = state(DATES, skipped=1, open_items=5)
    text = burnup.svg(report)
    root = svg_root(text)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[0] == "Burn-up: 4/9 · 44% done · 1 skipped"
    assert root.findtext(f"{SVG}title") == "Burn-up: 4/9 · 44% done · 1 skipped"
    assert "goal: 9 items" in texts
    assert "2024-01-29" in texts  # the latest week always has its date
    points = polyline(root)
    assert len(points) == 5
    assert [x for x, _ in points] == sorted(x for x, _ in points)
    assert [y for _, y in points] == sorted((y for _, y in points), reverse=True)  # y grows down
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1
    assert dashed[0].get("y1") == dashed[0].get("y2")
    assert float(dashed[0].get("y1", "")) < min(y for _, y in points)
    assert len(list(root.iter(f"{SVG}circle"))) == 5
    # Every coordinate is printed as an integer or with one decimal: no float noise.
    for element in root.iter():
        for name in ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy"):
            assert re.fullmatch(r"\d+(\.\d)?", element.get(name, "0")), (element.tag, name)
        for pair in element.get("points", "").split():
            assert re.fullmatch(r"\d+(\.\d)?,\d+(\.\d)?", pair), pair
    assert "id=" not in text


def test_svg_is_deterministic() -> None:
    first = burnup.svg(state(DATES, skipped=1, open_items=5))
    assert burnup.svg(state(DATES[::-1], skipped=1, open_items=5, shuffle=7)) == first
    assert burnup.svg(state(DATES, skipped=1, open_items=5)) == first


def test_svg_with_nothing_done_is_still_an_image() -> None:
    root = svg_root(burnup.svg(state([None], open_items=2)))
    assert root.findtext(f"{SVG}title") == "Burn-up: nothing done yet"
    assert not list(root.iter(f"{SVG}polyline"))


def test_a_long_history_keeps_labels_apart() -> None:
    report = state([T0 + timedelta(days=9 * n) for n in range(80)], open_items=3)
    root = svg_root(burnup.svg(report))
    assert len(polyline(root)) == len(burnup.weekly(report)) == 103
    dates = [t for t in root.iter(f"{SVG}text") if re.fullmatch(r"\d{4}-\d\d-\d\d", t.text or "")]
    xs = [float(t.get("x", "")) for t in dates]
    assert 3 <= len(xs) <= 7
    assert min(b - a for a, b in pairwise(xs)) >= burnup.LABEL_SPACING - 1
    assert dates[-1].text == burnup.weekly(report)[-1][0].isoformat()
    assert not list(root.iter(f"{SVG}circle"))  # 103 dots would merge into a smear


def test_svg_renders_with_librsvg(tmp_path: Path) -> None:
    source = tmp_path / "burnup.svg"
    source.write_text(burnup.svg(state(DATES, open_items=3)), encoding="utf-8")
    subprocess.run(["rsvg-convert", str(source), "-o", str(tmp_path / "burnup.png")], check=True)
    assert (tmp_path / "burnup.png").read_bytes().startswith(b"\x89PNG")


DAYS = st.lists(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2026, 12, 31)).map(
        lambda moment: moment.replace(tzinfo=UTC)
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(done=DAYS, skipped=st.integers(0, 3), open_items=st.integers(0, 5))
def test_any_history(done: list[datetime], skipped: int, open_items: int) -> None:
    report = state(list(done), skipped=skipped, open_items=open_items)
    series = burnup.weekly(report)
    weeks = [week for week, _ in series]
    assert all(week.weekday() == 0 for week in weeks)
    assert all(b - a == timedelta(days=7) for a, b in pairwise(weeks))
    assert weeks[0] <= min(done).date() < weeks[0] + timedelta(days=7)
    assert weeks[-1] <= max(done).date() < weeks[-1] + timedelta(days=7)
    assert series[-1][1] == len(done)
    labels, top, values = parse_mermaid(burnup.mermaid(report))
    assert labels == [week.isoformat() for week in weeks]
    assert values == [count for _, count in series]
    assert top == len(done) + open_items
    assert len(polyline(svg_root(burnup.svg(report)))) == len(series)
    found = pacing.readme_pace(report)
    assert found is not None
    assert 1 <= found.done_last_4_weeks <= len(done)
    days = report.done_days
    span = (days[-1] - days[0]).days
    assert found.settled == (span >= pacing.MIN_SPAN_DAYS)
    assert (found.finish is None) == (open_items == 0 or not found.settled)
    if found.finish is not None:
        # The finish keeps the four-week rate: not a day sooner, less than a day later.
        days = (found.finish - found.as_of).days
        rate = found.done_last_4_weeks / 28
        assert days - 1 < open_items / rate <= days
