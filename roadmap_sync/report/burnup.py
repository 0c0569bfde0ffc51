"""Progress → a burn-up chart (Mermaid and SVG), from the issues' closing dates.

There is no history file: each done item's issue says when it was closed, so the state is
the history and the same state always draws the same bytes. Everything here is pure.
Dates are UTC calendar days (``closed_at`` in UTC), so where the tool runs changes nothing;
weeks are ISO weeks, starting on Monday.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from .pace import done_dates
from .progress import Progress

MERMAID_TITLE = "Burn-up: items done by week"
Y_LABEL = "Items done"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly(progress: Progress) -> list[tuple[date, int]]:
    """(Monday of each ISO week, items done by the end of that week), oldest first.

    From the week of the first completion to the week of the latest one, never to today
    (so a run on a later day draws the same chart); quiet weeks are present, carrying the
    total forward. Empty when nothing is done.
    """
    dates = done_dates(progress)
    if not dates:
        return []
    series = []
    week = _monday(dates[0])
    last = _monday(dates[-1])
    seen = 0
    while week <= last:
        end = week + timedelta(days=6)
        while seen < len(dates) and dates[seen] <= end:
            seen += 1
        series.append((week, seen))
        week += timedelta(days=7)
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


# The SVG: a fixed canvas, coordinates printed with one decimal so the bytes never drift.
WIDTH, HEIGHT = 560, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 36, 44, 40
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
X_PAD = 28  # the first and last weeks sit this far inside the axes, so their labels fit
LABEL_SPACING = 80  # px per x label: an ISO date at 10px Verdana is about 60px wide
DOT_SPACING = 12  # px between points below which dots would merge into a thick line
FONT = "Verdana,Geneva,DejaVu Sans,sans-serif"
INK, MUTED, GRID, LINE = "#24292f", "#57606a", "#eaeef2", "#0969da"


def _f(value: float) -> str:
    return f"{value:.1f}"


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
    done yet), with a white background so it reads on GitHub's dark theme too. It holds no
    user text, so nothing needs escaping."""
    series = weekly(progress)
    goal = progress.countable
    title = f"Burn-up: {progress.fraction} done{progress.skipped_note}"
    title = title if series else "Burn-up: nothing done yet"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{title}">',
        f"<title>{title}</title>",
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}" rx="6" '
        'fill="#ffffff" stroke="#d0d7de"/>',
        f'<g font-family="{FONT}" fill="{INK}">',
        f'<text x="{_f(WIDTH / 2)}" y="24.0" font-size="14" font-weight="bold" '
        f'text-anchor="middle">{title}</text>',
    ]
    if series:
        out += _plot(series, goal)
    else:
        out.append(
            f'<text x="{_f(WIDTH / 2)}" y="{_f(TOP + PLOT_H / 2)}" font-size="12" '
            f'fill="{MUTED}" text-anchor="middle">Closed issues will draw the line here.</text>'
        )
    out += ["</g>", "</svg>"]
    return "\n".join(out) + "\n"


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
        out.append(
            f'<line x1="{LEFT}" y1="{_f(y(value))}" x2="{right}" y2="{_f(y(value))}" '
            f'stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{_f(y(value) + 3.5)}" font-size="10" fill="{MUTED}" '
            f'text-anchor="end">{value}</text>'
        )
    out.append(
        f'<line x1="{LEFT}" y1="{_f(y(goal))}" x2="{right}" y2="{_f(y(goal))}" '
        f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="5 4"/>'
    )
    out.append(
        f'<text x="{LEFT - 6}" y="{_f(y(goal) + 3.5)}" font-size="10" font-weight="bold" '
        f'text-anchor="end">{goal}</text>'
    )
    out.append(
        # Top left: a burn-up climbs from the bottom left, so the line never gets there.
        f'<text x="{LEFT + 6}" y="{_f(y(goal) - 5)}" font-size="10" fill="{MUTED}">'
        f"goal: {goal} items</text>"
    )
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="{MUTED}"/>')
    out.append(f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}"/>')
    labelled = set(_x_labels(len(series)))
    for index, (week, _) in enumerate(series):
        tick = _f(x(index))
        length = 5 if index in labelled else 3
        out.append(
            f'<line x1="{tick}" y1="{bottom}" x2="{tick}" y2="{bottom + length}" stroke="{MUTED}"/>'
        )
        if index in labelled:
            out.append(
                f'<text x="{tick}" y="{bottom + 17}" font-size="10" fill="{MUTED}" '
                f'text-anchor="middle">{week.isoformat()}</text>'
            )
    points = " ".join(f"{_f(x(i))},{_f(y(done))}" for i, (_, done) in enumerate(series))
    first, last = _f(x(0)), _f(x(len(series) - 1))
    out.append(
        f'<polygon points="{first},{bottom} {points} {last},{bottom}" fill="{LINE}" '
        'fill-opacity="0.12"/>'
    )
    out.append(
        f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2" '
        'stroke-linejoin="round"/>'
    )
    if len(series) == 1 or (PLOT_W - 2 * X_PAD) / (len(series) - 1) >= DOT_SPACING:
        out += [
            f'<circle cx="{_f(x(i))}" cy="{_f(y(done))}" r="3" fill="{LINE}"/>'
            for i, (_, done) in enumerate(series)
        ]
    return out
