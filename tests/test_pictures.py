"""The three pictures (the roadmap map, the activity calendar, the progress card) from fixed
states: exact boxes, cells and figures; valid XML that GitHub's image sanitiser accepts;
user text escaped; the same bytes for the same issues; and PNGs from librsvg that are not
blank."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from functools import cache
from itertools import combinations, pairwise
from pathlib import Path

import pytest

from roadmap_sync.model.load import loads
from roadmap_sync.model.roadmap import Item, Kind, Phase, Roadmap
from roadmap_sync.report.calendar_svg import MONTHS, calendar_svg, level
from roadmap_sync.report.card_svg import card_svg
from roadmap_sync.report.map_svg import map_svg
from roadmap_sync.report.progress import Progress, progress
from roadmap_sync.report.svg import FONT, esc, text_width, wrap
from roadmap_sync.trackers.base import RemoteIssue, Snapshot
from tests.test_render import acceptance

NS = "{http://www.w3.org/2000/svg}"
UTC = timezone.utc
T0 = datetime(2023, 12, 1, tzinfo=UTC)
PICTURES: dict[str, Callable[[Progress], str]] = {
    "map": map_svg,
    "calendar": calendar_svg,
    "card": card_svg,
}

ROADMAP = """\
title: Small roadmap
goal: Learn the small things first
phases:
  - name: Basics
    topics:
      - {id: t1, title: First topic}
      - {id: t2, title: Second topic}
      - {id: t3, title: Third topic}
      - {id: t4, title: Fourth topic}
      - {id: t5, title: Fifth topic}
    projects:
      - {id: p1, title: First project, needs: [t1, t2]}
  - name: Deeper
    topics:
      - {id: u1, title: Builds on the third, needs: [t3]}
      - {id: u2, title: Stands alone}
      - {id: u3, title: Builds on u2, needs: [u2]}
      - {id: u4, title: Not started}
    projects:
      - {id: p2, title: Waits for u4, needs: [u4, p1]}
  - name: Last
    topics:
      - {id: v1, title: After a skipped one, needs: [t5]}
      - {id: v2, title: Being worked on}
