"""The Tracker protocol, the records it takes (specs, edits) and the snapshot it returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Protocol

DEFAULT_API = "https://api.github.com"  # GitHub.com's REST root; Enterprise has its own

# The label on every issue the tool manages: what a snapshot lists, and how it finds its own.
MANAGED_LABEL = "roadmap"


def parse_time(value: str) -> datetime:
    """A time as GitHub (and the tracker file) writes it, ISO 8601 with ``Z``; naive is UTC."""
    # Python 3.10's fromisoformat does not read "Z".
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """A label as the tool wants it. ``own`` labels have their colour and text kept in step;
    the others (kinds, tags, status) are only created when missing, since users share them."""

    name: str
    color: str
    description: str
    own: bool = False


@dataclass(frozen=True, slots=True)
class MilestoneSpec:
    """The milestone of one phase, found again by the marker in its description."""

    phase_id: str
    title: str
    description: str
    due_on: date | None = None


@dataclass(frozen=True, slots=True)
class RemoteLabel:
    """A label as the tracker has it."""

    name: str
    color: str
    description: str


@dataclass(frozen=True, slots=True)
class RemoteMilestone:
    """A milestone as the tracker has it; ``state`` is ``open`` or ``closed``."""

    number: int
    title: str
    description: str
    state: str
    due_on: date | None = None


@dataclass(frozen=True, slots=True)
class RemoteIssue:
    """An issue carrying the managed label, as the tracker has it.

    ``state_reason`` is GitHub's: ``completed``, ``not_planned``, ``duplicate``, ``reopened``
    or None. ``id`` is the tracker-wide id (GitHub's sub-issue and dependency APIs want it,
    not the number). ``blocked_by_total`` counts the issues blocking this one (GitHub's
    ``issue_dependencies_summary``); ``blocked_by`` lists their ids once read (None: not read,
    since the list costs a request per issue on GitHub). ``blocking_total`` and ``blocking``
    are the same for the issues this one blocks.
    """

    number: int
    title: str
    body: str
    state: str
    state_reason: str | None
    labels: tuple[str, ...]
    milestone: int | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    assignees: tuple[str, ...] = ()
    url: str = ""
    id: int = 0
    parent: int | None = None
    blocked_by_total: int = 0
    blocked_by: tuple[int, ...] | None = None
    blocking_total: int = 0
    blocking: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a plan or a progress report needs to know about the tracker."""

    labels: tuple[RemoteLabel, ...]
    milestones: tuple[RemoteMilestone, ...]
    issues: tuple[RemoteIssue, ...]


@dataclass(frozen=True, slots=True)
class NewIssue:
    """An issue to create; ``item_id`` lets a tracker find it again after a failed POST."""

    item_id: str
    title: str
    body: str
    labels: tuple[str, ...]
    milestone: int | None


@dataclass(frozen=True, slots=True)
class IssueEdit:
    """The fields of an issue to change; None leaves a field as it is.

    ``milestone`` of 0 removes the milestone.
    """

    title: str | None = None
    body: str | None = None
    labels: tuple[str, ...] | None = None
    milestone: int | None = None
    state: str | None = None
    state_reason: str | None = None


class Tracker(Protocol):
    """Where the issues live: GitHub, or a JSON file in the repository.

    Every write either takes effect exactly once or raises a TrackerError; a tracker never
    repeats a non-idempotent request blindly (it looks for the result first).
    """

    @property
    def name(self) -> str:
        """A short description of the target, e.g. ``github learner/roadmap``."""
        ...

    def snapshot(self, issues_only: bool = False) -> Snapshot:
        """Read labels, milestones (open and closed) and every managed issue.

        ``issues_only`` skips labels and milestones, for commands that only read progress.
        """
        ...

    def issue(self, number: int) -> RemoteIssue:
        """One issue as it is now (never from a cache): read just before a body is rewritten."""
        ...

    def create_label(self, spec: LabelSpec) -> None:
        """Create a label; an existing one of the same name counts as success."""
        ...

    def update_label(self, current_name: str, spec: LabelSpec) -> None:
        """Change a label's name, colour and description."""
        ...

    def create_milestone(self, spec: MilestoneSpec) -> int:
        """Create a milestone and return its number."""
        ...

    def update_milestone(self, number: int, spec: MilestoneSpec) -> None:
        """Change a milestone's title, description and due date."""
        ...

    def create_issue(self, new: NewIssue) -> RemoteIssue:
        """Create an issue (exactly once, even when the answer is lost)."""
        ...

    def edit_issue(self, number: int, edit: IssueEdit) -> RemoteIssue:
        """Change an issue's fields."""
        ...

    def comment(self, number: int, body: str) -> None:
        """Add a comment to an issue."""
        ...

    def add_sub_issue(self, parent: int, child_id: int, replace: bool = False) -> None:
        """Make the issue with id ``child_id`` a sub-issue of issue ``parent`` (a number);
        ``replace`` moves it from the parent it has."""
        ...

    def remove_sub_issue(self, parent: int, child_id: int) -> None:
        """Detach the issue with id ``child_id`` from issue ``parent``."""
        ...

    def blocked_by(self, number: int) -> tuple[int, ...]:
        """The ids of every issue blocking issue ``number`` (managed or not)."""
        ...

    def blocking(self, number: int) -> tuple[int, ...]:
        """The ids of every issue that issue ``number`` blocks (managed or not)."""
        ...

    def add_blocked_by(self, number: int, blocker_id: int) -> None:
        """Make the issue with id ``blocker_id`` block issue ``number``; one that already
        does counts as success."""
        ...

    def remove_blocked_by(self, number: int, blocker_id: int) -> None:
        """Remove that dependency; one that is already gone counts as success."""
        ...
