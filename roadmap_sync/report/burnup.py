"""Progress → a burn-up chart (Mermaid and SVG), from the issues' closing dates.

There is no history file: each done item's issue says when it was closed, so the state is
the history and the same state always draws the same bytes. Everything here is pure.
Dates are UTC calendar days (``closed_at`` in UTC), so where the tool runs changes nothing;
weeks are ISO weeks, starting on Monday.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from .activity import DAYS_PER_WEEK, monday
from .progress import Progress
from .svg import MUTED, Paint, document, num, text

MERMAID_TITLE = "Burn-up: items done by week"
Y_LABEL = "Items done"


def weekly(progress: Progress) -> list[tuple[date, int]]:
    """(Monday of each ISO week, items done by the end of that week), oldest first.

    From the week of the first completion to the week of the latest one, never to today
    (so a run on a later day draws the same chart); quiet weeks are present, carrying the
    total forward. Empty when nothing is done.
    """
    dates = progress.done_days
    if not dates:
        return []
    series = []
    week, last = monday(dates[0]), monday(dates[-1])
    seen = 0
    while week <= last:
        end = week + timedelta(days=DAYS_PER_WEEK - 1)
        while seen < len(dates) and dates[seen] <= end:
            seen += 1
        series.append((week, seen))
        week += timedelta(weeks=1)
    return series


def mermaid(progress: Progress) -> str:
    """The burn-up as a fenced Mermaid ``xychart-beta`` block (GitHub draws it), ending in a
    newline; ``""`` when nothing is done. It holds no user text, so nothing needs escaping."""
    series = weekly(progress)
    if not series:
        return ""
    labels = ", ".join(f'"{week.isoformat()}"' for week, _ in series)
    values = ", ".join(str(done) for _, done in series)
    return (
        "```mermaid\n"
        "xychart-beta\n"
        f'    title "{MERMAID_TITLE}"\n'
        f"    x-axis [{labels}]\n"
        f'    y-axis "{Y_LABEL}" 0 --> {progress.countable}\n'
        f"    line [{values}]\n"
        "```\n"
    )


# The SVG: a fixed canvas, drawn on the pictures' shared frame (report/svg.py).
WIDTH, HEIGHT = 560, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 36, 44, 40
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
X_PAD = 28  # the first and last weeks sit this far inside the axes, so their labels fit
LABEL_SPACING = 80  # px per x label: an ISO date at 10px is about 60px wide
DOT_SPACING = 12  # px between points below which dots would merge into a thick line
GRID = Paint("grid", "", "#eaeef2", "", "#21262d")
AXIS = Paint("axis", "", "#59636e", "", "#9198a1")  # the muted ink, as a stroke
LINE = Paint("line", "none", "#0969da", "", "#4493f8")
AREA = Paint("area", "#0969da", "", "#4493f8")  # under the line, and its dots


def _y_step(top: int) -> int:
    # The smallest 1-2-5 step giving at most five gridlines above zero.
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if top <= 5 * factor * magnitude:
                return factor * magnitude
        magnitude *= 10


def _x_labels(count: int) -> list[int]:
    """The indexes of the weeks that get a date label, spaced so labels never overlap,
    counted back from the latest week: the most recent date is the one worth reading."""
    span = PLOT_W - 2 * X_PAD
    every = max(1, math.ceil((count - 1) * LABEL_SPACING / span))
    return sorted(range(count - 1, -1, -every))


def svg(progress: Progress) -> str:
    """The burn-up as a small standalone SVG: cumulative items done per week, a dashed goal
    line, axes, week ticks and a title. Always a valid image (it says so when nothing is
    done yet), readable in light and dark themes."""
    series = weekly(progress)
    title = f"Burn-up: {progress.fraction} done{progress.skipped_note}"
    title = title if series else "Burn-up: nothing done yet"
    body = [text(WIDTH / 2, 24, title, 14, anchor="middle", bold=True)]
    if series:
        body += _plot(series, progress.countable)
    else:
        message = "Closed issues will draw the line here."
        body.append(text(WIDTH / 2, TOP + PLOT_H / 2, message, 12, MUTED, anchor="middle"))
    return document(WIDTH, HEIGHT, title, body, (MUTED, GRID, AXIS, LINE, AREA))


def _line(x1: float, y1: float, x2: float, y2: float, paint: Paint, extra: str = "") -> str:
    coords = f'x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}"'
    return f"<line {coords} {paint.attrs()}{' ' + extra if extra else ''}/>"


def _plot(series: list[tuple[date, int]], goal: int) -> list[str]:
    bottom = TOP + PLOT_H
    right = LEFT + PLOT_W

    def y(value: int) -> float:
        return bottom - value * PLOT_H / goal

    def x(index: int) -> float:
        # One week sits in the middle; more spread evenly between the padded edges.
        if len(series) == 1:
            return LEFT + PLOT_W / 2
        return LEFT + X_PAD + index * (PLOT_W - 2 * X_PAD) / (len(series) - 1)

    out = []
    step = _y_step(goal)
    for value in range(0, goal + 1, step):
        if value and goal - value < step / 2:
            continue  # too close to the goal line, which carries its own label
        out.append(_line(LEFT, y(value), right, y(value), GRID))
        out.append(text(LEFT - 6, y(value) + 3.5, str(value), 10, MUTED, anchor="end"))
    out.append(
        _line(LEFT, y(goal), right, y(goal), AXIS, 'stroke-width="1.5" stroke-dasharray="5 4"')
    )
    out.append(text(LEFT - 6, y(goal) + 3.5, str(goal), 10, anchor="end", bold=True))
    # Top left: a burn-up climbs from the bottom left, so the line never gets there.
    out.append(text(LEFT + 6, y(goal) - 5, f"goal: {goal} items", 10, MUTED))
    out.append(_line(LEFT, TOP, LEFT, bottom, AXIS))
    out.append(_line(LEFT, bottom, right, bottom, AXIS))
    labelled = set(_x_labels(len(series)))
    for index, (week, _) in enumerate(series):
        length = 5 if index in labelled else 3
        out.append(_line(x(index), bottom, x(index), bottom + length, AXIS))
        if index in labelled:
            out.append(text(x(index), bottom + 17, week.isoformat(), 10, MUTED, anchor="middle"))
    points = " ".join(f"{num(x(i))},{num(y(done))}" for i, (_, done) in enumerate(series))
    first, last = num(x(0)), num(x(len(series) - 1))
    out.append(
        f'<polygon points="{first},{bottom} {points} {last},{bottom}" {AREA.attrs()} '
        'fill-opacity="0.12"/>'
    )
    out.append(
        f'<polyline points="{points}" {LINE.attrs()} stroke-width="2" stroke-linejoin="round"/>'
    )
    if len(series) == 1 or (PLOT_W - 2 * X_PAD) / (len(series) - 1) >= DOT_SPACING:
        out += [
            f'<circle cx="{num(x(i))}" cy="{num(y(done))}" r="3" {AREA.attrs()}/>'
            for i, (_, done) in enumerate(series)
        ]
    return out
