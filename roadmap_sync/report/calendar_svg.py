"""Progress → an activity calendar in the style of GitHub's contribution graph (pure).

53 columns of ISO weeks (Monday on top, as in the burn-up chart) ending with the week of
the latest completion, one cell per UTC day shaded by the items closed as completed that
day, month labels along the top, Mon/Wed/Fri at the side, and under it the year's total
and the streaks in weeks. Anchored on the latest completion, never on today: the same
issues always draw the same bytes.
"""

from __future__ import annotations

from datetime import date

from . import activity
from .activity import DAYS_PER_WEEK, WEEKS
from .pace import last_done
from .progress import Progress
from .svg import INK, MUTED, Paint, document, num, text
from .text import plural

CELL, GAP = 11, 3  # GitHub's proportions: small squares, narrow gaps
PITCH = CELL + GAP
LEFT = 16 + 30  # the margin, then the weekday labels
TOP = 16 + 20  # the margin, then the month labels
RIGHT = 16
GRID_W = WEEKS * PITCH - GAP
GRID_H = DAYS_PER_WEEK * PITCH - GAP
WIDTH = LEFT + GRID_W + RIGHT
TOTALS_Y = TOP + GRID_H + 26
HEIGHT = TOTALS_Y + 16
FONT_SIZE = 12

# The shades of GitHub's own graph, none and four levels, light and dark.
LEVELS = (
    Paint("l0", "#ebedf0", "", "#161b22"),
    Paint("l1", "#9be9a8", "", "#0e4429"),
    Paint("l2", "#40c463", "", "#006d32"),
    Paint("l3", "#30a14e", "", "#26a641"),
    Paint("l4", "#216e39", "", "#39d353"),
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ((0, "Mon"), (2, "Wed"), (4, "Fri"))
MIN_LABEL_COLUMNS = 3  # a month label needs three columns before the next one


def level(count: int) -> int:
    """The shade of a day: 0 for none, then 1, 2, 3–4 and 5 or more items. A learner closes
    a few items a day at most, so the steps are small counts, not quartiles."""
    if count >= 5:
        return 4
    if count >= 3:
        return 3
    return count


def _month_labels(mondays: list[date]) -> list[str]:
    # A month is named above the first week that starts in it; the first column's month
    # only when the next label is far enough away not to overlap it.
    starts = [
        index
        for index, week in enumerate(mondays)
        if index == 0 or week.month != mondays[index - 1].month
    ]
    if len(starts) > 1 and starts[1] < MIN_LABEL_COLUMNS:
        starts = starts[1:]
    return [
        text(LEFT + index * PITCH, TOP - 8, MONTHS[mondays[index].month - 1], FONT_SIZE, MUTED)
        for index in starts
    ]


def _totals(done: int, until: str, streaks: activity.Streaks) -> str:
    """The sentence under the grid, its figures in bold. It holds no user text: figures,
    a date and fixed words, so nothing needs escaping."""

    def bold(figure: str) -> str:
        return f'<tspan font-weight="bold">{figure}</tspan>'

    return (
        f"{bold(str(done))} {'item' if done == 1 else 'items'} done in the year to {until} · "
        f"current streak {bold(plural(streaks.current, 'week'))} · "
        f"longest {bold(plural(streaks.longest, 'week'))}"
    )


def _legend() -> list[str]:
    # "Less ■■■■■ More", right-aligned on the totals line, as on GitHub.
    right = LEFT + GRID_W
    out = [text(right, TOTALS_Y, "More", FONT_SIZE, MUTED, anchor="end")]
    x = right - 34 - len(LEVELS) * PITCH
    for paint in LEVELS:
        out.append(
            f'<rect x="{num(x)}" y="{num(TOTALS_Y - CELL + 1)}" width="{CELL}" '
            f'height="{CELL}" rx="2" {paint.attrs()}/>'
        )
        x += PITCH
    out.append(
        text(right - 38 - len(LEVELS) * PITCH, TOTALS_Y, "Less", FONT_SIZE, MUTED, anchor="end")
    )
    return out


def calendar_svg(progress: Progress) -> str:
    """The activity calendar as a standalone SVG (``WIDTH`` × ``HEIGHT``). Every cell carries
    ``data-date`` and ``data-count``. With nothing done there are no cells, only a sentence
    saying so, at the same size: no date is made up (today would change the bytes)."""
    latest = last_done(progress)
    if latest is None:
        label = "Activity: nothing done yet"
        body = [
            text(
                WIDTH / 2,
                TOP + GRID_H / 2,
                "Nothing done yet: each item closed as completed will mark its day here.",
                13,
                MUTED,
                anchor="middle",
            )
        ]
        return document(WIDTH, HEIGHT, label, body, [MUTED])
    days = activity.calendar(progress)
    streaks = activity.streaks(progress)
    done, until = sum(day.count for day in days), latest.isoformat()
    label = (
        f"Activity: {plural(done, 'item')} done in the year to {until}; "
        f"current streak {plural(streaks.current, 'week')}, "
        f"longest {plural(streaks.longest, 'week')}"
    )
    body = _month_labels([day.day for day in days[::DAYS_PER_WEEK]])
    body += [
        text(LEFT - 6, TOP + row * PITCH + CELL - 1.5, name, FONT_SIZE - 1, MUTED, anchor="end")
        for row, name in WEEKDAYS
    ]
    for index, day in enumerate(days):
        column, row = divmod(index, DAYS_PER_WEEK)
        body.append(
            f'<rect x="{LEFT + column * PITCH}" y="{TOP + row * PITCH}" width="{CELL}" '
            f'height="{CELL}" rx="2" data-date="{day.day.isoformat()}" '
            f'data-count="{day.count}" {LEVELS[level(day.count)].attrs()}/>'
        )
    body.append(
        f'<text x="{LEFT}" y="{TOTALS_Y}" font-size="{FONT_SIZE}" {INK.attrs()}>'
        f"{_totals(done, until, streaks)}</text>"
    )
    body += _legend()
    return document(WIDTH, HEIGHT, label, body, [MUTED, *LEVELS])
