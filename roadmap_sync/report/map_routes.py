"""The roadmap map's connectors: one from each need's box to the box of the item needing it,
routed through the free lanes of the grid so that no connector crosses a box (pure).

Routes are orthogonal with rounded corners and use only the gutters between columns and the
gaps between rows (``map_layout``):

- a need in the next column (or the previous one): out of the facing side, along the
  gutter between the two, into the item: an elbow;
- a need in the same column (a phase's own order, the common case): out of its right side,
  along the gutter on the right, back into the item's right side: a loop;
- a need further away, or in another band: along its gutter to the gap just above the
  item's row, across it to the item's gutter, then into the item.

A connector leaves a box a little below its middle and enters one a little above it, so a
chain of needs down a phase reads as separate arrows. Connectors sharing a gutter (or a
gap) get separate lanes a couple of pixels apart wherever their spans overlap, so they stay
distinguishable; all are thin and light with a small arrowhead at the item, so even a
hundred of them stay behind the boxes they join.
"""

from __future__ import annotations

from dataclasses import dataclass

from .map_layout import ROW_GAP, Grid, Place
from .progress import Progress
from .svg import Paint, num

EDGE = Paint("edge", "none", "#c8d1da", "", "#3d444d")  # light: a hundred of them must not shout
HEAD = Paint("edge-h", "#8c959f", "", "#8b949e", "")
GUTTER_LANES = (0.0, -2.5, 2.5, -5.0, 5.0)  # offsets in a gutter (16 px): 3 px clear of boxes
GAP_LANES = (0.0, -2.0, 2.0)  # offsets in a gap between rows (10 px)
OUT, IN = 6.0, -6.0  # where a connector leaves and enters a box, from its middle
RADIUS = 4.0
ARROW = 5.0

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class _Plan:
    """A connector before its lanes are known: its ends, the gutters it runs along (one
    for an elbow or a loop, two with the gap between), and the gap's row, if any."""

    start: Point
    end: Point
    direction: int  # 1: it enters the item's left side, rightwards; -1: its right side
    gutters: tuple[int, ...]
    gap: tuple[int, int] | None
    gap_y: float


def _plan(need: Place, item: Place) -> _Plan:
    if item.column > need.column:
        start, source = (need.right, need.middle + OUT), need.column + 1
        end, target, direction = (item.x, item.middle + IN), item.column, 1
    elif item.column < need.column:
        start, source = (need.x, need.middle + OUT), need.column
        end, target, direction = (item.right, item.middle + IN), item.column + 1, -1
    else:
        start, source = (need.right, need.middle + OUT), need.column + 1
        end, target, direction = (item.right, item.middle + IN), item.column + 1, -1
    if source == target:
        return _Plan(start, end, direction, (source,), None, 0.0)
    gap_y = item.y - ROW_GAP / 2
    return _Plan(start, end, direction, (source, target), (item.band, item.row), gap_y)


def _spans(plan: _Plan, layout: Grid) -> list[tuple[tuple[str, int, int], float, float]]:
    """The stretches of lane a connector occupies: (lane key, from, to), vertical ones in
    gutters, the horizontal one in a gap."""
    (_, y1), (_, y2) = plan.start, plan.end
    if plan.gap is None:
        return [(("gutter", plan.gutters[0], 0), min(y1, y2), max(y1, y2))]
    source, target = plan.gutters
    x1, x2 = layout.gutter(source), layout.gutter(target)
    return [
        (("gutter", source, 0), min(y1, plan.gap_y), max(y1, plan.gap_y)),
        (("gap", *plan.gap), min(x1, x2), max(x1, x2)),
        (("gutter", target, 0), min(plan.gap_y, y2), max(plan.gap_y, y2)),
    ]


