"""The one exception hierarchy: every error a user can cause is a RoadmapSyncError."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, located at a 1-based line and column."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


def not_utf8(file: str, raw: bytes, exc: UnicodeDecodeError, fix: str) -> Problem:
    """Where ``raw`` stops being UTF-8: the line, the column and the byte, with the fix."""
    line = raw.count(b"\n", 0, exc.start) + 1
    col = exc.start - raw.rfind(b"\n", 0, exc.start)
    return Problem(file, line, col, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); {fix}")


class RoadmapSyncError(Exception):
    """An error the user can fix; the CLI prints its message on one line and exits 1."""


class RoadmapError(RoadmapSyncError):
    """roadmap.yaml (or another input file) is invalid; carries every problem found."""

    def __init__(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class TrackerError(RoadmapSyncError):
    """The issue tracker refused or failed a request in a way the user must act on."""