"""
# Closing times spread over ten weeks of 2024: ISO weeks 1, 2, 3, then two quiet weeks,
# 6 and 7, then three quiet weeks and 11. v1 closed on Sunday 10 March at 22:30 UTC-5,
# which is Monday 11 March in UTC.
CLOSED = {
    "t1": datetime(2024, 1, 1, 9, tzinfo=UTC),
    "t2": datetime(2024, 1, 3, 12, tzinfo=UTC),
    "t3": datetime(2024, 1, 10, 8, tzinfo=UTC),
    "t4": datetime(2024, 1, 10, 20, tzinfo=UTC),
    "p1": datetime(2024, 1, 17, 12, tzinfo=UTC),
    "u1": datetime(2024, 2, 5, 12, tzinfo=UTC),
    "u2": datetime(2024, 2, 14, 12, tzinfo=UTC),
    "v1": datetime(2024, 3, 10, 22, 30, tzinfo=timezone(timedelta(hours=-5))),
}
STATUSES = {
    **dict.fromkeys(CLOSED, "done"),
    "t5": "skipped",
    "u3": "in-progress",
    "v2": "in-progress",
    "u4": "todo",
    "p2": "blocked",
}


def body(ident: str) -> str:
    return f"<!-- roadmap-sync:item={ident} -->\nmanaged\n<!-- roadmap-sync:end -->"


def small(
    *, closed: dict[str, datetime] = CLOSED, reverse: bool = False, title: str | None = None
) -> Progress:
    """The small roadmap: 8 done (``closed``), t5 skipped (closed in January, which must
    not count), u3 and v2 in progress, u4 to do and p2 blocked by it; 8/12 · 66%."""
    roadmap = loads(ROADMAP)
    if title is not None:
        roadmap = hostile(roadmap, title)
    issues = []
    for number, item in enumerate(roadmap.items, 1):
        issue = RemoteIssue(
            number, item.title, body(item.id), "open", None, ("roadmap",), None, T0, T0
        )
        if item.id in closed:
            issue = replace(issue, state="closed", state_reason="completed")
            issue = replace(issue, closed_at=closed[item.id])
        elif item.id == "t5":
            issue = replace(issue, state="closed", state_reason="not_planned")
            issue = replace(issue, closed_at=datetime(2024, 1, 12, tzinfo=UTC))
        elif item.id == "u3":
            issue = replace(issue, labels=("roadmap", "in progress"))
        elif item.id == "v2":
            issue = replace(issue, assignees=("me",))
        issues.append(issue)
    if reverse:
        issues.reverse()
    return progress(roadmap, Snapshot((), (), tuple(issues)))


def hostile(roadmap: Roadmap, text: str) -> Roadmap:
    """The roadmap with ``text`` as its title and goal, every phase's name and t1's title."""
    phases = tuple(
        replace(
            phase,
            name=text,
            topics=tuple(replace(i, title=text) if i.id == "t1" else i for i in phase.topics),
        )
        for phase in roadmap.phases
    )
    return replace(roadmap, title=text, goal=text, phases=phases)


def root_of(svg: str) -> ET.Element:
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    assert svg.endswith("</svg>\n")
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{NS}svg"
    return root


def words(element: ET.Element) -> str:
    return "".join(element.itertext())


def texts(root: ET.Element) -> list[str]:
    return [words(t) for t in root.iter(f"{NS}text")]


# ---------------------------------------------------------------------------------------
# The map


def boxes(root: ET.Element) -> dict[str, ET.Element]:
    found = [g for g in root.iter(f"{NS}g") if g.get("data-item")]
    by_id = {g.get("data-item", ""): g for g in found}
    assert len(by_id) == len(found), "one box per item"
    return by_id


def test_map_has_one_box_per_item_with_its_status() -> None:
    root = root_of(map_svg(small()))
    found = boxes(root)
    assert {ident: g.get("data-status") for ident, g in found.items()} == STATUSES
    assert list(found) == [i.item.id for i in small().items]  # roadmap order
    for ident, g in found.items():
        item = next(i.item for i in small().items if i.item.id == ident)
        assert g.findtext(f"{NS}title") == item.title
        (label,) = g.iter(f"{NS}text")
        assert " ".join(t.text or "" for t in label.iter(f"{NS}tspan")) == item.title
    assert root.findtext(f"{NS}title") == (
        "Roadmap map of Small roadmap: 8 of 12 items done, 2 in progress, 1 blocked, 1 skipped"
    )
    assert root.get("aria-label") == root.findtext(f"{NS}title")


def test_map_headers_and_kinds() -> None:
    root = root_of(map_svg(small()))
    all_texts = texts(root)
    assert "Phase 1: Basics" in all_texts
    assert "Phase 2: Deeper" in all_texts
    assert "Phase 3: Last" in all_texts
    # Phase 1: 5 done of 5 countable (t5 skipped); Phase 2: 2 of 5; Phase 3: 1 of 2.
    assert [t for t in all_texts if "/" in t][1:] == ["5/5 · 100%", "2/5 · 40%", "1/2 · 50%"]
    assert "8/12 · 66% done" in all_texts
    # Projects are square boxes with a stripe, topics rounded ones without.
    for ident, g in boxes(root).items():
        rects = list(g.iter(f"{NS}rect"))
        project = ident.startswith("p")
        assert len(rects) == (2 if project else 1)
        assert rects[0].get("rx") == ("2" if project else "8")
    # The skipped item's lines are struck through, and only its.
    struck = [
        g.get("data-item")
        for g in boxes(root).values()
        if any(t.get("text-decoration") == "line-through" for t in g.iter(f"{NS}tspan"))
    ]
    assert struck == ["t5"]
    legend = {"done", "in progress", "blocked", "to do", "skipped", "topic", "project"}
    assert legend <= set(all_texts)


def rect(element: ET.Element) -> tuple[float, float, float, float]:
    x, y = float(element.get("x", "")), float(element.get("y", ""))
    return x, y, x + float(element.get("width", "")), y + float(element.get("height", ""))


def path_points(d: str) -> list[tuple[float, float]]:
    """Every point of a path in order (ends and control points of our M, L and Q)."""
    numbers = [float(n) for n in re.findall(r"-?\d+\.\d", d)]
    assert re.fullmatch(r"M[\d. ]+(?:L[\d. ]+|Q[\d. ]+)*(?:Z)?", d), d
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def crosses(a: tuple[float, float], b: tuple[float, float], box: tuple[float, ...]) -> bool:
    """Whether the axis-parallel or short diagonal segment a-b enters the box's inside."""
    left, top, right, bottom = box[0] + 1, box[1] + 1, box[2] - 1, box[3] - 1
    steps = 50
    for n in range(steps + 1):
        x = a[0] + (b[0] - a[0]) * n / steps
        y = a[1] + (b[1] - a[1]) * n / steps
        if left < x < right and top < y < bottom:
            return True
    return False


