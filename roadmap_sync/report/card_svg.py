"""Progress → a shareable progress card, 1200 × 630 (the social-preview size) (pure).

On the left the roadmap's title and goal and a bar per phase; on the right the overall
percent as a ring, ``done/countable``, the current streak and the items done in the 28 days
ending with the latest completion. Anchored on the latest completion like the calendar, so
the same issues always draw the same bytes.
"""

from __future__ import annotations

import math
from datetime import date

from . import activity
from .pace import last_done
from .progress import PhaseProgress, Progress
from .svg import (
    ACCENT,
    MUTED,
    TRACK,
    Paint,
    bar,
    document,
    ellipsize,
    num,
    text,
    text_width,
    wrap,
)
from .text import plural

WIDTH, HEIGHT = 1200, 630
PAD = 64
LEFT_W = 660  # the title, goal and phase bars
RING_X, RING_Y, RING_R, RING_STROKE = 968.0, 196.0, 112.0, 24.0
PANEL = Paint("panel", "#f6f8fa", "#d0d7de", "#161b22", "#30363d")
# The ring and the rule between the figures are strokes: paints of their own.
RING = Paint("ring", "none", TRACK.fill, "", TRACK.dark_fill)
RING_DONE = Paint("ring-done", "none", ACCENT.fill, "", ACCENT.dark_fill)
RULE = Paint("rule", "", PANEL.stroke, "", PANEL.dark_stroke)
BARS_TOP, BARS_BOTTOM = 318.0, 570.0
MAX_BAR_ROWS = 8  # per column; more phases take a second column
MAX_BARS = 16  # more than this: the first 15, then "and N more"


def _heading(progress: Progress) -> list[str]:
    out = [
        text(PAD, 92, "LEARNING ROADMAP", 17, MUTED, bold=True, extra='letter-spacing="2"'),
    ]
    y = 150.0
    for line in wrap(progress.roadmap.title, LEFT_W, 46, 2, bold=True):
        out.append(text(PAD, y, line, 46, bold=True))
        y += 56
    y -= 10
    for line in wrap(progress.roadmap.goal, LEFT_W, 24, 2):
        out.append(text(PAD, y, line, 24, MUTED))
        y += 32
    return out


def _bars(phases: tuple[PhaseProgress, ...]) -> list[str]:
    shown: list[tuple[str, int | None]] = [(p.phase.title, p.percent) for p in phases]
    if len(shown) > MAX_BARS:
        rest = len(shown) - (MAX_BARS - 1)
        shown = [*shown[: MAX_BARS - 1], (f"and {plural(rest, 'more phase')}", None)]
    columns = 1 if len(shown) <= MAX_BAR_ROWS else 2
    rows = max(1, math.ceil(len(shown) / columns))
    pitch = min(46.0, (BARS_BOTTOM - BARS_TOP) / rows)
    width = (LEFT_W - (columns - 1) * 32) / columns
    out = []
    for index, (name, percent) in enumerate(shown):
        column, row = divmod(index, rows)
        x = PAD + column * (width + 32)
        y = BARS_TOP + row * pitch
        if percent is None:
            out.append(text(x, y + 16, name, 16, MUTED))
            continue
        label = ellipsize(name, width - 56, 16)
        out.append(text(x, y + 16, label, 16))
        out.append(text(x + width, y + 16, f"{percent}%", 16, MUTED, anchor="end", bold=True))
        out += bar(x, y + 23, width, 8, percent)
    return out


def _ring(progress: Progress) -> list[str]:
    circumference = 2 * math.pi * RING_R
    center = f'cx="{num(RING_X)}" cy="{num(RING_Y)}" r="{num(RING_R)}"'
    out = [f'<circle {center} stroke-width="{num(RING_STROKE)}" {RING.attrs()}/>']
    if progress.percent:
        arc = circumference * progress.percent / 100
        # Drawn from twelve o'clock, clockwise; the dash is the done part of the circle.
        out.append(
            f'<circle {center} stroke-width="{num(RING_STROKE)}" {RING_DONE.attrs()} '
            'stroke-linecap="round" '
            f'stroke-dasharray="{num(arc)} {num(circumference)}" '
            f'transform="rotate(-90 {num(RING_X)} {num(RING_Y)})"/>'
        )
    out.append(text(RING_X, RING_Y + 22, f"{progress.percent}%", 64, anchor="middle", bold=True))
    out.append(text(RING_X, RING_Y + RING_R + 66, f"{progress.fraction} done", 24, anchor="middle"))
    return out


def _fit(words: str, width: float, size: float) -> float:
    """The largest font size up to ``size`` (in steps of 2 px) at which bold ``words``
    fit in ``width``: "104 weeks" gets smaller rather than crossing the rule."""
    while size > 12 and text_width(words, size, bold=True) > width:
        size -= 2
    return size


def _stats(streak: int, recent: int, latest: date | None) -> list[str]:
    since = f"to {latest.isoformat()}" if latest else "nothing done yet"
    left, right, y = RING_X - 150, RING_X + 14, 440.0
    weeks, items = plural(streak, "week"), plural(recent, "item")
    return [
        f'<line x1="{num(RING_X)}" y1="{num(y - 6)}" x2="{num(RING_X)}" y2="{num(y + 94)}" '
        f"{RULE.attrs()}/>",
        text(left, y + 34, weeks, _fit(weeks, 140, 34), bold=True),
        text(left, y + 62, "current streak", 17, MUTED),
        text(left, y + 84, "(weeks in a row)", 15, MUTED),
        text(right, y + 34, items, _fit(items, 140, 34), bold=True),
        text(right, y + 62, "done in 28 days", 17, MUTED),
        text(right, y + 84, since, 15, MUTED),
    ]


def _label(progress: Progress, streak: int, recent: int, latest: date | None) -> str:
    label = f"Progress card: {progress.roadmap.title}, {progress.fraction} done"
    if latest is None:
        return label + "; nothing done yet"
    return (
        f"{label}; current streak {plural(streak, 'week')}; {plural(recent, 'item')} done in "
        f"the 28 days to {latest.isoformat()}"
    )


def card_svg(progress: Progress) -> str:
    """The progress card as a standalone SVG of exactly 1200 × 630: title and goal (wrapped
    to two lines each, then "…"), a bar per phase with its percent, the overall percent as
    a ring with ``progress.fraction`` under it, the current streak in weeks and the items
    done in the 28 days ending with the latest completion."""
    body = [
        f'<rect x="0" y="0" width="{WIDTH}" height="8" {ACCENT.attrs()}/>',
        f'<rect x="{num(RING_X - 192)}" y="40" width="384" height="{HEIGHT - 80}" rx="16" '
        f"{PANEL.attrs()}/>",
    ]
    figures = (
        activity.streaks(progress).current,
        activity.done_last_28_days(progress),
        last_done(progress),
    )
    body += _heading(progress) + _bars(progress.phases) + _ring(progress) + _stats(*figures)
    body.append(text(WIDTH - PAD, HEIGHT - 12, "roadmap-sync", 13, MUTED, anchor="end"))
    paints = [MUTED, TRACK, ACCENT, PANEL, RING, RING_DONE, RULE]
    return document(WIDTH, HEIGHT, _label(progress, *figures), body, paints, radius=0)
