"""Entities stored by the fake (plain dataclasses; JSON shapes live in render.py)."""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# GitHub's default labels for a new repository (name, colour, description), as recorded in
# octokit-fixtures/labels.
DEFAULT_LABELS: tuple[tuple[str, str, str], ...] = (
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("duplicate", "cfd3d7", "This issue or pull request already exists"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("invalid", "e4e669", "This doesn't seem right"),
    ("question", "d876e3", "Further information is requested"),
    ("wontfix", "ffffff", "This will not be worked on"),
)
# Colour GitHub gives labels created implicitly (issue creation with an unknown label name).
IMPLICIT_LABEL_COLOR = "ededed"
STATE_REASONS = ("completed", "not_planned", "duplicate", "reopened")


def node_id(prefix: str, number: int) -> str:
    """Opaque GraphQL-style node id; only its uniqueness matters to clients."""
    raw = base64.b64encode(number.to_bytes(8, "big")).decode().rstrip("=")
    return f"{prefix}_kwDO{raw}"


def blob_sha(data: bytes) -> str:
    """Git blob SHA-1, which is what GitHub reports as a file's ``sha``."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def user_id(login: str) -> int:
    """Stable numeric id per login, so the same user renders identically everywhere."""
    return 1_000_000 + int(hashlib.sha1(login.lower().encode()).hexdigest()[:7], 16)


@dataclass
class Label:
    """A repository label."""

    id: int
    name: str
    color: str
    description: str | None
    default: bool = False


@dataclass
class Milestone:
    """A milestone (``due_on`` already normalised)."""

    id: int
    number: int
    title: str
    description: str | None
    state: str
    due_on: datetime | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    creator: str


@dataclass
class Comment:
    """An issue comment."""

    id: int
    issue_number: int
    body: str
    user: str
    created_at: datetime
    updated_at: datetime


# Fields whose change alters milestone open/closed counts; see Issue.__setattr__.
_COUNTED_FIELDS = frozenset({"milestone", "state", "deleted"})


class Tally:
    """Live (milestone, state) -> count of issues, kept current by Issue.__setattr__, so
    rendering a milestone's open/closed counts never rescans every issue."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[int, str]] = Counter()

    def move(self, old: tuple[int, str] | None, new: tuple[int, str] | None) -> None:
        """Account for one issue leaving ``old`` and entering ``new`` (None = uncounted)."""
        if old is not None:
            self.counts[old] -= 1
        if new is not None:
            self.counts[new] += 1

    def of(self, milestone: int) -> tuple[int, int]:
        """(open, closed) for a milestone."""
        return self.counts[(milestone, "open")], self.counts[(milestone, "closed")]


@dataclass
class Issue:
    """An issue or pull request; ``label_ids``/``sub_issues`` reference other entities."""

    id: int
    number: int
    title: str
    body: str | None
    user: str
    created_at: datetime
    updated_at: datetime
    label_ids: list[int] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    milestone: int | None = None
    state: str = "open"
    state_reason: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    locked: bool = False
    is_pull_request: bool = False
    draft: bool = False
    parent: int | None = None
    sub_issues: list[int] = field(default_factory=list)
    # Issue numbers on both ends of "blocked by" links, kept symmetric by dependencies.py.
    blocked_by: list[int] = field(default_factory=list)
    blocking: list[int] = field(default_factory=list)
    comment_ids: list[int] = field(default_factory=list)
    deleted: bool = False
    tally: Tally | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.tally is not None:
            self.tally.move(None, self._tally_key())

    def _tally_key(self) -> tuple[int, str] | None:
        if self.deleted or self.milestone is None:
            return None
        return (self.milestone, self.state)

    def __setattr__(self, name: str, value: Any) -> None:
        tally = self.__dict__.get("tally")
        if tally is None or name not in _COUNTED_FIELDS:
            object.__setattr__(self, name, value)
            return
        before = self._tally_key()
        object.__setattr__(self, name, value)
        tally.move(before, self._tally_key())


@dataclass
class Commit:
    """One commit made through the contents API."""

    sha: str
    message: str
    path: str
    blob: str
    tree: str
    parent: str | None
    date: datetime
    author: str