def connector_paths(root: ET.Element) -> list[str]:
    return [p.get("d", "") for p in root.iter(f"{NS}path") if p.get("class") == "edge"]


def assert_no_connector_crosses_a_box(root: ET.Element) -> None:
    shapes = [rect(next(g.iter(f"{NS}rect"))) for g in boxes(root).values()]
    for d in connector_paths(root):
        points = path_points(d)
        for a, b in pairwise(points):
            for box in shapes:
                assert not crosses(a, b, box), (d, box)


def test_map_connectors_join_needs_to_items_around_the_boxes() -> None:
    root = root_of(map_svg(small()))
    paths = connector_paths(root)
    # p1 ← t1, t2; u1 ← t3; u3 ← u2; p2 ← u4, p1; v1 ← t5: seven, and one in the legend.
    assert len(paths) == 7 + 1
    heads = [p for p in root.iter(f"{NS}path") if p.get("class") == "edge-h"]
    assert len(heads) == 8
    assert_no_connector_crosses_a_box(root)
    spots = {ident: rect(next(g.iter(f"{NS}rect"))) for ident, g in boxes(root).items()}
    ends = [path_points(d) for d in paths[:7]]
    # Each starts on a side of its need's box (drawn half a pixel inside its place) and
    # ends where its arrowhead, 5 px long, starts beside the item's box.
    pairs = [("t1", "p1"), ("t2", "p1"), ("t3", "u1"), ("u2", "u3"), ("u4", "p2")]
    pairs += [("p1", "p2"), ("t5", "v1")]
    for (need, item), points in zip(pairs, ends, strict=True):
        (sx, sy), (ex, ey) = points[0], points[-1]
        left, top, right, bottom = spots[need]
        assert sx in (left - 0.5, right + 0.5)
        assert top < sy < bottom
        left, top, right, bottom = spots[item]
        assert top < ey < bottom
        assert ex in (left - 5.5, right + 5.5)


def long_state(phases: int, per_phase: int) -> Progress:
    """Many phases of many items, each needing the item two above it and one item three
    phases back: connectors within a column, to the next and across several columns and
    bands."""
    built = []
    for p in range(phases):
        items = []
        for n in range(per_phase):
            needs = [f"i{p}-{n - 2}"] if n >= 2 else []
            needs += [f"i{p - 3}-{(n + 1) % per_phase}"] if p >= 3 else []
            needs += [f"i{p - 1}-{n}"] if p >= 1 and n % 3 == 0 else []
            kind = Kind.PROJECT if n % 4 == 3 else Kind.TOPIC
            items.append(Item(f"i{p}-{n}", f"Item {p}.{n} with a title", kind, needs=tuple(needs)))
        built.append(Phase(f"ph{p}", p + 1, f"Phase name {p}", topics=tuple(items)))
    roadmap = Roadmap("Long", tuple(built))
    return progress(roadmap, Snapshot((), (), ()))


