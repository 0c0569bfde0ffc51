"""Progress → the roadmap map: every phase a column of item boxes coloured by status, the
needs drawn as connectors between them, and a legend (pure).

The geometry is ``map_layout``'s (columns of 122 px, equal boxes of three lines, at most
seven columns to a band) and the connectors ``map_routes``'s (only through the gutters and
the gaps between rows). Topics are rounded boxes, projects square ones with a stripe down
their left side; the status shows as the box's colours, a skipped item's title is struck
through on a faded, dashed box.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.roadmap import Kind
from ..sync.status import Status
from . import map_layout, map_routes
from .map_layout import BOX_H, COLUMN, FONT_SIZE, LINE, MARGIN, TITLE_H
from .progress import ItemProgress, PhaseProgress, Progress
from .svg import (
    ACCENT,
    INK,
    MUTED,
    TRACK,
    Paint,
    bar,
    document,
    ellipsize,
    esc,
    num,
    text,
    text_width,
    wrap,
)
from .text import plural

LINES = 3  # an item's title: at most three lines, then "…"
PAD_X = 7
STRIPE = 4  # a project's left stripe
LEGEND_GAP, LEGEND_ROW = 34, 24


@dataclass(frozen=True, slots=True)
class Look:
    """How one status draws: its legend label, the box's paint, its text's paint, and
    whether the border is dashed."""

    label: str
    box: Paint
    ink: Paint
    dashed: bool = False


# Primer's colours, opaque in both schemes: green for done (as the bars), blue for the work
# at hand, grey for to do, faded for skipped. Blocked is a to-do box with an orange border:
# waiting, not failing, and at the start most of a roadmap waits, so it must stay calm.
LOOKS = {
    "done": Look("done", Paint("done", "#dafbe1", "#1a7f37", "#0f2d1a", "#2ea043"), INK),
    "in-progress": Look(
        "in progress", Paint("doing", "#ddf4ff", "#0969da", "#0c2d4f", "#4493f8"), INK
    ),
    "blocked": Look("blocked", Paint("blocked", "#f6f8fa", "#d18616", "#161b22", "#bb8009"), INK),
    "todo": Look("to do", Paint("todo", "#f6f8fa", "#8c959f", "#161b22", "#6e7681"), INK),
    "skipped": Look(
        "skipped", Paint("skipped", "#ffffff", "#d0d7de", "#0d1117", "#3d444d"), MUTED, True
    ),
}
# A project's stripe: its status's border colour, as a fill.
STRIPES = {
    key: Paint(f"{look.box.name}-s", look.box.stroke, "", look.box.dark_stroke)
    for key, look in LOOKS.items()
}
STATUS_KEYS = {
    Status.DONE: "done",
    Status.IN_PROGRESS: "in-progress",
    Status.SKIPPED: "skipped",
    Status.TODO: "todo",
}


def status_key(entry: ItemProgress) -> str:
    """An item's ``data-status``: ``done``, ``in-progress``, ``skipped``, ``todo``, or
    ``blocked`` for an item to do that waits on a need (one already started shows as started:
    what the learner does wins over what the roadmap advises)."""
    if entry.blocked and entry.status is Status.TODO:
        return "blocked"
    return STATUS_KEYS[entry.status]


def _title(progress: Progress, width: int) -> list[str]:
    summary = f"{progress.fraction} done"
    room = width - 2 * MARGIN - text_width(summary, 13) - 24
    title = ellipsize(progress.roadmap.title, room, 16, bold=True)
    return [
        text(MARGIN, TITLE_H - 18, title, 16, bold=True),
        text(width - MARGIN, TITLE_H - 18, summary, 13, MUTED, anchor="end"),
    ]


def _header(phase: PhaseProgress, x: float, top: float) -> list[str]:
    name = wrap(phase.phase.title, COLUMN, FONT_SIZE, 3, bold=True)
    out = [f'<g data-phase="{phase.phase.number}">', f"<title>{esc(phase.phase.title)}</title>"]
    out += [text(x, top + 12 + n * LINE, line, FONT_SIZE, bold=True) for n, line in enumerate(name)]
    # The fraction alone: a skipped item shows as such in its box.
    out.append(text(x, top + 57, ellipsize(phase.fraction, COLUMN, FONT_SIZE), FONT_SIZE, MUTED))
    out += bar(x, top + 63, COLUMN, 4, phase.percent)
    out.append("</g>")
    return out


def _box(entry: ItemProgress, x: float, y: float) -> list[str]:
    key = status_key(entry)
    look = LOOKS[key]
    project = entry.item.kind is Kind.PROJECT
    left = x + (STRIPE if project else 0) + PAD_X
    lines = wrap(entry.item.title, x + COLUMN - PAD_X - left, FONT_SIZE, LINES)
    dash = ' stroke-dasharray="4 3"' if look.dashed else ""
    out = [
        f'<g data-item="{esc(entry.item.id)}" data-status="{key}">',
        f"<title>{esc(entry.item.title)}</title>",
        f'<rect x="{num(x + 0.5)}" y="{num(y + 0.5)}" width="{COLUMN - 1}" height="{BOX_H - 1}" '
        f'rx="{2 if project else 8}" {look.box.attrs()}{dash}/>',
    ]
    if project:
        out.append(
            f'<rect x="{num(x + 1)}" y="{num(y + 1)}" width="{STRIPE}" height="{BOX_H - 2}" '
            f"{STRIPES[key].attrs()}/>"
        )
    # The lines sit in the middle of the box, whichever of one to three there are.
    first = y + BOX_H / 2 - (len(lines) - 1) * LINE / 2 + FONT_SIZE * 0.35
    # On each line's tspan: librsvg does not carry a text's decoration into its tspans.
    struck = ' text-decoration="line-through"' if key == "skipped" else ""
    spans = "".join(
        f'<tspan x="{num(left)}" y="{num(first + n * LINE)}"{struck}>{esc(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    out.append(f'<text font-size="{FONT_SIZE}" {look.ink.attrs()}>{spans}</text>')
    out.append("</g>")
    return out


def _swatch(key: str, x: float, y: float, project: bool = False) -> list[str]:
    look = LOOKS[key]
    dash = ' stroke-dasharray="3 2"' if look.dashed else ""
    out = [
        f'<rect x="{num(x + 0.5)}" y="{num(y + 0.5)}" width="21" height="13" '
        f'rx="{1 if project else 4}" {look.box.attrs()}{dash}/>'
    ]
    if project:
        out.append(
            f'<rect x="{num(x + 1)}" y="{num(y + 1)}" width="3" height="12" '
            f"{STRIPES[key].attrs()}/>"
        )
    return out


def _legend(width: int, top: float) -> tuple[list[str], float]:
    """The legend's elements, flowing onto more rows when the picture is narrow, and the
    baseline of its last row."""
    entries = [(key, LOOKS[key].label) for key in LOOKS]
    entries += [("topic", "topic"), ("project", "project"), ("needs", "needs → item")]
    out: list[str] = []
    x, y = float(MARGIN), top
    for key, label in entries:
        step = 28 + text_width(label, FONT_SIZE) + 18
        if x + step > width - MARGIN and x > MARGIN:
            x, y = float(MARGIN), y + LEGEND_ROW
        if key == "needs":
            out += map_routes.sample(x, y - 4, 22)
        else:
            status = "todo" if key in ("topic", "project") else key
            out += _swatch(status, x, y - 11, project=key == "project")
        out.append(text(x + 28, y, label, FONT_SIZE, MUTED))
        x += step
    return out, y


def _label(progress: Progress) -> str:
    # Counted as the boxes show them (status_key), so the label and the picture agree: an
    # item started while still waiting on a need counts as in progress, as its box shows.
    keys = [status_key(entry) for entry in progress.items]
    extras = [
        f"{keys.count(key)} {LOOKS[key].label}"
        for key in ("in-progress", "blocked", "skipped")
        if key in keys
    ]
    return (
        f"Roadmap map of {progress.roadmap.title}: {progress.done} of "
        f"{plural(progress.countable, 'item')} done" + "".join(f", {e}" for e in extras)
    )


def map_svg(progress: Progress) -> str:
    """The roadmap map as a standalone SVG: a column per phase headed ``Phase N: Name`` with
    its fraction and bar, a box per item (a ``<g>`` with ``data-item`` and ``data-status``,
    its full title in a ``<title>``) showing the title in at most three lines, connectors
    from each need to the item needing it, and a legend. Its size follows from the number
    of phases and of items in the longest one."""
    layout = map_layout.grid(progress.phases)
    spots = map_layout.places(progress.phases, layout)
    legend, last = _legend(layout.width, layout.bottom + LEGEND_GAP)
    body = _title(progress, layout.width)
    body += map_routes.connectors(progress, spots, layout)
    for index, phase in enumerate(progress.phases):
        body += _header(phase, *map_layout.phase_spot(index, layout))
        for entry in phase.items:
            spot = spots[entry.item.id]
            body += _box(entry, spot.x, spot.y)
    body += legend
    paints = [MUTED, TRACK, ACCENT, map_routes.EDGE, map_routes.HEAD]
    paints += [look.box for look in LOOKS.values()] + list(STRIPES.values())
    return document(layout.width, int(last + 16), _label(progress), body, paints)