def _lanes(spans: list[tuple[tuple[str, int, int], float, float]]) -> list[int]:
    """A lane for each span: the first lane of its gutter or gap that is free over the
    whole span (interval colouring, in order of where spans begin); when every lane is
    taken, the one that frees up first."""
    order = sorted(range(len(spans)), key=lambda n: (spans[n][0], spans[n][1], spans[n][2], n))
    ends: dict[tuple[str, int, int], list[float]] = {}
    out = [0] * len(spans)
    for index in order:
        key, low, high = spans[index]
        count = len(GUTTER_LANES if key[0] == "gutter" else GAP_LANES)
        taken = ends.setdefault(key, [-1e9] * count)
        free = [lane for lane in range(count) if taken[lane] < low - 1]
        lane = free[0] if free else min(range(count), key=lambda n: (taken[n], n))
        taken[lane] = high
        out[index] = lane
    return out


def _points(plan: _Plan, lanes: list[int], layout: Grid) -> list[Point]:
    def x(gutter: int, lane: int) -> float:
        return layout.gutter(gutter) + GUTTER_LANES[lane]

    sy, ty = plan.start[1], plan.end[1]
    if plan.gap is None:
        lane_x = x(plan.gutters[0], lanes[0])
        return [plan.start, (lane_x, sy), (lane_x, ty), plan.end]
    x1, x2 = x(plan.gutters[0], lanes[0]), x(plan.gutters[1], lanes[2])
    y = plan.gap_y + GAP_LANES[lanes[1]]
    return [plan.start, (x1, sy), (x1, y), (x2, y), (x2, ty), plan.end]


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def _path(points: list[Point]) -> str:
    """An SVG path through ``points`` (each segment horizontal or vertical) with every
    corner rounded by a quadratic curve."""
    corners = [points[0]]
    for index in range(1, len(points) - 1):
        (ax, ay), (bx, by), (cx, cy) = corners[-1], points[index], points[index + 1]
        if (bx, by) != (ax, ay) and not (ax == bx == cx or ay == by == cy):
            corners.append(points[index])  # a real corner: neither repeated nor in line
    corners.append(points[-1])
    out = f"M{num(corners[0][0])} {num(corners[0][1])}"
    for index in range(1, len(corners) - 1):
        (ax, ay), (bx, by), (cx, cy) = corners[index - 1], corners[index], corners[index + 1]
        before = min(RADIUS, (abs(bx - ax) + abs(by - ay)) / 2)
        after = min(RADIUS, (abs(cx - bx) + abs(cy - by)) / 2)
        px, py = bx - before * _sign(bx - ax), by - before * _sign(by - ay)
        qx, qy = bx + after * _sign(cx - bx), by + after * _sign(cy - by)
        out += f"L{num(px)} {num(py)}Q{num(bx)} {num(by)} {num(qx)} {num(qy)}"
    return out + f"L{num(corners[-1][0])} {num(corners[-1][1])}"


def _edge(points: list[Point], direction: int) -> list[str]:
    (x, y) = points[-1]
    back = x - ARROW * direction
    # The line stops where the arrowhead starts, so the head's tip stays sharp.
    line = _path([*points[:-1], (back, y)])
    head = f"M{num(x)} {num(y)}L{num(back)} {num(y - 3)}L{num(back)} {num(y + 3)}Z"
    return [f'<path d="{line}" {EDGE.attrs()}/>', f'<path d="{head}" {HEAD.attrs()}/>']


def connectors(progress: Progress, spots: dict[str, Place], layout: Grid) -> list[str]:
    """Every need's connector, in roadmap order (each item's needs in their order), in one
    group to be drawn under the boxes; empty when no item has needs."""
    plans = [
        _plan(spots[need], spots[entry.item.id])
        for entry in progress.items
        for need in entry.item.needs
        if need in spots  # the loader refuses unknown needs; a hand-made roadmap may not
    ]
    spans = [_spans(plan, layout) for plan in plans]
    lanes = _lanes([span for group in spans for span in group])
    out = []
    for plan, group in zip(plans, spans, strict=True):
        mine, lanes = lanes[: len(group)], lanes[len(group) :]
        out += _edge(_points(plan, mine, layout), plan.direction)
    return ['<g stroke-width="1">', *out, "</g>"] if out else []


def sample(x: float, y: float, width: float) -> list[str]:
    """A short connector for the legend, from ``x`` to ``x + width`` at height ``y``."""
    return _edge([(x, y), (x + width, y)], 1)
