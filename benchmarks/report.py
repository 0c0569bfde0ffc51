"""The results of a benchmark run: rows, checks against the targets, and the text table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .harness import Row


@dataclass(frozen=True)
class Check:
    """One target or expectation, and whether the run met it."""

    name: str
    wanted: str
    got: str
    ok: bool

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "wanted": self.wanted, "got": self.got, "ok": self.ok}


@dataclass
class Results:
    """Everything one benchmark run found."""

    rows: list[Row]
    checks: list[Check]
    comparisons: list[str]


COLUMNS: tuple[tuple[str, str, Callable[[Row], str]], ...] = (
    ("scenario", "<", lambda r: r.scenario),
    ("items", ">", lambda r: f"{r.items:,}"),
    ("lat s", ">", lambda r: "-" if r.latency is None else f"{r.latency:g}"),
    ("reads", ">", lambda r: _int(r.reads)),
    ("writes", ">", lambda r: _int(r.writes)),
    ("total", ">", lambda r: _int(r.requests)),
    ("counted", ">", lambda r: _int(r.counted)),
    ("wall s", ">", lambda r: _num(r.wall_s, 2)),
    ("CPU s", ">", lambda r: _num(r.cpu_s, 2)),
    ("peak MB", ">", lambda r: _num(r.peak_mb, 0)),
    ("note", "<", lambda r: r.note),
)


def _int(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _num(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(rows: Sequence[Row]) -> str:
    """The rows as a plain-text table, a blank line between groups."""
    cells = [[fmt(row) for _, _, fmt in COLUMNS] for row in rows]
    widths = [
        max([len(name), *(len(line[i]) for line in cells)])
        for i, (name, _, _) in enumerate(COLUMNS)
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            f"{v:{align}{w}}" for v, (_, align, _), w in zip(values, COLUMNS, widths, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line([name for name, _, _ in COLUMNS]), line(["-" * w for w in widths])]
    for i, (row, values) in enumerate(zip(rows, cells, strict=True)):
        if i and row.group != rows[i - 1].group:
            out.append("")
        out.append(line(values))
    return "\n".join(out)


def report(results: Results) -> str:
    """Table, comparisons with the baseline, and every check."""
    parts = [table(results.rows)]
    if results.comparisons:
        parts.append("Baseline / ours:\n" + "\n".join(f"  {c}" for c in results.comparisons))
    if results.checks:
        lines = [
            f"  [{'ok' if c.ok else 'MISS'}] {c.name}: wanted {c.wanted}, got {c.got}"
            for c in results.checks
        ]
        parts.append("Targets and expectations:\n" + "\n".join(lines))
    return "\n\n".join(parts)
