"""Progress → a burn-up chart (Mermaid and SVG) and the pace, from the issues' closing dates.

There is no history file: each done item's issue says when it was closed, so the state is
the history and the same state always draws the same bytes. Everything here is pure.
Dates are UTC calendar days (``closed_at`` in UTC), so where the tool runs changes nothing;
weeks are ISO weeks, starting on Monday.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from .progress import Progress, Status

WINDOW_DAYS = 28  # the pace is the last four weeks' rate: recent enough to be current
MERMAID_TITLE = "Burn-up: items done by week"
Y_LABEL = "Items done"


@dataclass(frozen=True, slots=True)
class Pace:
    """The recent rate of completion and where it leads.

    ``done_last_4_weeks`` counts done items closed in the 28 days ending on ``as_of``
    (inclusive); ``per_week`` is that count / 4, rounded half up to one decimal, for display;
    ``remaining`` is every item not done and not skipped. ``finish`` is ``as_of`` plus
    ``ceil(remaining × 28 / done_last_4_weeks)`` days: the same four-week rate kept up,
    computed exactly in whole numbers (not from the rounded ``per_week``) and rounded up,
    so it never promises a day early. None when nothing remains.
    """

    as_of: date
    done_last_4_weeks: int
    per_week: float
    remaining: int
    finish: date | None


def _day(moment: datetime) -> date:
    # GitHub's times are UTC; a naive datetime (a hand-written tracker file) is taken as UTC.
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(timezone.utc).date()


def done_dates(progress: Progress) -> tuple[date, ...]:
    """The UTC closing day of every done item, oldest first.

    A done item without ``closed_at`` cannot be placed in time and is left out; GitHub
    and the local tracker both record the time, so only a hand-made state lacks it.
    """
    return tuple(
        sorted(
            _day(i.closed_at)
            for i in progress.items
            if i.status is Status.DONE and i.closed_at is not None
        )
    )


def last_done(progress: Progress) -> date | None:
    """The day the latest done item was closed, None when nothing (dated) is done."""
    dates = done_dates(progress)
    return dates[-1] if dates else None


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


def scope(progress: Progress) -> int:
    """What the burn-up climbs to: every item but the skipped ones.

    Skipped items leave the goal as they leave the percent's denominator, so the line
    reaches the goal exactly when the roadmap reads 100%.
    """
    return progress.total - progress.skipped


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
        f'    y-axis "{Y_LABEL}" 0 --> {scope(progress)}\n'
        f"    line [{values}]\n"
        "```\n"
    )


def pace(progress: Progress, as_of: date) -> Pace | None:
    """The pace over the 28 days ending on ``as_of``; None when nothing was done in them.

    The README asks as of ``last_done`` (so a daily run changes nothing); ``status`` may
    ask as of today, where a quiet month rightly means no pace.
    """
    start = as_of - timedelta(days=WINDOW_DAYS)
    recent = sum(1 for day in done_dates(progress) if start < day <= as_of)
    if recent == 0:
        return None
    per_week = float((Decimal(recent) / 4).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    remaining = scope(progress) - progress.done
    finish = None
    if remaining > 0:
        # Integer arithmetic: no float can make two runs disagree about the day.
        finish = as_of + timedelta(days=-(-remaining * WINDOW_DAYS // recent))
    return Pace(as_of, recent, per_week, remaining, finish)


def sentence(found: Pace | None) -> str:
    """``At 3.5 items/week: done around 2027-05-14.``; ``""`` without a pace or a finish."""
    if found is None or found.finish is None:
        return ""
    return f"At {found.per_week:.1f} items/week: done around {found.finish.isoformat()}."


def readme_pace(progress: Progress) -> Pace | None:
    """The pace as of the latest completion: what the README shows, stable from day to day."""
    latest = last_done(progress)
    return None if latest is None else pace(progress, latest)


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
    goal = scope(progress)
    done = series[-1][1] if series else 0
    title = f"Burn-up: {done} of {goal} items done" if series else "Burn-up: nothing done yet"
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