@pytest.mark.parametrize(("phases", "per_phase"), [(7, 14), (9, 5), (1, 3), (15, 2)])
def test_map_layouts_never_cross_a_box(phases: int, per_phase: int) -> None:
    report = long_state(phases, per_phase)
    root = root_of(map_svg(report))
    assert len(boxes(root)) == phases * per_phase
    needs = sum(len(i.item.needs) for i in report.items)
    assert len(connector_paths(root)) == needs + 1
    assert_no_connector_crosses_a_box(root)
    # No two boxes overlap, and every box is inside the picture.
    width, height = float(root.get("width", "")), float(root.get("height", ""))
    shapes = [rect(next(g.iter(f"{NS}rect"))) for g in boxes(root).values()]
    for a, b in combinations(shapes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    for left, top, right, bottom in shapes:
        assert left > 0
        assert top > 0
        assert right < width
        assert bottom < height


def test_map_text_stays_legible_at_the_readme_width() -> None:
    # The shipped roadmap's seven phases: shown 900 px wide, no text is under 11 px.
    root = root_of(map_svg(acceptance()))
    width = float(root.get("width", ""))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert 900 < width <= 980
    sizes = {float(t.get("font-size", "")) for t in root.iter(f"{NS}text")}
    assert min(sizes) * 900 / width >= 11
    assert len(boxes(root)) == 83
    assert float(root.get("height", "")) > 1000  # 14 items in the longest phase


def test_long_titles_are_wrapped_and_ellipsised_inside_their_box() -> None:
    title = "Advanced architecture: event-driven, edge AI, multi-model orchestration at scale"
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
    roadmap = Roadmap(
        "R",
        (
            Phase(
                "p",
                1,
                "A phase whose name is far too long to fit in three lines of its column",
                topics=(Item("a", title, Kind.TOPIC), Item("b", word, Kind.TOPIC)),
                projects=(Item("c", title, Kind.PROJECT),),
            ),
        ),
    )
    root = root_of(map_svg(progress(roadmap, Snapshot((), (), ()))))
    for g in boxes(root).values():
        left, _, right, _ = rect(next(g.iter(f"{NS}rect")))
        lines = list(g.iter(f"{NS}tspan"))
        assert len(lines) == 3
        assert (lines[-1].text or "").endswith("…")
        for line in lines:
            start = float(line.get("x", ""))
            assert left < start
            assert start + text_width(line.text or "", 12) <= right - 6
    assert [t.text for t in next(boxes(root)["a"].iter(f"{NS}text"))] == [
        "Advanced",
        "architecture:",
        "event-driven, e…",
    ]
    header = [t for t in texts(root) if t.startswith(("A phase", "Phase"))]
    assert header[0] == "Phase 1: A phase"


def test_wrap() -> None:
    assert wrap("Transformer-based sentiment analyzer", 108, 12, 3) == (
        "Transformer-",
        "based sentiment",
        "analyzer",
    )
    # No break inside t-SNE or (K-means: one letter before the hyphen.
    assert wrap("Clustering (K-means, DBSCAN)", 108, 12, 3) == (
        "Clustering",
        "(K-means,",
        "DBSCAN)",
    )
    assert wrap("", 100, 12, 3) == ()
    assert wrap("  two   words ", 200, 12, 3) == ("two words",)
    lines = wrap("one two three four five", 70, 12, 2)
    assert lines == ("one two", "three fou…")
    assert all(text_width(line, 12) <= 70 for line in lines)
    assert wrap("abc", 5, 12, 1) == ("…",)  # not even a letter fits


def test_text_is_measured_generously(tmp_path: Path) -> None:
    # What librsvg draws with the fonts installed here is never wider than text_width says
    # (DejaVu Sans, the widest usual fallback, when nothing else is installed).
    samples = [
        "possibly fit on two lines of it, and a goal even longer t…",
        "Data structures: arrays, hash maps · 10/82 · 12%",
        "WWW mmm iii … — → “quoted” café",
    ]
    lines = []
    for n, sample in enumerate(samples):
        for m, (size, bold) in enumerate(((12, False), (12, True), (24, False), (46, True))):
            weight = ' font-weight="bold"' if bold else ""
            lines.append(
                f'<text x="10" y="{(n * 4 + m + 1) * 60}" font-size="{size}"{weight}>'
                f"{esc(sample)}</text>"
            )
    source = tmp_path / "measure.svg"
    source.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="780" '
        f'font-family="{FONT}"><rect width="2000" height="780" fill="#fff"/>'
        + "".join(lines)
        + "</svg>",
        encoding="utf-8",
    )
    subprocess.run(["rsvg-convert", str(source), "-o", str(tmp_path / "m.png")], check=True)
    width, _, pixels = png_pixels((tmp_path / "m.png").read_bytes())
    for n, sample in enumerate(samples):
        for m, (size, bold) in enumerate(((12, False), (12, True), (24, False), (46, True))):
            base = (n * 4 + m + 1) * 60
            inked = [
                x
                for y in range(base - size, base + size // 3)
                for x in range(width)
                if pixels[y * width + x][0] < 200
            ]
            assert max(inked) + 1 - 10 <= text_width(sample, size, bold), (sample, size, bold)
            # Not wildly generous either, whichever sans-serif font this machine falls back to
            # (DejaVu Sans is the widest; Liberation Sans, with Arial's metrics, about 12% less).
            assert max(inked) + 1 - 10 >= 0.8 * text_width(sample, size, bold)


def test_escaping_helper() -> None:
    assert esc("A & B <x> \"q\" 'a'") == "A &amp; B &lt;x&gt; &quot;q&quot; &apos;a&apos;"
    # Characters XML cannot hold and bidi controls are dropped; line breaks become spaces.
    assert esc("a\x00b\x1bc\u202ed\ne") == "abcd e"


# ---------------------------------------------------------------------------------------
# The calendar


def cells(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{NS}rect") if r.get("data-date")]


def test_calendar_cells() -> None:
    root = root_of(calendar_svg(small()))
    found = cells(root)
    # 53 whole ISO weeks ending with the week of Monday 11 March 2024 (v1's UTC day).
    assert len(found) == 53 * 7
    first, last = date(2023, 3, 13), date(2024, 3, 17)
    assert [c.get("data-date") for c in found] == [
        (first + timedelta(n)).isoformat() for n in range((last - first).days + 1)
    ]
    counts = {c.get("data-date"): int(c.get("data-count", "")) for c in found}
    expected = {
        "2024-01-01": 1,
        "2024-01-03": 1,
        "2024-01-10": 2,
        "2024-01-17": 1,
        "2024-02-05": 1,
        "2024-02-14": 1,
        "2024-03-11": 1,
    }
    assert {day: n for day, n in counts.items() if n} == expected
    assert counts["2024-03-10"] == 0  # New York's Sunday is UTC's Monday
    assert counts["2024-01-12"] == 0  # the skipped item's closing day
    # Monday on top: each column runs Monday to Sunday.
    for index, cell in enumerate(found):
        column, row = divmod(index, 7)
        assert date.fromisoformat(cell.get("data-date", "")).weekday() == row
        assert float(cell.get("x", "")) == 46 + column * 14
        assert float(cell.get("y", "")) == 36 + row * 14
    shades = {c.get("data-date"): c.get("class") for c in found}
    assert (shades["2024-01-10"], shades["2024-01-01"], shades["2023-06-01"]) == ("l2", "l1", "l0")


def test_calendar_totals_and_streaks() -> None:
    root = root_of(calendar_svg(small()))
    # Weeks 1, 2 and 3 make the longest streak; week 11 is alone after three quiet weeks.
    sentence = "8 items done in the year to 2024-03-11 · current streak 1 week · longest 3 weeks"
    assert sentence in texts(root)
    assert root.findtext(f"{NS}title") == (
        "Activity: 8 items done in the year to 2024-03-11; current streak 1 week, longest 3 weeks"
    )
    assert root.get("aria-label") == root.findtext(f"{NS}title")
    all_texts = texts(root)
    assert {"Mon", "Wed", "Fri", "Less", "More"} <= set(all_texts)
    # The first column (13 March 2023) is named: April starts three columns later.
    assert month_labels(root) == ["Mar", *MONTHS[3:], *MONTHS[:3]]


def test_calendar_current_streak_of_several_weeks() -> None:
    # Without v1 the latest completion is u2 (week 7), after u1 (week 6): a 2-week streak,
    # and the calendar ends with u2's week.
    closed = {ident: moment for ident, moment in CLOSED.items() if ident != "v1"}
    root = root_of(calendar_svg(small(closed=closed)))
    sentence = "7 items done in the year to 2024-02-14 · current streak 2 weeks · longest 3 weeks"
    assert sentence in texts(root)
    assert cells(root)[-1].get("data-date") == "2024-02-18"
    assert len(cells(root)) == 371
    assert cells(root)[0].get("data-date") == "2023-02-13"


def month_labels(root: ET.Element) -> list[str]:
    return [t for t in texts(root) if len(t) == 3 and t not in ("Mon", "Wed", "Fri")]


def test_calendar_month_labels_never_crowd() -> None:
    # From Monday 27 March 2023, April starts in the very next column: the first column's
    # month is left unnamed rather than drawn over April.
    root = root_of(calendar_svg(small(closed={"t1": datetime(2024, 3, 27, tzinfo=UTC)})))
    assert cells(root)[0].get("data-date") == "2023-03-27"
    assert month_labels(root) == [*MONTHS[3:], *MONTHS[:3]]
    xs = [float(t.get("x", "")) for t in root.iter(f"{NS}text") if words(t) in ("Apr", "May")]
    assert xs == [46 + 14, 46 + 5 * 14]  # Mondays 3 April and 1 May 2023 start those columns


@pytest.mark.parametrize(
    ("count", "shade"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (9, 4)]
)
def test_calendar_levels(count: int, shade: int) -> None:
    assert level(count) == shade


def test_calendar_with_nothing_done() -> None:
    # No completion, no date to end on (today would change the bytes): no cells, a sentence,
    # and the same size as a calendar with cells.
    root = root_of(calendar_svg(small(closed={})))
    assert cells(root) == []
    assert root.findtext(f"{NS}title") == "Activity: nothing done yet"
    assert texts(root) == [
        "Nothing done yet: each item closed as completed will mark its day here."
    ]
    full = root_of(calendar_svg(small()))
    assert (root.get("width"), root.get("height")) == (full.get("width"), full.get("height"))


# ---------------------------------------------------------------------------------------
# The card


def test_card() -> None:
    text = card_svg(small())
    root = root_of(text)
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "1200",
        "630",
        "0 0 1200 630",
    )
    all_texts = texts(root)
    for expected in (
        "Small roadmap",
        "Learn the small things first",
        "66%",
        "8/12 · 66% done",
        "1 week",
        "current streak",
        # u2 (14 February) and v1 (11 March) are in the 28 days ending on 11 March.
        "2 items",
        "done in 28 days",
        "to 2024-03-11",
        "Phase 1: Basics",
        "Phase 2: Deeper",
        "Phase 3: Last",
    ):
        assert expected in all_texts, expected
    assert [t for t in all_texts if t.endswith("%")] == ["100%", "40%", "50%", "66%"]
    assert root.findtext(f"{NS}title") == (
        "Progress card: Small roadmap, 8/12 · 66% done; current streak 1 week; "
        "2 items done in the 28 days to 2024-03-11"
    )
    (arc,) = [c for c in root.iter(f"{NS}circle") if c.get("stroke-dasharray")]
    done, circumference = (float(n) for n in arc.get("stroke-dasharray", "").split())
    assert round(done / circumference, 3) == 0.66
    assert_inside(root, 1200, 630)


def assert_inside(root: ET.Element, width: float, height: float) -> None:
    """Every text fits in the picture, by its anchor and its measured width."""
    for element in root.iter(f"{NS}text"):
        if element.get("x") is None:
            continue
        x, y = float(element.get("x", "")), float(element.get("y", ""))
        size = float(element.get("font-size", ""))
        span = text_width(words(element), size, element.get("font-weight") == "bold")
        left = {"middle": x - span / 2, "end": x - span}.get(element.get("text-anchor", ""), x)
        assert left >= 0, words(element)
        assert left + span <= width, words(element)
        assert size <= y <= height, words(element)


def test_card_with_nothing_done_and_long_text() -> None:
    long = "An extraordinarily long roadmap title that cannot possibly fit on two lines of it"
    phases = tuple(
        Phase(
            f"p{n}",
            n,
            f"Phase with a rather long name number {n}",
            topics=(Item(f"i{n}", "Item", Kind.TOPIC),),
        )
        for n in range(1, 21)
    )
    report = progress(Roadmap(long, phases, goal=long), Snapshot((), (), ()))
    root = root_of(card_svg(report))
    all_texts = texts(root)
    assert {"0 weeks", "0 items", "nothing done yet", "0%", "0/20 · 0% done"} <= set(all_texts)
    assert not [c for c in root.iter(f"{NS}circle") if c.get("stroke-dasharray")]
    # The title in two lines, the second cut; the goal (smaller) whole in two; 15 phase
    # bars, then the rest in one line.
    assert all_texts[1:5] == [
        "An extraordinarily long",
        "roadmap title that can…",
        "An extraordinarily long roadmap title that cannot",
        "possibly fit on two lines of it",
    ]
    bars = [t for t in all_texts if t.startswith("Phase ")]
    assert len(bars) == 15
    assert bars[0] == "Phase 1: Phase with a rather l…"
    assert "and 5 more phases" in all_texts
    assert root.findtext(f"{NS}title", "").endswith("0/20 · 0% done; nothing done yet")
    assert_inside(root, 1200, 630)


def test_card_figures_shrink_rather_than_overflow() -> None:
    # 60 weeks in a row: "60 weeks" at 34 px would cross the rule between the two figures.
    closed = {f"x{n}": datetime(2023, 1, 2, tzinfo=UTC) + timedelta(weeks=n) for n in range(60)}
    items = tuple(Item(ident, ident, Kind.TOPIC) for ident in closed)
    roadmap = Roadmap("R", (Phase("p", 1, "P", topics=items),))
    issues = tuple(
        RemoteIssue(n, i.id, body(i.id), "closed", "completed", (), None, T0, T0, closed[i.id])
        for n, i in enumerate(items, 1)
    )
    root = root_of(card_svg(progress(roadmap, Snapshot((), (), issues))))
    (streak,) = [t for t in root.iter(f"{NS}text") if words(t) == "60 weeks"]
    size = float(streak.get("font-size", ""))
    assert size < 34
    assert text_width("60 weeks", size, bold=True) <= 140
    assert_inside(root, 1200, 630)


# ---------------------------------------------------------------------------------------
# All three


HOSTILE = 'A & B <script>x</script> "quoted"'


@pytest.mark.parametrize("name", sorted(PICTURES))
@pytest.mark.parametrize(
    ("raw", "reads"),
    [(HOSTILE, HOSTILE), (f"{HOSTILE}\x07\u202e", HOSTILE), ("A\n & B\t'x'", "A & B 'x'")],
)
def test_user_text_is_escaped(name: str, raw: str, reads: str) -> None:
    text = PICTURES[name](small(title=raw))
    root = root_of(text)
    assert "<script" not in text
    assert_safe(text)
    label = root.get("aria-label", "")
    assert root.findtext(f"{NS}title") == label
    if name == "calendar":
        # The calendar shows no user text at all: dates, counts and fixed words.
        assert "quoted" not in text
        assert "'x'" not in text
        return
    assert reads in label
    shown = texts(root)
    if name == "map":
        assert label.startswith(f"Roadmap map of {reads}: ")
        assert reads in shown  # the heading, whole
        assert boxes(root)["t1"].findtext(f"{NS}title") == reads
        headers = [g.findtext(f"{NS}title") for g in root.iter(f"{NS}g") if g.get("data-phase")]
        assert headers == [f"Phase {n}: {reads}" for n in (1, 2, 3)]
        # The box shows it all, over lines broken at spaces or (in "</script>", too long
        # for a line) where the line is full.
        (box,) = boxes(root)["t1"].iter(f"{NS}text")
        lines = [t.text or "" for t in box]
        assert "".join(lines).replace(" ", "") == reads.replace(" ", "")
    else:
        assert label.startswith(f"Progress card: {reads}, ")
        assert reads in shown  # the goal, on one line
        assert f"Phase 1: {reads}" in shown


def assert_safe(text: str) -> None:
    """What GitHub's image proxy and a browser showing an SVG as an image accept, and what
    the README can rely on: no script, events, links, external or embedded content, ids,
    or fonts outside a generic family list."""
    lowered = text.lower()
    for banned in ("<script", "href", "<image", "foreignobject", "@import", "url(", "<a ", " id="):
        assert banned not in lowered, banned
    assert re.findall(r"https?://[^\"' ]+", text) == ["http://www.w3.org/2000/svg"]
    root = ET.fromstring(text.encode("utf-8"))
    for element in root.iter():
        assert not [a for a in element.attrib if a.lower().startswith("on")], element.attrib
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root[0].tag == f"{NS}title"
    assert root.get("font-family", "").endswith(", sans-serif")
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    # An opaque background over the whole picture, first after the title and the style.
    assert root[1].tag == f"{NS}style"
    background = root[2]
    assert background.tag == f"{NS}rect"
    assert background.get("fill") == "#ffffff"
    assert float(background.get("width", "")) >= float(root.get("width", "")) - 1
    assert float(background.get("height", "")) >= float(root.get("height", "")) - 1
    # Dark scheme: every class used is switched by the style, and the background too.
    style = root[1].text or ""
    assert style.startswith("@media (prefers-color-scheme: dark) {")
    rules = set(re.findall(r"\.([\w-]+)\{", style))
    used = {e.get("class") for e in root.iter() if e.get("class")}
    assert used <= rules
    assert ".bg{fill:#0d1117;" in style
    # Coordinates with one decimal (or whole numbers): no float noise.
    for element in root.iter():
        for name in ("x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx", "cy", "r"):
            value = element.get(name)
            assert value is None or re.fullmatch(r"-?\d+(\.\d)?", value), (name, value)


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_pictures_are_safe_for_github(name: str) -> None:
    for report in (small(), small(closed={}), acceptance()):
        assert_safe(PICTURES[name](report))


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_same_issues_same_bytes(name: str) -> None:
    draw = PICTURES[name]
    first = draw(small())
    assert draw(small()) == first
    assert draw(small(reverse=True)) == first
    assert first.isascii() is False  # "·" and "…" are written as UTF-8, not entities


def test_same_bytes_across_processes() -> None:
    # Two hash seeds: any set or dict order leaking into the output would differ.
    script = (
        "import sys; from tests.test_pictures import PICTURES, small; "
        "sys.stdout.buffer.write(''.join(d(small()) for _, d in sorted(PICTURES.items()))"
        ".encode())"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=Path(__file__).resolve().parents[1],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    expected = "".join(draw(small()) for _, draw in sorted(PICTURES.items())).encode()
    assert outputs[0] == outputs[1] == expected


# ---------------------------------------------------------------------------------------
# Through librsvg


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """The pixels of an 8-bit RGB or RGBA, non-interlaced PNG (what rsvg-convert writes),
    decoded with zlib and the five PNG filters."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat = 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunk = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    assert (depth, interlace) == (8, 0)
    assert colour in (2, 6)
    size = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * size
    previous = bytearray(stride)
    pixels: list[tuple[int, ...]] = []
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up = previous[i]
            corner = previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + guess) & 0xFF
        pixels += [tuple(line[i : i + size]) for i in range(0, stride, size)]
        previous = line
    assert len(pixels) == width * height
    return width, height, pixels


def test_png_decoder() -> None:
    # A 2×2 RGBA image: red and green filtered with Sub, then blue and white with Up.
    raw = bytes((1, 255, 0, 0, 255, 1, 255, 0, 0, 2, 1, 0, 255, 0, 255, 0, 255, 0))
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 6, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw))
    png += chunk(b"IEND", b"")
    assert png_pixels(png) == (
        2,
        2,
        [(255, 0, 0, 255), (0, 255, 0, 255), (0, 0, 255, 255), (255, 255, 255, 255)],
    )


@cache
def shipped() -> Progress:
    """The shipped roadmap's acceptance state with needs: every third item needs the one
    above it, every fifth one an item of an earlier phase."""
    state = acceptance()
    items = state.roadmap.items
    needs: dict[str, tuple[str, ...]] = {}
    for index, item in enumerate(items):
        found = []
        if index % 3 == 2:
            found.append(items[index - 1].id)
        if index % 5 == 4 and index >= 20:
            found.append(items[index - 17].id)
        needs[item.id] = tuple(dict.fromkeys(found))
    phases = tuple(
        replace(
            phase,
            topics=tuple(replace(i, needs=needs[i.id]) for i in phase.topics),
            projects=tuple(replace(i, needs=needs[i.id]) for i in phase.projects),
        )
        for phase in state.roadmap.phases
    )
    roadmap = replace(state.roadmap, phases=phases)
    issues = []
    for number, item in enumerate(items, 1):
        issue = RemoteIssue(
            number, item.title, body(item.id), "open", None, ("roadmap",), None, T0, T0
        )
        if number in (1, 2, 3, *range(14, 21)):
            moment = datetime(2024, 1, 1, 18, tzinfo=UTC) + timedelta(days=5 * number)
            issue = replace(issue, state="closed", state_reason="completed", closed_at=moment)
        elif number == 4:
            issue = replace(issue, state="closed", state_reason="not_planned")
        elif number == 5:
            issue = replace(issue, labels=("roadmap", "in progress"))
        issues.append(issue)
    return progress(roadmap, Snapshot((), (), tuple(issues)))


# (name, exact colours its PNG must show: light-scheme fills drawn in large areas)
SHADES = {
    "map": [(218, 251, 225), (246, 248, 250), (221, 244, 255)],  # done, to do (and blocked), doing
    "calendar": [(235, 237, 240), (155, 233, 168)],  # no item, one item
    "card": [(31, 136, 61), (246, 248, 250)],  # the ring and bars, the panel
}


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_librsvg_draws_each_picture(tmp_path: Path, name: str) -> None:
    report = shipped()
    assert report.done == 10
    assert sum(1 for i in report.items if i.blocked) > 5
    source = tmp_path / f"{name}.svg"
    source.write_text(PICTURES[name](report), encoding="utf-8")
    target = tmp_path / f"{name}.png"
    done = subprocess.run(
        ["rsvg-convert", "--width", "320", str(source), "-o", str(target)],
        capture_output=True,
        check=True,
    )
    assert done.stderr == b""
    width, height, pixels = png_pixels(target.read_bytes())
    assert width == 320
    colours = Counter(p[:3] for p in pixels if p[3] == 255)
    assert len(colours) > 20  # text, shades and their anti-aliased edges
    ((_, most),) = colours.most_common(1)
    assert len(pixels) - most > len(pixels) // 10  # far from blank
    for colour in SHADES[name]:
        assert colours[colour] > 0, (name, colour)
    # Opaque inside: only the outermost pixels of the frame may be see-through.
    inside = [pixels[y * width + x] for y in range(2, height - 2) for x in range(2, width - 2)]
    assert all(p[3] == 255 for p in inside)
